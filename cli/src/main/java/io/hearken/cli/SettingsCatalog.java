package io.hearken.cli;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigLoader;
import io.hearken.config.Field;
import io.hearken.ingest.IngestOptions;
import io.hearken.platform.PlatformSettings;
import java.util.List;

/**
 * Every settings group the CLI knows, in the order of the reference: THE place to plug in a module's group. What is
 * listed here is what {@code --config}, {@code HEARKEN_*}, {@code --set}, {@code config check} and
 * {@code config reference} (and so docs/CONFIGURATION.md) accept.
 */
final class SettingsCatalog {
    static final List<ConfigGroup> ALL = List.of(
            // KafkaSettings.CONFIG, JobSettings.CONFIG, EngineSettings.CONFIG go here, in that order,
            IngestOptions.CONFIG,
            PlatformSettings.CONFIG
            // and the sinks' groups (sinks.tags, sinks.captions, sinks.anomaly, sinks.alerts, sinks.streams) here.
    );

    /**
     * Key prefixes of groups that are declared in modules but not listed in {@link #ALL} yet. A named flag
     * ({@code demo --parallelism}) or an alias file ({@code demo --anomaly-settings}) whose key has one of these
     * prefixes stays out of the loader, and its command reads the option itself; everything else is validated. A test
     * fails once a prefix's group is in {@link #ALL}: then delete the prefix and read the group through its
     * {@code from(HearkenConfig)}.
     */
    static final List<String> AWAITED = List.of("kafka.", "schema.registry.", "job.", "inference.", "model.", "sinks.");

    /** Keys of awaited groups that named flags set; once the group is in {@link #ALL}, use its Field's key() instead. */
    static final class Keys {
        static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
        static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
        static final String JOB_PARALLELISM = "job.parallelism";
        static final String JOB_CHECKPOINT_INTERVAL = "job.checkpoint.interval";
        static final String JOB_INFERENCE_CAPACITY = "job.inference.capacity";
        static final String INFERENCE_DEVICE = "inference.device";
        static final String MODEL_DIR = "model.dir";
        static final String SINKS_TAGS_RULES = "sinks.tags.rules";
        static final String SINKS_ALERTS_RULES = "sinks.alerts.rules";
        static final String SINKS_ANOMALY_PREFIX = "sinks.anomaly.";

        private Keys() {
        }
    }

    private static final ConfigLoader LOADER = ConfigLoader.of(ALL);

    private SettingsCatalog() {
    }

    static ConfigLoader loader() {
        return LOADER;
    }

    static boolean declares(String key) {
        return ALL.stream().flatMap(g -> g.fields().stream()).map(Field::key).anyMatch(key::equals);
    }

    /** Whether {@code key} belongs to a group not yet in {@link #ALL} (see {@link #AWAITED}). */
    static boolean awaited(String key) {
        return !declares(key) && AWAITED.stream().anyMatch(key::startsWith);
    }
}
