package io.hearken.ingest;

import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.topics.Topic;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer ingest publishes with: idempotent and fully acknowledged, so an acknowledged chunk is never lost or doubled. */
public final class IngestProducers {
    private IngestProducers() {
    }

    public static Producer<String, AudioChunk> create(String bootstrapServers, Topic<String, AudioChunk> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A chunk (250 ms of 44.1 kHz 16-bit audio is 22 KB) is bigger than the default 16 KB batch, which would make
        // every chunk its own batch; room for a dozen per partition lets the broker append many at once.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hearken-ingest");
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }
}
