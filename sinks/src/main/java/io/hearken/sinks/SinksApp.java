package io.hearken.sinks;

import io.hearken.config.HearkenConfig;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.anomaly.AnomalyTopology;
import io.hearken.sinks.captions.CaptionSettings;
import io.hearken.sinks.captions.CaptionTopology;
import io.hearken.sinks.common.DeadLetterDeserializationHandler;
import io.hearken.sinks.common.RetryTransientFailures;
import io.hearken.sinks.tags.TagEventTopology;
import io.hearken.sinks.tags.TagRules;
import io.hearken.sinks.tags.TagSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** A sink (tag and caption events, or anomaly events) as a running Kafka Streams application. */
public final class SinksApp implements AutoCloseable {
    /** The default application id of the tag and caption sink ({@link TagSettings#APPLICATION_ID}). */
    public static final String DEFAULT_APPLICATION_ID = TagSettings.APPLICATION_ID.defaultValue().orElseThrow();
    /** The default application id (consumer group, store prefix) of the anomaly sink ({@link AnomalySettings#APPLICATION_ID}). */
    public static final String ANOMALY_APPLICATION_ID = AnomalySettings.APPLICATION_ID.defaultValue().orElseThrow();

    static final int SESSION_TIMEOUT_MS = 10_000;

    private final KafkaStreams streams;

    public SinksApp(Topology topology, Properties config) {
        this.streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(
                new RetryTransientFailures(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
    }

    public static SinksApp tags(HearkenTopics topics, TagRules rules, Properties config) {
        return new SinksApp(TagEventTopology.buildTopology(topics, rules), config);
    }

    /**
     * Tag and caption events from one read of the windows, in one application: both are written in the same
     * transaction as the consumed offsets, and captions describe exactly the tag events users see.
     */
    public static SinksApp tagsAndCaptions(HearkenTopics topics, TagRules rules, CaptionSettings captions, Properties config) {
        Topology topology = TagEventTopology.buildTopology(topics, rules);
        CaptionTopology.attach(topology, TagEventTopology.SOURCE, topics, rules, captions, captions.grammarCaptioner());
        return new SinksApp(topology, config);
    }

    /** The anomaly sink, as its own application (its own id and stores): see AnomalyTopology. */
    public static SinksApp anomalies(HearkenTopics topics, AnomalySettings settings, Properties config) {
        return new SinksApp(AnomalyTopology.buildTopology(topics, settings), config);
    }

    /**
     * The Kafka Streams configuration of one sink application: the {@code sinks.streams.*} settings of
     * {@code config} (which must include {@link StreamsSettings#CONFIG}), exactly-once processing, and records that
     * cannot be read dead-lettered.
     */
    public static Properties streamsConfig(HearkenConfig config, String bootstrapServers, String registryUrl,
                                           String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.find(StreamsSettings.STATE_DIR).ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        // Events are derived from windows exactly once: an offset acknowledged here is never re-emitted or lost.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(StreamsSettings.COMMIT_INTERVAL).toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(StreamsSettings.THREADS));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(DeadLetterDeserializationHandler.REGISTRY_URL_CONFIG, registryUrl);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
                config.get(StreamsSettings.AUTO_OFFSET_RESET));
        // A stream thread replaced after a retriable failure (RetryTransientFailures) stays in the group until its
        // session times out, and its partitions wait for that: 10 s rather than the default 45 s.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(StreamsSettings.REPLICATION_FACTOR));
        return props;
    }

    /** Every {@code sinks.streams.*} setting at its default, state in {@code stateDir}: for tests and the embedded platform. */
    public static Properties streamsConfig(String bootstrapServers, String registryUrl, String applicationId, Path stateDir) {
        HearkenConfig config = HearkenConfig.fromRaw(List.of(StreamsSettings.CONFIG),
                Map.of(StreamsSettings.STATE_DIR.key(), stateDir.toString()));
        return streamsConfig(config, bootstrapServers, registryUrl, applicationId);
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stream threads that died of an error since the start (those with a retriable error were replaced). */
    public long failedStreamThreads() {
        return streams.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("failed-stream-threads") && m.getKey().group().equals("stream-metrics"))
                .mapToLong(m -> ((Number) m.getValue().metricValue()).longValue())
                .sum();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
