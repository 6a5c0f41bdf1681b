package io.hearken.job;

import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import java.io.Serializable;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a job type to a topic as its Avro record in the Confluent wire format. The registry client is created on
 * the task manager ({@link #open}), so only the URL travels with the job graph.
 */
public final class ConfluentRecordSerializer<T, A extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    /** Lag samples kept for the histogram's percentiles. */
    private static final int LAG_SAMPLES = 10_000;

    /** A serializable function, so the mapping can travel inside the job graph. */
    public interface Mapping<I, O> extends Function<I, O>, Serializable {
    }

    private final String topic;
    private final String registryUrl;
    private final Class<A> avroType;
    private final Mapping<T, A> toAvro;
    private final Mapping<T, byte[]> key;
    private final Mapping<T, Long> timestampMillis;
    private final boolean recordLag;
    private transient ConfluentAvroSerde<A> serde;
    private transient Histogram lagMillis;

    public ConfluentRecordSerializer(String topic, String registryUrl, Class<A> avroType, Mapping<T, A> toAvro,
                                     Mapping<T, byte[]> key, Mapping<T, Long> timestampMillis) {
        this(topic, registryUrl, avroType, toAvro, key, timestampMillis, false);
    }

    /**
     * @param recordLag  record {@code endToEndLagMillis}: wall-clock time from the record's event timestamp (for
     *                   windows: the window's end) until it is handed to the Kafka producer. With the exactly-once
     *                   sink, readers see it at the next checkpoint, up to one checkpoint interval later.
     */
    public ConfluentRecordSerializer(String topic, String registryUrl, Class<A> avroType, Mapping<T, A> toAvro,
                                     Mapping<T, byte[]> key, Mapping<T, Long> timestampMillis, boolean recordLag) {
        this.topic = topic;
        this.registryUrl = registryUrl;
        this.avroType = avroType;
        this.toAvro = toAvro;
        this.key = key;
        this.timestampMillis = timestampMillis;
        this.recordLag = recordLag;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = ConfluentAvroSerde.forValues(RegistryClients.create(registryUrl), avroType);
        if (recordLag) {
            lagMillis = context.getMetricGroup().histogram("endToEndLagMillis", new DescriptiveStatisticsHistogram(LAG_SAMPLES));
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        long eventMillis = timestampMillis.apply(element);
        if (lagMillis != null) {
            lagMillis.update(System.currentTimeMillis() - eventMillis);
        }
        return new ProducerRecord<>(topic, null, eventMillis, key.apply(element), valueOf(element));
    }

    /**
     * Never drops a record: if it cannot be written (registry down while registering the schema) the job fails,
     * retriable errors restart it from its checkpoint and the record is produced again.
     */
    private byte[] valueOf(T element) {
        try {
            return serde.serialize(topic, toAvro.apply(element));
        } catch (RuntimeException e) {
            throw JobFailures.escalate(e);
        }
    }
}
