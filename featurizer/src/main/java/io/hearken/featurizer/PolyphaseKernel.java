package io.hearken.featurizer;

import io.hearken.error.HearkenException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Phase table of a Kaiser-windowed sinc low-pass filter for one rate pair, shared by every {@link Resampler}
 * of that pair (the table is immutable once built; building it costs far more than a stream's first chunk).
 *
 * <p>With {@code up = out/g} and {@code down = in/g} (g = gcd), output sample n sits at input time
 * {@code n*down/up = q + r/up}; phase r's taps are {@code h(j - before - r/up)} for j = 0..taps-1, applied to input
 * samples {@code q-before .. q-before+taps-1}. Each phase is normalised to unit DC gain so that no
 * phase-dependent gain modulation leaks in as spurious tones.
 */
final class PolyphaseKernel {
    /** Sinc zero crossings on each side of the centre, counted at the lower of the two rates. */
    static final int ZERO_CROSSINGS = 40;
    /** Cutoff as a fraction of the lower Nyquist frequency. */
    static final double ROLLOFF = 0.95;
    /** Kaiser beta: about 85 dB stop-band with 40 zero crossings, passband flat within 0.05 dB to 0.9 Nyquist. */
    static final double KAISER_BETA = 8.0;
    /** Refuse rate pairs whose reduced phase count would need a huge table (e.g. 191999 -> 192000). */
    static final long MAX_TABLE_FLOATS = 1L << 24;

    private static final ConcurrentHashMap<Long, PolyphaseKernel> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    /** Input samples used before the centre sample q (the window starts at q - before). */
    final int before;
    /** Taps per phase (a multiple of 4 so the dot product can use four accumulators). */
    final int taps;
    /** Phase-major coefficients: phase r occupies [r*taps, (r+1)*taps). */
    final float[] coeffs;

    private PolyphaseKernel(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        up = outRate / g;
        down = inRate / g;
        double ratio = Math.min(1.0, (double) up / down);
        double cutoff = 0.5 * ratio * ROLLOFF;            // cycles per input sample
        double halfWidth = ZERO_CROSSINGS / (2 * cutoff);  // input samples from centre to the window edge
        long k = (long) Math.ceil(halfWidth);
        long tapCount = (2 * k + 3) & ~3L;
        if (tapCount * up > MAX_TABLE_FLOATS) {
            throw HearkenException.config("Resampler: rate pair " + inRate + " -> " + outRate + " reduces to "
                    + down + ":" + up + ", whose phase table (" + tapCount * up + " coefficients) is too large");
        }
        before = (int) k - 1;
        taps = (int) tapCount;
        coeffs = new float[taps * up];
        double i0Beta = besselI0(KAISER_BETA);
        double[] h = new double[taps];
        for (int r = 0; r < up; r++) {
            double frac = (double) r / up;
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                double t = j - before - frac;
                double x = t / halfWidth;
                double v = 0;
                if (Math.abs(x) < 1) {
                    double window = besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0Beta;
                    v = 2 * cutoff * sinc(2 * cutoff * t) * window;
                }
                h[j] = v;
                sum += v;
            }
            for (int j = 0; j < taps; j++) {
                coeffs[r * taps + j] = (float) (h[j] / sum);
            }
        }
    }

    static PolyphaseKernel of(int inRate, int outRate) {
        return CACHE.computeIfAbsent(((long) inRate << 32) | outRate, key -> new PolyphaseKernel(inRate, outRate));
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta <= 20). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
