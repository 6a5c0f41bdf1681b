package io.hearken.sinks.tags;

import io.hearken.error.HearkenException;
import java.time.Duration;

/**
 * How one label (or label group) opens and closes tag events on one stream, fully resolved.
 *
 * @param threshold       score at or above which a window hears the label ({@code threshold}, in (0, 1])
 * @param minLoudnessDbfs loudness gate: a window quieter than this (dBFS) never hears the label, so it neither counts
 *                        towards an onset nor keeps an open tag alive ({@code min_loudness_dbfs}; default none)
 * @param onsetWindows    K: the onset needs this many consecutive windows hearing the label ({@code onset_windows}, >= 1)
 * @param maxNotHeard     hold-off: an open tag closes once the label has not been heard for this long
 *                        ({@code max_not_heard}, >= 0), measured in audio time from the end of the last window that heard it
 */
public record LabelRule(float threshold, float minLoudnessDbfs, int onsetWindows, Duration maxNotHeard) {
    /** No loudness gate: every window may support an onset. */
    public static final float NO_GATE = Float.NEGATIVE_INFINITY;

    public LabelRule {
        validate(threshold, minLoudnessDbfs, onsetWindows, maxNotHeard, "");
    }

    /** Audio-time hold-off in microseconds. */
    public long maxNotHeardMicros() {
        return maxNotHeard.toNanos() / 1000;
    }

    static void validate(Float threshold, Float minLoudnessDbfs, Integer onsetWindows, Duration maxNotHeard, String path) {
        if (threshold != null && !(threshold > 0f && threshold <= 1f)) {
            throw bad(path, "threshold", "must be in (0, 1]", threshold);
        }
        if (minLoudnessDbfs != null && (minLoudnessDbfs.isNaN() || minLoudnessDbfs > 0f)) {
            throw bad(path, "min_loudness_dbfs", "must be a level in dBFS (<= 0)", minLoudnessDbfs);
        }
        if (onsetWindows != null && (onsetWindows < 1 || onsetWindows > 1000)) {
            throw bad(path, "onset_windows", "must be a whole number in [1, 1000]", onsetWindows);
        }
        if (maxNotHeard != null && maxNotHeard.isNegative()) {
            throw bad(path, "max_not_heard", "must be >= 0", maxNotHeard);
        }
    }

    static HearkenException bad(String path, String key, String rule, Object got) {
        return HearkenException.config("tag rules: " + TagRules.join(path, key) + " " + rule + ", got " + got);
    }
}
