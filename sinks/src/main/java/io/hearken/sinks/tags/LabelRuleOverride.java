package io.hearken.sinks.tags;

import java.time.Duration;

/**
 * Part of a {@link LabelRule}: the fields set here replace the ones below them in precedence, null fields inherit.
 * See {@link TagRules} for the order.
 */
public record LabelRuleOverride(Float threshold, Float minLoudnessDbfs, Integer onsetWindows, Duration maxNotHeard) {
    public static final LabelRuleOverride NONE = new LabelRuleOverride(null, null, null, null);

    public static LabelRuleOverride threshold(float threshold) {
        return new LabelRuleOverride(threshold, null, null, null);
    }

    public LabelRuleOverride withThreshold(float value) {
        return new LabelRuleOverride(value, minLoudnessDbfs, onsetWindows, maxNotHeard);
    }

    public LabelRuleOverride withMinLoudnessDbfs(float value) {
        return new LabelRuleOverride(threshold, value, onsetWindows, maxNotHeard);
    }

    public LabelRuleOverride withOnsetWindows(int value) {
        return new LabelRuleOverride(threshold, minLoudnessDbfs, value, maxNotHeard);
    }

    public LabelRuleOverride withMaxNotHeard(Duration value) {
        return new LabelRuleOverride(threshold, minLoudnessDbfs, onsetWindows, value);
    }

    LabelRule applyTo(LabelRule base) {
        if (this == NONE) {
            return base;
        }
        return new LabelRule(threshold != null ? threshold : base.threshold(),
                minLoudnessDbfs != null ? minLoudnessDbfs : base.minLoudnessDbfs(),
                onsetWindows != null ? onsetWindows : base.onsetWindows(),
                maxNotHeard != null ? maxNotHeard : base.maxNotHeard());
    }

    void validate(String path) {
        LabelRule.validate(threshold, minLoudnessDbfs, onsetWindows, maxNotHeard, path);
    }
}
