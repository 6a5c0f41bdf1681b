package io.hearken.featurizer.dsp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** RealFft (radix-2 fast path and mixed-radix path) and MixedRadixFft against a direct DFT. */
class FftTest {

    /** Direct DFT with exact angle reduction (k * m mod n), in double. */
    private static double[][] dft(double[] re, double[] im) {
        int n = re.length;
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int m = 0; m < n; m++) {
                double a = -2 * Math.PI * ((long) k * m % n) / n;
                double c = Math.cos(a);
                double s = Math.sin(a);
                sr += re[m] * c - im[m] * s;
                si += re[m] * s + im[m] * c;
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
        return new double[][] {outRe, outIm};
    }

    @Test
    void complexMixedRadixMatchesDirectDft() {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17, 20, 25, 30, 49, 60, 64, 100, 120,
                200, 243, 256, 343, 390, 441, 500, 1000}) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = rnd.nextGaussian();
                im[i] = rnd.nextGaussian();
            }
            double[][] ref = dft(re, im);
            MixedRadixFft fft = new MixedRadixFft(n);
            double[] xr = re.clone();
            double[] xi = im.clone();
            fft.transform(xr, xi);
            double maxErr = 0;
            for (int k = 0; k < n; k++) {
                maxErr = Math.max(maxErr, Math.hypot(xr[k] - ref[0][k], xi[k] - ref[1][k]));
            }
            // Inputs ~N(0,1): |X[k]| ~ sqrt(2n); rounding of a good FFT is ~1e-16 * sqrt(n) * log n of that.
            assertThat(maxErr).as("n=" + n + " radices " + java.util.Arrays.toString(MixedRadixFft.factor(n)))
                    .isLessThan(1e-12 * n);
        }
    }

    @Test
    void factorisation() {
        assertThat(MixedRadixFft.factor(200)).containsExactly(4, 2, 5, 5);
        assertThat(MixedRadixFft.factor(1024)).containsExactly(4, 4, 4, 4, 4);
        assertThat(MixedRadixFft.factor(441)).containsExactly(3, 3, 7, 7);
        assertThat(MixedRadixFft.factor(26)).containsExactly(2, 13);
        assertThat(MixedRadixFft.largestPrimeFactor(400)).isEqualTo(5);
        assertThat(MixedRadixFft.largestPrimeFactor(1017)).isEqualTo(113);
        assertThat(MixedRadixFft.largestPrimeFactor(512)).isEqualTo(2);
    }

    @Test
    void realPowerSpectrumMatchesDirectDftForAllSizeKinds() {
        Random rnd = new Random(11);
        // powers of two (radix-2/4 path), even non-powers (packed + split around mixed radix), odd (full complex)
        for (int n : new int[] {2, 4, 16, 32, 512, 1024, 2048, 6, 10, 22, 26, 100, 400, 480, 1000, 1200, 3, 9, 15, 441,
                1001}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextGaussian();
            }
            double[] keep = x.clone();
            double[][] ref = dft(x, new double[n]);
            double[] power = new double[n / 2 + 1];
            RealFft fft = new RealFft(n);
            fft.power(x, power);
            assertThat(x).as("input untouched").containsExactly(keep);
            for (int k = 0; k <= n / 2; k++) {
                double p = ref[0][k] * ref[0][k] + ref[1][k] * ref[1][k];
                assertThat(power[k]).as("n=" + n + " bin " + k).isCloseTo(p, within(1e-9 * (p + n)));
            }
            // a second call on the same instance gives the same result (scratch fully rewritten)
            double[] again = new double[n / 2 + 1];
            fft.power(x, again);
            assertThat(again).containsExactly(power);
        }
    }

    @Test
    void quietBinsKeepRelativeAccuracyAt400() {
        // A pure tone at bin 37 plus a tiny tone at bin 150: the tiny bin must be accurate relative to itself.
        int n = 400;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.cos(2 * Math.PI * 37 * i / n) + 1e-6 * Math.cos(2 * Math.PI * 150 * i / n);
        }
        double[] power = new double[n / 2 + 1];
        new RealFft(n).power(x, power);
        assertThat(power[37]).isCloseTo(200.0 * 200.0, within(1e-6));
        assertThat(power[150]).isCloseTo(1e-12 * 200 * 200, within(1e-3 * 1e-12 * 200 * 200));
    }
}
