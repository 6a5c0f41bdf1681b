package io.hearken.inference.job;

import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** DeadLetterEvent → DeadLetter (Confluent Avro) on the dead-letter topic, keyed by the original key. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetterEvent> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String registryUrl;
    private transient ConfluentAvroSerde<DeadLetter> serde;

    public DeadLetterSerializer(String topic, String registryUrl) {
        this.topic = topic;
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = ConfluentAvroSerde.forValues(RegistryClients.create(registryUrl), DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetterEvent letter, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, letter.failedAtMicros / 1000, letter.originalKey,
                serde.serialize(topic, letter.toAvro()));
    }
}
