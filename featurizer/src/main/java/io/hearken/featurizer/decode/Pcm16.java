package io.hearken.featurizer.decode;

import io.hearken.error.HearkenException;

/** Conversion between float samples in [-1, 1) and signed 16-bit little-endian PCM (the PCM_S16LE wire format). */
public final class Pcm16 {
    private Pcm16() {}

    /**
     * Float samples to PCM_S16LE: multiplied by 32768, rounded to nearest, clipped to [-32768, 32767].
     * NaN becomes 0.
     */
    public static byte[] toPcm16le(float[] interleaved) {
        if (interleaved == null) {
            throw HearkenException.badInput("Pcm16: samples must not be null");
        }
        byte[] out = new byte[interleaved.length * 2];
        for (int i = 0, j = 0; i < interleaved.length; i++, j += 2) {
            float x = interleaved[i] * 32768f; // exact: power-of-two scaling
            int v;
            if (x >= 32767f) {
                v = 32767;
            } else if (x <= -32768f) {
                v = -32768;
            } else {
                v = Math.round(x); // NaN -> 0; ties round up, as Math.round does
            }
            out[j] = (byte) v;
            out[j + 1] = (byte) (v >> 8);
        }
        return out;
    }

    /** PCM_S16LE to floats (value / 32768). */
    public static float[] fromPcm16le(byte[] bytes) {
        return fromPcm16le(bytes, "PCM_S16LE payload");
    }

    /** PCM_S16LE to floats (value / 32768); {@code sourceName} is named in errors (odd byte count). */
    public static float[] fromPcm16le(byte[] bytes, String sourceName) {
        String src = sourceName == null ? "PCM_S16LE payload" : sourceName;
        if (bytes == null) {
            throw HearkenException.badInput(src + ": no bytes (null)");
        }
        if ((bytes.length & 1) != 0) {
            throw HearkenException.badInput(src + ": PCM_S16LE needs an even number of bytes, got "
                    + bytes.length + " (dangling byte at byte " + (bytes.length - 1) + ")");
        }
        float[] out = new float[bytes.length / 2];
        for (int i = 0, j = 0; i < out.length; i++, j += 2) {
            out[i] = (short) ((bytes[j] & 0xFF) | (bytes[j + 1] << 8)) * (1f / 32768f);
        }
        return out;
    }
}
