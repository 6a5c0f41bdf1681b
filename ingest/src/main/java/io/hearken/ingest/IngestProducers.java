package io.hearken.ingest;

import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.topics.Topic;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer ingest publishes with: idempotent and fully acknowledged, so an acknowledged chunk is never lost or doubled. */
public final class IngestProducers {
    public static final Field<Duration> LINGER = Field.duration("ingest.producer.linger")
            .withDefault(Duration.ofMillis(5))
            .withValidator(Validators.atMost(Duration.ofSeconds(1)))
            .withDescription("How long the producer waits to fill a batch (Kafka linger.ms, whole milliseconds): adds at "
                    + "most this to every chunk's latency.");
    // A chunk (250 ms of 44.1 kHz 16-bit audio is 22 KB) is bigger than Kafka's default 16 KB batch, which would make
    // every chunk its own batch; room for a dozen per partition lets the broker append many at once.
    public static final Field<Integer> BATCH_SIZE = Field.integer("ingest.producer.batch.size")
            .withDefault(256 * 1024).withUnit("bytes")
            .withValidator(Validators.atLeast(1024))
            .withDescription("Most bytes the producer batches per partition (Kafka batch.size); should hold several chunks.");

    /** The producer's batching, from {@link #LINGER} and {@link #BATCH_SIZE}. */
    public record Settings(Duration linger, int batchSizeBytes) {
        public Settings {
            linger = IngestOptions.valid(LINGER, linger);
            batchSizeBytes = IngestOptions.valid(BATCH_SIZE, batchSizeBytes);
        }

        public static Settings from(HearkenConfig config) {
            return new Settings(config.get(LINGER), config.get(BATCH_SIZE));
        }

        public static Settings defaults() {
            return new Settings(LINGER.defaultValue().orElseThrow(), BATCH_SIZE.defaultValue().orElseThrow());
        }
    }

    private IngestProducers() {
    }

    /** A producer with the default batching. */
    public static Producer<String, AudioChunk> create(String bootstrapServers, Topic<String, AudioChunk> topic) {
        return create(bootstrapServers, topic, Settings.defaults());
    }

    public static Producer<String, AudioChunk> create(String bootstrapServers, Topic<String, AudioChunk> topic, Settings settings) {
        return new KafkaProducer<>(properties(bootstrapServers, settings), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    static Properties properties(String bootstrapServers, Settings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchSizeBytes());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hearken-ingest");
        return props;
    }
}
