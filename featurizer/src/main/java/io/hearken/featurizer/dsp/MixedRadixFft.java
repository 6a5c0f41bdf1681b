package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

/**
 * In-place complex DFT of any size n >= 1, X[k] = sum_m x[m] e^{-2 pi i m k / n}, by the self-sorting (Stockham)
 * mixed-radix algorithm: n is factored into radices 4, 2, 3, 5 (hand-written butterflies) and any other primes
 * (a direct p-point DFT per butterfly, O(n p) per stage), so sizes such as 400 = 4 * 2 * 5 * 5 are exact (no
 * Bluestein chirp, no approximation; rounding only). Double precision; twiddles computed directly with cos/sin of
 * the reduced angle. Cost O(n sum(p)); meant for smooth sizes (the front end configuration only admits sizes whose
 * prime factors are at most {@link #MAX_PRIME}). Used by {@link RealFft} for sizes that are not powers of two.
 *
 * <p>Stage with radix p, after the previous stages have formed DFTs of length ls = L/p of the r*p interleaved
 * subsequences (r = n/L): for j1 < ls and k < r, c_q = w_L^{q j1} a[j1 r p + q r + k] (q < p), then
 * b[(j1 + ls j2) r + k] = sum_q c_q w_p^{q j2}. Input and output alternate between the caller's arrays and internal
 * scratch (no bit reversal). Tables live in a shareable {@link Plan}; an instance is not thread-safe (scratch).
 */
final class MixedRadixFft {
    /** Largest prime factor the configuration layer admits (the algorithm itself takes any). */
    static final int MAX_PRIME = 13;

    private static final double SIN60 = Math.sqrt(3) / 2;
    private static final double C72 = Math.cos(2 * Math.PI / 5);
    private static final double C144 = Math.cos(4 * Math.PI / 5);
    private static final double S72 = Math.sin(2 * Math.PI / 5);
    private static final double S144 = Math.sin(4 * Math.PI / 5);

    private final int n;
    private final int[] radix;
    /** Twiddles of stage s: index j1 * (p - 1) + (q - 1) holds w_L^{q j1}. */
    private final double[][] twRe;
    private final double[][] twIm;
    /** Generic radix p: genRe[p][k] = cos(2 pi k / p), genIm[p][k] = -sin(2 pi k / p). */
    private final double[][] genRe;
    private final double[][] genIm;
    private final double[] cRe;
    private final double[] cIm;
    private final double[] sRe;
    private final double[] sIm;

    MixedRadixFft(int n) {
        this(new Plan(n));
    }

    /** An instance on a (shareable, immutable) plan, with its own scratch. */
    MixedRadixFft(Plan plan) {
        this.n = plan.n;
        this.radix = plan.radix;
        this.twRe = plan.twRe;
        this.twIm = plan.twIm;
        this.genRe = plan.genRe;
        this.genIm = plan.genIm;
        cRe = new double[Math.max(1, plan.maxGeneric)];
        cIm = new double[Math.max(1, plan.maxGeneric)];
        sRe = new double[n];
        sIm = new double[n];
    }

    /** The immutable tables of one size: factorisation, per-stage twiddles, generic-radix roots. Thread-safe. */
    static final class Plan {
        final int n;
        final int[] radix;
        final double[][] twRe;
        final double[][] twIm;
        final double[][] genRe;
        final double[][] genIm;
        final int maxGeneric;

