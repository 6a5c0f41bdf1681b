package io.hearken.inference.job;

import io.hearken.schemas.topics.TopicNames;
import org.apache.flink.connector.base.DeliveryGuarantee;
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
        return KafkaSink.<WindowScores>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new WindowResultSerializer(TopicNames.AUDIO_WINDOWS, registryUrl))
                .setDeliveryGuarantee(settings.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("hearken-windows")
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }

    public static KafkaSink<DeadLetterEvent> deadLetterSink(String bootstrapServers, String registryUrl, JobSettings settings) {
        return KafkaSink.<DeadLetterEvent>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new DeadLetterSerializer(TopicNames.DEAD_LETTERS, registryUrl))
                .setDeliveryGuarantee(settings.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("hearken-dlq")
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }
}
