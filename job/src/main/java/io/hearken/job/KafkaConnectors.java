package io.hearken.job;

import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's Kafka source and sinks, from {@code kafka.bootstrap.servers} and {@code schema.registry.url}
 * ({@code KafkaSettings}) and the job's settings (group id, delivery guarantee, transaction
 * timeout).
 */
public final class KafkaConnectors {

    private KafkaConnectors() {
    }

    public static KafkaSource<ChunkEnvelope> chunkSource(String bootstrapServers, String registryUrl, JobSettings settings) {
        return KafkaSource.<ChunkEnvelope>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(TopicNames.AUDIO_CHUNKS)
                .setGroupId(settings.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ChunkDeserializer(registryUrl, settings.profiles().keySet()))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }

    public static KafkaSink<WindowScores> windowSink(String bootstrapServers, String registryUrl, JobSettings settings) {
        return transactionalSink(bootstrapServers, "hearken-windows", settings, new ConfluentRecordSerializer<>(
                TopicNames.AUDIO_WINDOWS, registryUrl, WindowResult.class, WindowScores::toAvro,
                w -> w.streamId.getBytes(StandardCharsets.UTF_8), w -> w.endMicros / 1000, true));
    }

    public static KafkaSink<DeadLetterEvent> deadLetterSink(String bootstrapServers, String registryUrl, JobSettings settings) {
        return transactionalSink(bootstrapServers, "hearken-dlq", settings, new ConfluentRecordSerializer<>(
                TopicNames.DEAD_LETTERS, registryUrl, DeadLetter.class, DeadLetterEvent::toAvro,
                d -> d.originalKey, d -> d.failedAtMicros / 1000));
    }

    private static <T> KafkaSink<T> transactionalSink(String bootstrapServers, String transactionalIdPrefix,
                                                      JobSettings settings, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(settings.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", String.valueOf(settings.transactionTimeout().toMillis()))
                .build();
    }
}