        Plan(int n) {
            if (n < 1) {
                throw HearkenException.config("MixedRadixFft: size must be >= 1, got " + n);
            }
            this.n = n;
            this.radix = factor(n);
            int stages = radix.length;
            twRe = new double[stages][];
            twIm = new double[stages][];
            int maxGen = 0;
            int l = 1;
            for (int s = 0; s < stages; s++) {
                int p = radix[s];
                int ls = l;
                l *= p;
                twRe[s] = new double[ls * (p - 1)];
                twIm[s] = new double[ls * (p - 1)];
                for (int j1 = 0; j1 < ls; j1++) {
                    for (int q = 1; q < p; q++) {
                        long e = (long) q * j1 % l;
                        double a = 2 * Math.PI * e / l;
                        twRe[s][j1 * (p - 1) + q - 1] = Math.cos(a);
                        twIm[s][j1 * (p - 1) + q - 1] = -Math.sin(a);
                    }
                }
                if (p > 5) {
                    maxGen = Math.max(maxGen, p);
                }
            }
            maxGeneric = maxGen;
            genRe = new double[maxGen + 1][];
            genIm = new double[maxGen + 1][];
            for (int p : radix) {
                if (p > 5 && genRe[p] == null) {
                    genRe[p] = new double[p];
                    genIm[p] = new double[p];
                    for (int k = 0; k < p; k++) {
                        genRe[p][k] = Math.cos(2 * Math.PI * k / p);
                        genIm[p][k] = -Math.sin(2 * Math.PI * k / p);
                    }
                }
            }
        }
    }

    int size() {
        return n;
    }

    /** Radices in the order the stages use them: 4s first, then 2, 3, 5 and larger primes ascending. */
    static int[] factor(int n) {
        int[] tmp = new int[32];
        int count = 0;
        int m = n;
        while (m % 4 == 0) {
            tmp[count++] = 4;
            m /= 4;
        }
        for (int p = 2; m > 1; p++) {
            while (m % p == 0) {
                tmp[count++] = p;
                m /= p;
            }
            if ((long) p * p > m && m > 1) {
                tmp[count++] = m;
                m = 1;
            }
        }
        return java.util.Arrays.copyOf(tmp, count);
    }

    /** Largest prime factor of n (1 for n = 1). */
    static int largestPrimeFactor(int n) {
        int largest = 1;
        for (int p : factor(n)) {
            largest = Math.max(largest, p == 4 ? 2 : p);
        }
        return largest;
    }

    /** In-place forward DFT of re[0..n) + i im[0..n). */
    void transform(double[] re, double[] im) {
        double[] aRe = re;
        double[] aIm = im;
        double[] bRe = sRe;
        double[] bIm = sIm;
        int l = 1;
        for (int s = 0; s < radix.length; s++) {
            int p = radix[s];
            int ls = l;
            l *= p;
            int r = n / l;
            switch (p) {
                case 4 -> radix4(aRe, aIm, bRe, bIm, ls, r, twRe[s], twIm[s]);
                case 2 -> radix2(aRe, aIm, bRe, bIm, ls, r, twRe[s], twIm[s]);
                case 3 -> radix3(aRe, aIm, bRe, bIm, ls, r, twRe[s], twIm[s]);
                case 5 -> radix5(aRe, aIm, bRe, bIm, ls, r, twRe[s], twIm[s]);
                default -> generic(p, aRe, aIm, bRe, bIm, ls, r, twRe[s], twIm[s]);
            }
            double[] t = aRe;
            aRe = bRe;
            bRe = t;
            t = aIm;
            aIm = bIm;
            bIm = t;
        }
        if (aRe != re) {
            System.arraycopy(aRe, 0, re, 0, n);
            System.arraycopy(aIm, 0, im, 0, n);
        }
    }

    private static void radix2(double[] ar, double[] ai, double[] br, double[] bi, int ls, int r,
                               double[] wr, double[] wi) {
        for (int j1 = 0; j1 < ls; j1++) {
            double w1r = wr[j1];
            double w1i = wi[j1];
            int in = j1 * r * 2;
            int out = j1 * r;
            int step = ls * r;
            for (int k = 0; k < r; k++) {
                double x0r = ar[in + k];
                double x0i = ai[in + k];
                double yr = ar[in + r + k];
                double yi = ai[in + r + k];
                double x1r = yr * w1r - yi * w1i;
                double x1i = yr * w1i + yi * w1r;
                br[out + k] = x0r + x1r;
                bi[out + k] = x0i + x1i;
                br[out + step + k] = x0r - x1r;
                bi[out + step + k] = x0i - x1i;
            }
        }
    }

