package io.hearken.inference.engine;

import io.hearken.error.HearkenException;
import java.io.Serializable;
import java.time.Duration;

/**
 * A named way of analysing a stream: window length and hop (the model is the job's). Chunks name their profile.
 * The default profile uses 2 s windows with 1 s hop: measured with the reference implementation, efficientat-mn04
 * tags far better on 2 s than on 1 s windows (snoring clip: best window 0.86 vs 0.36) at half the inference cost per
 * audio second. Machine monitoring prefers 1 s windows with 0.5 s hop.
 */
public record StreamProfile(String name, Duration window, Duration hop) implements Serializable {
    public static final StreamProfile DEFAULT = new StreamProfile("default", Duration.ofSeconds(2), Duration.ofSeconds(1));
    public static final StreamProfile MACHINE = new StreamProfile("machine", Duration.ofSeconds(1), Duration.ofMillis(500));

    public StreamProfile {
        if (name == null || name.isBlank()) {
            throw HearkenException.config("profile name must not be blank");
        }
        if (window == null || window.toMillis() < 100 || window.toSeconds() > 60) {
            throw HearkenException.config("profile " + name + ": window must be between 100 ms and 60 s, got " + window);
        }
        if (hop == null || hop.toMillis() < 10 || hop.compareTo(window) > 0) {
            throw HearkenException.config("profile " + name + ": hop must be between 10 ms and the window (" + window
                    + "), got " + hop);
        }
    }

    /** Window length in samples at the given rate. */
    public int windowSamples(int sampleRate) {
        return (int) (window.toNanos() * sampleRate / 1_000_000_000L);
    }

    public int hopSamples(int sampleRate) {
        return (int) (hop.toNanos() * sampleRate / 1_000_000_000L);
    }
}
