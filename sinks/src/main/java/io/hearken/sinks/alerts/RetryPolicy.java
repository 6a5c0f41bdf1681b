package io.hearken.sinks.alerts;

import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently a webhook delivery is retried: exponential backoff with full jitter (the wait before
 * retry n is uniform in [0, min(maxBackoff, initialBackoff * multiplier^(n-1))]), so endpoints recovering from an
 * outage are not hit by every Hearken instance in lock-step.
 *
 * @param maxAttempts    attempts in all, the first included (default 6)
 * @param initialBackoff cap of the first wait (default 500 ms)
 * @param maxBackoff     cap of any wait (default 60 s)
 * @param multiplier     growth of the cap per attempt (default 2)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final double DEFAULT_MULTIPLIER = 2.0;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw HearkenException.config("retry.max_attempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw HearkenException.config("retry.initial_backoff must be >= 0, got " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw HearkenException.config("retry.max_backoff must be >= retry.initial_backoff, got " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw HearkenException.config("retry.multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER);
    }

    /** The largest wait after the given number of failed attempts (1 = after the first attempt failed). */
    public Duration backoffCap(int failedAttempts) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }

    /** Full jitter: uniform in [0, {@link #backoffCap}]. {@code random} yields values in [0, 1). */
    public Duration backoff(int failedAttempts, DoubleSupplier random) {
        return Duration.ofMillis((long) (random.getAsDouble() * (backoffCap(failedAttempts).toMillis() + 1)));
    }
}