    private static void radix3(double[] ar, double[] ai, double[] br, double[] bi, int ls, int r,
                               double[] wr, double[] wi) {
        for (int j1 = 0; j1 < ls; j1++) {
            double w1r = wr[2 * j1];
            double w1i = wi[2 * j1];
            double w2r = wr[2 * j1 + 1];
            double w2i = wi[2 * j1 + 1];
            int in = j1 * r * 3;
            int out = j1 * r;
            int step = ls * r;
            for (int k = 0; k < r; k++) {
                int a0 = in + k;
                double c0r = ar[a0];
                double c0i = ai[a0];
                double yr = ar[a0 + r];
                double yi = ai[a0 + r];
                double c1r = yr * w1r - yi * w1i;
                double c1i = yr * w1i + yi * w1r;
                yr = ar[a0 + 2 * r];
                yi = ai[a0 + 2 * r];
                double c2r = yr * w2r - yi * w2i;
                double c2i = yr * w2i + yi * w2r;
                double tr = c1r + c2r;
                double ti = c1i + c2i;
                double mr = c0r - 0.5 * tr;
                double mi = c0i - 0.5 * ti;
                double ur = SIN60 * (c1r - c2r);
                double ui = SIN60 * (c1i - c2i);
                int o = out + k;
                br[o] = c0r + tr;
                bi[o] = c0i + ti;
                // d1 = m - i u, d2 = m + i u
                br[o + step] = mr + ui;
                bi[o + step] = mi - ur;
                br[o + 2 * step] = mr - ui;
                bi[o + 2 * step] = mi + ur;
            }
        }
    }

    private static void radix4(double[] ar, double[] ai, double[] br, double[] bi, int ls, int r,
                               double[] wr, double[] wi) {
        for (int j1 = 0; j1 < ls; j1++) {
            double w1r = wr[3 * j1];
            double w1i = wi[3 * j1];
            double w2r = wr[3 * j1 + 1];
            double w2i = wi[3 * j1 + 1];
            double w3r = wr[3 * j1 + 2];
            double w3i = wi[3 * j1 + 2];
            int in = j1 * r * 4;
            int out = j1 * r;
            int step = ls * r;
            for (int k = 0; k < r; k++) {
                int a0 = in + k;
                double c0r = ar[a0];
                double c0i = ai[a0];
                double yr = ar[a0 + r];
                double yi = ai[a0 + r];
                double c1r = yr * w1r - yi * w1i;
                double c1i = yr * w1i + yi * w1r;
                yr = ar[a0 + 2 * r];
                yi = ai[a0 + 2 * r];
                double c2r = yr * w2r - yi * w2i;
                double c2i = yr * w2i + yi * w2r;
                yr = ar[a0 + 3 * r];
                yi = ai[a0 + 3 * r];
                double c3r = yr * w3r - yi * w3i;
                double c3i = yr * w3i + yi * w3r;
                double sr = c0r + c2r;
                double si = c0i + c2i;
                double dr = c0r - c2r;
                double di = c0i - c2i;
                double tr = c1r + c3r;
                double ti = c1i + c3i;
                double ur = c1r - c3r;
                double ui = c1i - c3i;
                int o = out + k;
                br[o] = sr + tr;
                bi[o] = si + ti;
                br[o + 2 * step] = sr - tr;
                bi[o + 2 * step] = si - ti;
                // d1 = d - i u, d3 = d + i u
                br[o + step] = dr + ui;
                bi[o + step] = di - ur;
                br[o + 3 * step] = dr - ui;
                bi[o + 3 * step] = di + ur;
            }
        }
    }

