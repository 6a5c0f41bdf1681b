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

/** The job's Kafka source and sinks. */
public final class KafkaConnectors {
    public static final String GROUP_ID = "hearken-streaming-job";
    /** Above the checkpoint interval plus recovery time, and within the broker's default 15 min maximum. */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    private KafkaConnectors() {
    }

    public static KafkaSource<ChunkEnvelope> chunkSource(String bootstrapServers, String registryUrl, JobSettings settings) {
        return KafkaSource.<ChunkEnvelope>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(TopicNames.AUDIO_CHUNKS)
                .setGroupId(GROUP_ID)
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
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }
}
