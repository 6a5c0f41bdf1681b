package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

/**
 * Power spectrum of a real frame of any length n >= 2. Powers of two (the fast path): one complex FFT of
 * size n/2 over the even/odd samples packed as real/imaginary parts, then the usual split step. Other even sizes
 * (e.g. 400): the same packing and split step around an exact mixed-radix complex FFT ({@link MixedRadixFft}) of
 * size n/2. Odd sizes: the mixed-radix FFT of size n on the real input.
 *
 * <p>Power-of-two path: the complex FFT is decimation-in-time on bit-reversed input, run as radix-4 passes (two
 * radix-2 stages at once: 3 complex multiplies per 4 points and half the memory passes) plus one radix-2 stage when
 * log2(n/2) is odd. The bit-reversal permutation is not a pass of its own: the first (twiddle-free) radix-4 pass reads
 * its inputs straight from the frame in bit-reversed order. Double precision throughout, so quiet bins next to loud
 * ones keep their relative accuracy.
 * Twiddles and the bit-reversal permutation are precomputed once per size and shared between instances.
 * Not thread-safe (internal scratch per instance).
 */
final class RealFft {
    private final int n;
    private final int half;
    private final int[] bitrev;
    /**
     * Twiddles of the radix-4 pass with quarter size h (blocks of 4h), W = e^{-2 pi i / 4h}: index h + j holds
     * W^j (tw1), W^2j (tw2), W^3j (tw3) for j < h; contiguous in j so the inner loop streams through them.
     * The final radix-2 stage (if any) uses tw2 at the same h.
     */
    private final double[] tw1Re;
    private final double[] tw1Im;
    private final double[] tw2Re;
    private final double[] tw2Im;
    private final double[] tw3Re;
    private final double[] tw3Im;
    /** e^{-2 pi i k / n}, k <= n/2: twiddles of the split step. */
    private final double[] splitRe;
    private final double[] splitIm;
    private final double[] re;
    private final double[] im;

    /** Complex FFT for sizes that are not powers of two (of size n/2 for even n, n for odd n); null otherwise. */
    private final MixedRadixFft mixed;

    /** Immutable tables per size, shared by all instances (only re/im and the mixed-radix scratch are per instance). */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, Plan> PLANS =
            new java.util.concurrent.ConcurrentHashMap<>();

    RealFft(int n) {
        if (n < 2) {
            throw HearkenException.config("RealFft: size must be >= 2, got " + n);
        }
        Plan p = PLANS.computeIfAbsent(n, Plan::new);
        this.n = n;
        this.half = n / 2;
        this.bitrev = p.bitrev;
        this.tw1Re = p.tw1Re;
        this.tw1Im = p.tw1Im;
        this.tw2Re = p.tw2Re;
        this.tw2Im = p.tw2Im;
        this.tw3Re = p.tw3Re;
        this.tw3Im = p.tw3Im;
        this.splitRe = p.splitRe;
        this.splitIm = p.splitIm;
        this.mixed = p.mixed == null ? null : new MixedRadixFft(p.mixed);
        int work = mixed == null ? half : mixed.size();
        this.re = new double[work];
        this.im = new double[work];
    }

    /** The size's twiddles, bit-reversal permutation (powers of two) or mixed-radix plan (other sizes). */
    private static final class Plan {
        final int[] bitrev;
        final double[] tw1Re;
        final double[] tw1Im;
        final double[] tw2Re;
        final double[] tw2Im;
        final double[] tw3Re;
        final double[] tw3Im;
        final double[] splitRe;
        final double[] splitIm;
        final MixedRadixFft.Plan mixed;