    private static void radix5(double[] ar, double[] ai, double[] br, double[] bi, int ls, int r,
                               double[] wr, double[] wi) {
        for (int j1 = 0; j1 < ls; j1++) {
            double w1r = wr[4 * j1];
            double w1i = wi[4 * j1];
            double w2r = wr[4 * j1 + 1];
            double w2i = wi[4 * j1 + 1];
            double w3r = wr[4 * j1 + 2];
            double w3i = wi[4 * j1 + 2];
            double w4r = wr[4 * j1 + 3];
            double w4i = wi[4 * j1 + 3];
            int in = j1 * r * 5;
            int out = j1 * r;
            int step = ls * r;
            for (int k = 0; k < r; k++) {
                int a0 = in + k;
                double c0r = ar[a0];
                double c0i = ai[a0];
                double yr = ar[a0 + r];
                double yi = ai[a0 + r];
                double c1r = yr * w1r - yi * w1i;
                double c1i = yr * w1i + yi * w1r;
                yr = ar[a0 + 2 * r];
                yi = ai[a0 + 2 * r];
                double c2r = yr * w2r - yi * w2i;
                double c2i = yr * w2i + yi * w2r;
                yr = ar[a0 + 3 * r];
                yi = ai[a0 + 3 * r];
                double c3r = yr * w3r - yi * w3i;
                double c3i = yr * w3i + yi * w3r;
                yr = ar[a0 + 4 * r];
                yi = ai[a0 + 4 * r];
                double c4r = yr * w4r - yi * w4i;
                double c4i = yr * w4i + yi * w4r;
                double a1r = c1r + c4r;
                double a1i = c1i + c4i;
                double b1r = c1r - c4r;
                double b1i = c1i - c4i;
                double a2r = c2r + c3r;
                double a2i = c2i + c3i;
                double b2r = c2r - c3r;
                double b2i = c2i - c3i;
                double m1r = c0r + C72 * a1r + C144 * a2r;
                double m1i = c0i + C72 * a1i + C144 * a2i;
                double m2r = c0r + C144 * a1r + C72 * a2r;
                double m2i = c0i + C144 * a1i + C72 * a2i;
                double n1r = S72 * b1r + S144 * b2r;
                double n1i = S72 * b1i + S144 * b2i;
                double n2r = S144 * b1r - S72 * b2r;
                double n2i = S144 * b1i - S72 * b2i;
                int o = out + k;
                br[o] = c0r + a1r + a2r;
                bi[o] = c0i + a1i + a2i;
                // d1 = m1 - i n1, d4 = m1 + i n1, d2 = m2 - i n2, d3 = m2 + i n2
                br[o + step] = m1r + n1i;
                bi[o + step] = m1i - n1r;
                br[o + 4 * step] = m1r - n1i;
                bi[o + 4 * step] = m1i + n1r;
                br[o + 2 * step] = m2r + n2i;
                bi[o + 2 * step] = m2i - n2r;
                br[o + 3 * step] = m2r - n2i;
                bi[o + 3 * step] = m2i + n2r;
            }
        }
    }

    private void generic(int p, double[] ar, double[] ai, double[] br, double[] bi, int ls, int r,
                         double[] wr, double[] wi) {
        double[] gr = genRe[p];
        double[] gi = genIm[p];
        double[] cr = cRe;
        double[] ci = cIm;
        int pm1 = p - 1;
        for (int j1 = 0; j1 < ls; j1++) {
            int in = j1 * r * p;
            int out = j1 * r;
            int step = ls * r;
            int tw = j1 * pm1;
            for (int k = 0; k < r; k++) {
                int a0 = in + k;
                cr[0] = ar[a0];
                ci[0] = ai[a0];
                for (int q = 1; q < p; q++) {
                    double yr = ar[a0 + q * r];
                    double yi = ai[a0 + q * r];
                    double w1r = wr[tw + q - 1];
                    double w1i = wi[tw + q - 1];
                    cr[q] = yr * w1r - yi * w1i;
                    ci[q] = yr * w1i + yi * w1r;
                }
                for (int j2 = 0; j2 < p; j2++) {
                    double sr = 0;
                    double si = 0;
                    int e = 0;
                    for (int q = 0; q < p; q++) {
                        double gR = gr[e];
                        double gI = gi[e];
                        sr += cr[q] * gR - ci[q] * gI;
                        si += cr[q] * gI + ci[q] * gR;
                        e += j2;
                        if (e >= p) {
                            e -= p;
                        }
                    }
                    br[out + j2 * step + k] = sr;
                    bi[out + j2 * step + k] = si;
                }
            }
        }
    }
}
