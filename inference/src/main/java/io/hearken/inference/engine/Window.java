package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

/**
 * One window of a recording, ready for the model: where it lies in the recording (samples at the model's rate,
 * from the recording's start) and its log-mel, {@code [melBins][frames]} row-major as {@link AudioTagger#predict}
 * takes it. The mel array is not copied; treat it as read-only.
 */
public record Window(long startSample, long endSample, int sampleRate, float[] mel, int frames) {
    public Window {
        if (sampleRate <= 0 || startSample < 0 || endSample < startSample || frames < 1 || mel == null) {
            throw new HearkenException(ErrorKind.INTERNAL, "invalid window: samples " + startSample + ".." + endSample
                    + " at " + sampleRate + " Hz, " + frames + " frames");
        }
    }

    public double startSeconds() {
        return startSample / (double) sampleRate;
    }

    public double endSeconds() {
        return endSample / (double) sampleRate;
    }

    public long startMicros() {
        return startSample * 1_000_000L / sampleRate;
    }

    public long endMicros() {
        return endSample * 1_000_000L / sampleRate;
    }
}
