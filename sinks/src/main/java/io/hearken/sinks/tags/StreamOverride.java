package io.hearken.sinks.tags;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What changes for the streams whose id matches one key of {@code streams}: every field is optional (null or empty
 * inherits). {@code groups} add to (or redefine by name) the global groups; {@code listen}, when not null, replaces
 * the global list.
 */
public record StreamOverride(LabelRuleOverride defaults, Map<String, LabelRuleOverride> labels,
                             Map<String, List<String>> groups, List<String> listen, Duration inactivityTimeout) {
    public StreamOverride {
        defaults = defaults == null ? LabelRuleOverride.NONE : defaults;
        labels = labels == null ? Map.of() : labels;
        groups = groups == null ? Map.of() : groups;
    }

    public static StreamOverride defaults(LabelRuleOverride defaults) {
        return new StreamOverride(defaults, null, null, null, null);
    }

    public static StreamOverride listen(List<String> listen) {
        return new StreamOverride(null, null, null, listen, null);
    }
}
