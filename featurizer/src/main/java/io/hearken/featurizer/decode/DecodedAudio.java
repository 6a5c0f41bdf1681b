package io.hearken.featurizer.decode;

import io.hearken.error.HearkenException;

/**
 * Decoded PCM audio as floats, channels interleaved (frame-major: {@code [f0c0, f0c1, f1c0, ...]}).
 *
 * <p>Integer sources are scaled to [-1, 1); float sources are passed through unchanged (they may exceed ±1).
 * The array is shared, not copied (decoding long files should not double their memory); treat it as read-only.
 */
public record DecodedAudio(int sampleRate, int channels, float[] interleaved) {

    public DecodedAudio {
        if (sampleRate <= 0) {
            throw HearkenException.badInput("DecodedAudio: sampleRate must be > 0, got " + sampleRate);
        }
        if (channels <= 0) {
            throw HearkenException.badInput("DecodedAudio: channels must be > 0, got " + channels);
        }
        if (interleaved == null) {
            throw HearkenException.badInput("DecodedAudio: interleaved samples must not be null");
        }
        if (interleaved.length % channels != 0) {
            throw HearkenException.badInput("DecodedAudio: " + interleaved.length
                    + " interleaved samples is not a whole number of " + channels + "-channel frames");
        }
    }

    /** Number of sample frames (samples per channel). */
    public int frames() {
        return interleaved.length / channels;
    }

    /** Average of the channels, one value per frame; a fresh array (a copy for mono input). */
    public float[] mono() {
        return channels == 1 ? interleaved.clone() : mixToMono(interleaved, channels);
    }

    /**
     * Averages interleaved channels to mono. The one mixer of Hearken: files decoded offline and chunks in the
     * streaming job must become the same samples. A single channel is returned as is (not copied).
     */
    public static float[] mixToMono(float[] interleaved, int channels) {
        if (channels == 1) {
            return interleaved;
        }
        int frames = interleaved.length / channels;
        float[] out = new float[frames];
        double inv = 1.0 / channels;
        for (int f = 0, i = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i++];
            }
            out[f] = (float) (sum * inv);
        }
        return out;
    }

    public double durationSeconds() {
        return (double) frames() / sampleRate;
    }
}
