package io.hearken.sinks.tags;

import io.hearken.error.HearkenException;
import java.time.Duration;

/**
 * When a label's score opens and closes a tag event.
 *
 * @param threshold          probability at or above which a window supports the label ({@code sinks.tags.threshold}, default 0.3)
 * @param holdOff            how long a label must stay below threshold before its offset ({@code sinks.tags.hold.off.ms}, default 1.5 s)
 * @param inactivityTimeout  wall-clock time without any window after which a stream's open tags are closed
 *                           ({@code sinks.tags.inactivity.timeout.ms}, default 30 s): a stream that dies must not leave events open forever
 */
public record TagRules(float threshold, Duration holdOff, Duration inactivityTimeout) {
    public static final float DEFAULT_THRESHOLD = 0.3f;
    public static final Duration DEFAULT_HOLD_OFF = Duration.ofMillis(1500);
    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofSeconds(30);

    public TagRules {
        if (!(threshold > 0f && threshold <= 1f)) {
            throw HearkenException.config("sinks.tags.threshold must be in (0, 1], got " + threshold);
        }
        if (holdOff == null || holdOff.isNegative()) {
            throw HearkenException.config("sinks.tags.hold.off.ms must be >= 0, got " + holdOff);
        }
        if (inactivityTimeout == null || inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw HearkenException.config("sinks.tags.inactivity.timeout.ms must be > 0, got " + inactivityTimeout);
        }
    }

    public static TagRules defaults() {
        return new TagRules(DEFAULT_THRESHOLD, DEFAULT_HOLD_OFF, DEFAULT_INACTIVITY_TIMEOUT);
    }
}