        Plan(int n) {
            int half = n / 2;
            splitRe = new double[half + 1];
            splitIm = new double[half + 1];
            for (int k = 0; k <= half; k++) {
                splitRe[k] = Math.cos(2 * Math.PI * k / n);
                splitIm[k] = -Math.sin(2 * Math.PI * k / n);
            }
            if (Integer.bitCount(n) != 1) {
                mixed = new MixedRadixFft.Plan(n % 2 == 0 ? half : n);
                bitrev = null;
                tw1Re = tw1Im = tw2Re = tw2Im = tw3Re = tw3Im = null;
                return;
            }
            mixed = null;
            int bits = Integer.numberOfTrailingZeros(half);
            bitrev = new int[half];
            for (int i = 0; i < half; i++) {
                bitrev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
            }
            int size = Math.max(2, half);
            tw1Re = new double[size];
            tw1Im = new double[size];
            tw2Re = new double[size];
            tw2Im = new double[size];
            tw3Re = new double[size];
            tw3Im = new double[size];
            for (int h = 1; h < half; h <<= 1) {
                for (int j = 0; j < h; j++) {
                    double a = -2 * Math.PI * j / (4.0 * h);
                    tw1Re[h + j] = Math.cos(a);
                    tw1Im[h + j] = Math.sin(a);
                    tw2Re[h + j] = Math.cos(2 * a);
                    tw2Im[h + j] = Math.sin(2 * a);
                    tw3Re[h + j] = Math.cos(3 * a);
                    tw3Im[h + j] = Math.sin(3 * a);
                }
            }
        }
    }

    int size() {
        return n;
    }

    /** power[k] = |X[k]|^2 for k = 0..n/2 (integer division), X = DFT of frame[0..n). frame is not modified. */
    void power(double[] frame, double[] power) {
        if (mixed != null) {
            powerMixed(frame, power);
            return;
        }
        final double[] xr = re;
        final double[] xi = im;
        int h = 1;
        if (4 <= half) {
            // Pack z[m] = x[2m] + i x[2m+1] and run the first radix-4 pass (h = 1: every twiddle is 1, additions
            // only) in one sweep: block a0 takes z at bitrev(a0) + {0, half/2, half/4, 3half/4} (bit-reversed
            // order), read straight from the frame instead of permuting it in a pass of its own.
            int q1 = half;
            int q2 = half / 2;
            int q3 = q1 + q2;
            for (int a0 = 0; a0 < half; a0 += 4) {
                int m = 2 * bitrev[a0];
                double x0r = frame[m];
                double x0i = frame[m + 1];
                double x1r = frame[m + q1];
                double x1i = frame[m + q1 + 1];
                double x2r = frame[m + q2];
                double x2i = frame[m + q2 + 1];
                double x3r = frame[m + q3];
                double x3i = frame[m + q3 + 1];
                double y0r = x0r + x1r;
                double y0i = x0i + x1i;
                double y1r = x0r - x1r;
                double y1i = x0i - x1i;
                double sr = x2r + x3r;
                double si = x2i + x3i;
                double dr = x2r - x3r;
                double di = x2i - x3i;
                xr[a0] = y0r + sr;
                xi[a0] = y0i + si;
                xr[a0 + 2] = y0r - sr;
                xi[a0 + 2] = y0i - si;
                xr[a0 + 1] = y1r + di;
                xi[a0 + 1] = y1i - dr;
                xr[a0 + 3] = y1r - di;
                xi[a0 + 3] = y1i + dr;
            }
            h = 4;
        } else {
            for (int m = 0; m < half; m++) {
                int d = bitrev[m];
                xr[d] = frame[2 * m];
                xi[d] = frame[2 * m + 1];
            }
        }
        // Radix-4 passes: block of 4h, inputs x0..x3 at a, a+h, a+2h, a+3h.
        //   t1 = W^2j x1, t2 = W^j x2, t3 = W^3j x3; y0 = x0 + t1, y1 = x0 - t1; s = t2 + t3, d = t2 - t3
        //   z0 = y0 + s, z2 = y0 - s, z1 = y1 - i d, z3 = y1 + i d
        while (4 * h <= half) {
            int block = 4 * h;
            for (int start = 0; start < half; start += block) {
                for (int j = 0; j < h; j++) {
                    int a0 = start + j;
                    int a1 = a0 + h;
                    int a2 = a1 + h;
                    int a3 = a2 + h;
                    int t = h + j;
                    double w1r = tw1Re[t];
                    double w1i = tw1Im[t];
                    double w2r = tw2Re[t];
                    double w2i = tw2Im[t];
                    double w3r = tw3Re[t];
                    double w3i = tw3Im[t];
                    double x1r = xr[a1];
                    double x1i = xi[a1];
                    double x2r = xr[a2];
                    double x2i = xi[a2];
                    double x3r = xr[a3];
                    double x3i = xi[a3];
                    double t1r = x1r * w2r - x1i * w2i;
                    double t1i = x1r * w2i + x1i * w2r;
                    double t2r = x2r * w1r - x2i * w1i;
                    double t2i = x2r * w1i + x2i * w1r;
                    double t3r = x3r * w3r - x3i * w3i;
                    double t3i = x3r * w3i + x3i * w3r;
                    double x0r = xr[a0];
                    double x0i = xi[a0];
                    double y0r = x0r + t1r;
                    double y0i = x0i + t1i;
                    double y1r = x0r - t1r;
                    double y1i = x0i - t1i;
                    double sr = t2r + t3r;
                    double si = t2i + t3i;
                    double dr = t2r - t3r;
                    double di = t2i - t3i;
                    xr[a0] = y0r + sr;
                    xi[a0] = y0i + si;
                    xr[a2] = y0r - sr;
                    xi[a2] = y0i - si;
                    // -i d = di - i dr ; +i d = -di + i dr
                    xr[a1] = y1r + di;
                    xi[a1] = y1i - dr;
                    xr[a3] = y1r - di;
                    xi[a3] = y1i + dr;
                }
            }
            h *= 4;
        }
        if (h < half) {
            // One radix-2 stage left (log2(half) odd): pairs (j, j + h), twiddle e^{-2 pi i j / 2h} = W^2j (W of 4h).
            for (int j = 0; j < h; j++) {
                int a = j;
                int b = j + h;
                double wr = tw2Re[h + j];
                double wi = tw2Im[h + j];
                double br = xr[b] * wr - xi[b] * wi;
                double bi = xr[b] * wi + xi[b] * wr;
                double ar = xr[a];
                double ai = xi[a];
                xr[b] = ar - br;
                xi[b] = ai - bi;
                xr[a] = ar + br;
                xi[a] = ai + bi;
            }
        }
        split(power);
    }

