package io.hearken.platform;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code platform} settings of {@link EmbeddedPlatform}: how the in-process broker, registry and metrics listen
 * and where their files go. Production has its own Kafka and Schema Registry instead.
 *
 * @param partitions   partitions of every topic ({@link #PARTITIONS})
 * @param kafkaPort    the broker's client port, 0 for any free one ({@link #KAFKA_PORT})
 * @param registryPort the registry's port, 0 for any free one ({@link #REGISTRY_PORT})
 * @param dataDir      where the platform keeps its files, or empty for a temporary directory ({@link #DATA_DIR})
 * @param metricsPorts the Prometheus endpoint's port or range, or empty for none ({@link #METRICS_PORT})
 */
public record PlatformSettings(int partitions, int kafkaPort, int registryPort, Optional<Path> dataDir,
                               Optional<PortRange> metricsPorts) {
    public static final Field<Integer> PARTITIONS = Field.integer("platform.partitions").withDefault(4)
            .withValidator(Validators.range(1, 256))
            .withDescription("Partitions of every topic: streams spread over them by key, and the job reads at "
                    + "most this many in parallel; enough for a laptop's cores.");
    public static final Field<Integer> KAFKA_PORT = Field.integer("platform.kafka.port").withDefault(0)
            .withValidator(Validators.range(0, 65535))
            .withDescription("Client port of the embedded Kafka broker on 127.0.0.1; 0 takes any free port "
                    + "(so several platforms can run side by side).");
    public static final Field<Integer> REGISTRY_PORT = Field.integer("platform.registry.port").withDefault(0)
            .withValidator(Validators.range(0, 65535))
            .withDescription("Port of the in-process schema registry on 127.0.0.1; 0 takes any free port.");
    public static final Field<Path> DATA_DIR = Field.path("platform.data.dir").optional()
            .withDescription("Where the broker's logs, the job's checkpoints and the sinks' state go; kept on exit "
                    + "(a later run sees the earlier run's records). Default: a temporary directory, deleted on exit.");
    public static final Field<Optional<PortRange>> METRICS_PORT = Field.<Optional<PortRange>>custom("platform.metrics.port",
                    PlatformSettings::parseMetricsPorts, ports -> ports.map(PortRange::toString).orElse("none"))
            .withDefault(Optional.of(new PortRange(9249, 9299)))
            .withAllowed("a port, a range such as 9249-9299, or none")
            .withDescription("Port of the Prometheus endpoint of the job's metrics; with a range the first free "
                    + "port is taken, so several platforms can run side by side; none for no endpoint.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("platform",
            "The embedded platform of demo and bench stream: broker, schema registry and metrics in one process.",
            PARTITIONS, KAFKA_PORT, REGISTRY_PORT, DATA_DIR, METRICS_PORT);

    public PlatformSettings {
        // Programmatic callers get the same checks as configured values.
        partitions = valid(PARTITIONS, partitions);
        kafkaPort = valid(KAFKA_PORT, kafkaPort);
        registryPort = valid(REGISTRY_PORT, registryPort);
        if (dataDir == null || metricsPorts == null) {
            throw new IllegalArgumentException("dataDir and metricsPorts must not be null (use Optional.empty())");
        }
    }

    public static PlatformSettings from(HearkenConfig config) {
        return new PlatformSettings(config.get(PARTITIONS), config.get(KAFKA_PORT), config.get(REGISTRY_PORT),
                config.find(DATA_DIR), config.get(METRICS_PORT));
    }

    /** Every setting at its default. */
    public static PlatformSettings defaults() {
        return from(HearkenConfig.fromRaw(List.of(CONFIG), Map.of()));
    }

    public PlatformSettings withMetricsPorts(Optional<PortRange> ports) {
        return new PlatformSettings(partitions, kafkaPort, registryPort, dataDir, ports);
    }

    private static Optional<PortRange> parseMetricsPorts(String text) {
        return text.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(PortRange.parse(text));
    }

    private static <T> T valid(Field<T> field, T value) {
        try {
            return field.parse(field.format(value));
        } catch (IllegalArgumentException e) {
            throw HearkenException.config(field.key() + ": " + e.getMessage());
        }
    }
}
