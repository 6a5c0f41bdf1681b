package io.hearken.cli;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigLoader;
import io.hearken.config.Field;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.ingest.IngestOptions;
import io.hearken.job.JobSettings;
import io.hearken.platform.PlatformSettings;
import io.hearken.schemas.topics.KafkaSettings;
import io.hearken.sinks.SinksSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Every settings group the CLI knows, in the order of the reference: THE place to plug in a module's group. What is
 * listed here is what {@code --config}, {@code HEARKEN_*}, {@code --set}, {@code config check} and
 * {@code config reference} (and so docs/CONFIGURATION.md) accept.
 */
final class SettingsCatalog {
    static final List<ConfigGroup> ALL = catalogue();

    private static List<ConfigGroup> catalogue() {
        List<ConfigGroup> all = new ArrayList<>(List.of(KafkaSettings.CONFIG, JobSettings.CONFIG, EngineSettings.CONFIG,
                IngestOptions.CONFIG, PlatformSettings.CONFIG));
        all.addAll(SinksSettings.GROUPS);
        return List.copyOf(all);
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
}