    private void powerMixed(double[] frame, double[] power) {
        final double[] xr = re;
        final double[] xi = im;
        if ((n & 1) != 0) {
            for (int m = 0; m < n; m++) {
                xr[m] = frame[m];
                xi[m] = 0;
            }
            mixed.transform(xr, xi);
            for (int k = 0; k <= half; k++) {
                power[k] = xr[k] * xr[k] + xi[k] * xi[k];
            }
            return;
        }
        for (int m = 0; m < half; m++) {
            xr[m] = frame[2 * m];
            xi[m] = frame[2 * m + 1];
        }
        mixed.transform(xr, xi);
        split(power);
    }

    /** The split step on Z = re + i im (the size-n/2 DFT of the packed frame), writing power[0..n/2]. */
    private void split(double[] power) {
        final double[] xr = re;
        final double[] xi = im;
        // Split: with A = Z[k], B = conj Z[h-k]: E = (A + B) / 2, O = (A - B) / 2i, P = e^{-2 pi i k/n} O gives
        // X[k] = E + P and X[h-k] = conj(E - P), so each pass of this loop yields two bins.
        double z0r = xr[0];
        double z0i = xi[0];
        power[0] = (z0r + z0i) * (z0r + z0i);
        power[half] = (z0r - z0i) * (z0r - z0i);
        for (int k = 1, k2 = half - 1; k <= k2; k++, k2--) {
            double ar = xr[k];
            double ai = xi[k];
            double br = xr[k2];
            double bi = -xi[k2];
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai + bi);
            // (A - B) / (2i) = (ai - bi)/2 - i (ar - br)/2
            double or = 0.5 * (ai - bi);
            double oi = -0.5 * (ar - br);
            double wr = splitRe[k];
            double wi = splitIm[k];
            double pr = or * wr - oi * wi;
            double pi = or * wi + oi * wr;
            double sr = er + pr;
            double si = ei + pi;
            double dr = er - pr;
            double di = ei - pi;
            power[k] = sr * sr + si * si;
            power[k2] = dr * dr + di * di;
        }
    }
}
