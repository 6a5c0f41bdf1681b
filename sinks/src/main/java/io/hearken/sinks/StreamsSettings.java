package io.hearken.sinks;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.Validators;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the sinks run as Kafka Streams applications: the {@code sinks.streams.*} settings ({@link #CONFIG}), shared by
 * every sink application and read by {@link SinksApp#streamsConfig}. Bootstrap servers and the registry URL are the
 * schemas module's Kafka settings; the application ids are each sink's own ({@code sinks.tags.application.id},
 * {@code sinks.anomaly.application.id}).
 */
public final class StreamsSettings {
    public static final Field<Integer> REPLICATION_FACTOR = Field.integer("sinks.streams.replication.factor")
            .withDefault(1)
            .withValidator(Validators.atLeast(1))
            .withDescription("Replication factor of the sinks' internal topics (state store changelogs, "
                    + "repartition topics). 1 suits the embedded single-broker platform of demo and the tests; "
                    + "production clusters set 3.");
    public static final Field<String> AUTO_OFFSET_RESET = Field.enumeration("sinks.streams.auto.offset.reset",
                    "earliest", "latest")
            .withDefault("earliest")
            .withDescription("Where a sink starts reading when its application has no committed offsets: earliest "
                    + "turns every window already on the topic into events, latest only new ones.");
    public static final Field<Duration> COMMIT_INTERVAL = Field.duration("sinks.streams.commit.interval")
            .withDefault(Duration.ofMillis(200))
            .withValidator(Validators.atLeast(Duration.ofMillis(1)))
            .withDescription("How often the sinks commit. With exactly-once processing this is also how often "
                    + "their events become visible to read_committed consumers: shorter means less latency, more "
                    + "transactions.");
    public static final Field<Path> STATE_DIR = Field.path("sinks.streams.state.dir").optional()
            .withDescription("Directory of the sinks' local state stores (each application in its own "
                    + "subdirectory). Default: Kafka Streams' own, kafka-streams in the temporary directory.");
    public static final Field<Integer> THREADS = Field.integer("sinks.streams.threads").withDefault(1)
            .withValidator(Validators.range(1, 64))
            .withDescription("Stream threads of each sink application; more than the input topic's partitions "
                    + "leaves threads idle.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("sinks.streams",
            "Kafka Streams settings shared by the sink applications.",
            REPLICATION_FACTOR, AUTO_OFFSET_RESET, COMMIT_INTERVAL, STATE_DIR, THREADS);

    private StreamsSettings() {
    }
}
