package io.hearken.sinks;

import io.hearken.config.ConfigGroup;
import io.hearken.sinks.alerts.AlertSettings;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.captions.CaptionSettings;
import io.hearken.sinks.tags.TagSettings;
import java.util.List;

/** Every settings group of the sinks module, for the loader and the reference. */
public final class SinksSettings {
    public static final List<ConfigGroup> GROUPS = List.of(TagSettings.CONFIG, CaptionSettings.CONFIG,
            AnomalySettings.CONFIG, AlertSettings.CONFIG, StreamsSettings.CONFIG);

    private SinksSettings() {
    }
}
