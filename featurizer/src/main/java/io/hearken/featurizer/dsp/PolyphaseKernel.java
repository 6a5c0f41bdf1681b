package io.hearken.featurizer.dsp;

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
 *
 * <p>Design, with F the lower of the two Nyquist frequencies: flat passband up to 0.9 F (ripple about 0.02 dB),
 * stop band from 1.1 F, where aliases (or images) would start to fold back into that passband, with about 90 dB of
 * attenuation (the band between F and 1.1 F may alias into 0.9 F .. F, above the passband, as in most resamplers).
 * The window spans {@value #WINDOW_LENGTH} samples of the lower rate (Kaiser's length formula gives about 84 dB for
 * a 0.2 F transition band), beta {@value #KAISER_BETA} and cutoff {@value #CUTOFF} F, which spends some of the
 * passband's ripple allowance to move the transition band down a little (found by measuring the response: about
 * 90 dB). Taps per output: that window in input samples, rounded up to even; 74 for 44.1 -> 32 kHz.
 *
 * <p>The kernel also describes the residue-major evaluation order used by {@link Resampler} for long calls: outputs
 * are grouped by {@code s = n mod period} ({@code period = k*up} outputs, {@code k*down} inputs); outputs with the same
 * residue use the same phase and start their windows at {@code m*k*down + rowOffset[s] - before} (m = n / period), so
 * the input de-interleaved into rows {@code row[p][m] = x[m*k*down - before + p]} lets one loop over m compute many
 * outputs at once with plain element-wise array arithmetic (which the JIT vectorises).
 */
final class PolyphaseKernel {
    /** Window length in samples of the lower of the two rates (both sides of the centre together). */
    static final int WINDOW_LENGTH = 53;
    /** Cutoff as a fraction of the lower Nyquist frequency. */
    static final double CUTOFF = 0.99;
    /** Kaiser beta. */
    static final double KAISER_BETA = 9.0;
    /** Refuse rate pairs whose reduced phase count would need a huge table (e.g. 191999 -> 192000: 10M floats). */
    static final long MAX_TABLE_FLOATS = 1L << 23;
    /** Residue-major evaluation only for periods and row counts up to these (scratch stays small); else per-output. */
    static final int MAX_PERIOD = 4096;
    static final int MAX_ROWS = 8192;

    private static final ConcurrentHashMap<Long, PolyphaseKernel> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    /** Input samples used before the centre sample q (the window starts at q - before). */
    final int before;
    /** Taps per phase (even). */
    final int taps;
    /** Phase-major coefficients: phase r occupies [r*taps, (r+1)*taps). */
    final float[] coeffs;

    /** Residue-major order: outputs per period (a multiple of up), or 0 if this pair is evaluated per output only. */
    final int period;
    /** Input samples per period. */
    final int periodIn;
    /** Rows of de-interleaved input the residues read (max rowOffset + taps). */
    final int rows;
    /** For residue s: the first row its window reads, floor(s*down/up). */
    final int[] rowOffset;
    /** For residue s: offset of its phase's coefficients in {@link #coeffs}. */
    final int[] coeffOffset;

    private PolyphaseKernel(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        up = outRate / g;
        down = inRate / g;
        int lower = Math.min(up, down);
        // taps = 2*ceil(WINDOW_LENGTH * down / lower / 2): the window in input samples, rounded up to an even count.
        long half = ((long) WINDOW_LENGTH * down + 2L * lower - 1) / (2L * lower);
        long tapCount = 2 * half;
        if (tapCount * up > MAX_TABLE_FLOATS) {
            throw HearkenException.config("Resampler: rate pair " + inRate + " -> " + outRate + " reduces to "
                    + down + ":" + up + ", whose phase table (" + tapCount * up + " coefficients) is too large");
        }
        taps = (int) tapCount;
        before = taps / 2 - 1;
        double halfWidth = taps / 2.0;                               // input samples from centre to window edge
        double cutoff = 0.5 * lower / down * CUTOFF;                 // cycles per input sample
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

        // A period of at least 'taps' input samples keeps the de-interleaved input under two copies of the input.
        long k = Math.max(1, (taps + down - 1) / down);
        long p = k * up;
        if (p <= MAX_PERIOD && k * down + taps <= MAX_ROWS) {
            period = (int) p;
            periodIn = (int) (k * down);
            rowOffset = new int[period];
            coeffOffset = new int[period];
            int maxRow = 0;
            for (int s = 0; s < period; s++) {
                long num = (long) s * down;
                rowOffset[s] = (int) (num / up);
                coeffOffset[s] = (int) (num % up) * taps;
                maxRow = Math.max(maxRow, rowOffset[s]);
            }
            rows = maxRow + taps;
        } else {
            period = 0;
            periodIn = 0;
            rows = 0;
            rowOffset = new int[0];
            coeffOffset = new int[0];
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
