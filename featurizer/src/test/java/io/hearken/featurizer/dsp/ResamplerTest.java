package io.hearken.featurizer.dsp;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResamplerTest {

    private static float[] tone(double freq, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    /** Least-squares fit of a*sin + b*cos + c at freq over y[from..to); returns {a, b, c, residualEnergy}. */
    private static double[] fit(float[] y, int rate, double freq, int from, int to) {
        double[][] ata = new double[3][3];
        double[] aty = new double[3];
        for (int n = from; n < to; n++) {
            double ph = 2 * Math.PI * freq * n / rate;
            double[] basis = {Math.sin(ph), Math.cos(ph), 1};
            for (int i = 0; i < 3; i++) {
                aty[i] += basis[i] * y[n];
                for (int j = 0; j < 3; j++) {
                    ata[i][j] += basis[i] * basis[j];
                }
            }
        }
        double[] coef = solve3(ata, aty);
        double res = 0;
        for (int n = from; n < to; n++) {
            double ph = 2 * Math.PI * freq * n / rate;
            double e = y[n] - (coef[0] * Math.sin(ph) + coef[1] * Math.cos(ph) + coef[2]);
            res += e * e;
        }
        return new double[] {coef[0], coef[1], coef[2], res};
    }

    private static double[] solve3(double[][] a, double[] b) {
        double[][] m = new double[3][4];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(a[i], 0, m[i], 0, 3);
            m[i][3] = b[i];
        }
        for (int col = 0; col < 3; col++) {
            int piv = col;
            for (int r = col + 1; r < 3; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
                    piv = r;
                }
            }
            double[] t = m[col];
            m[col] = m[piv];
            m[piv] = t;
            for (int r = 0; r < 3; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int k = col; k < 4; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }

    @Test
    void fullScale1kHzTone44100To32000HasThdPlusNoiseBelowMinus80dB() {
        float[] in = tone(1000, 44_100, 1.0, 1.0);
        float[] out = Resampler.resampleWhole(in, 44_100, 32_000);
        int from = 4000;
        int to = out.length - 4000; // away from the zero-padded edges
        double[] f = fit(out, 32_000, 1000, from, to);
        double fundamental = (f[0] * f[0] + f[1] * f[1]) / 2 * (to - from);
        double thdN = 10 * Math.log10(f[3] / fundamental);
        System.out.printf("resampler 44.1k->32k 1 kHz full scale: THD+N %.1f dB, gain %.4f dB, phase term %.2e%n",
                thdN, 20 * Math.log10(Math.hypot(f[0], f[1])), f[1]);
        assertThat(thdN).isLessThanOrEqualTo(-80);
        // Output n is centred on input time n*in/out: a sine stays a sine with no phase offset.
        assertThat(Math.abs(f[1])).isLessThan(1e-4);
    }

    @Test
    void toneAboveOutputNyquistIsRejectedBy60dB() {
        float[] in = tone(20_000, 44_100, 1.0, 1.0);
        float[] out = Resampler.resampleWhole(in, 44_100, 32_000);
        double inRms = rms(in, 4000, in.length - 4000);
        double outRms = rms(out, 4000, out.length - 4000);
        double db = 20 * Math.log10(outRms / inRms);
        System.out.printf("resampler 44.1k->32k 20 kHz tone: %.1f dB%n", db);
        assertThat(db).isLessThanOrEqualTo(-60);
    }

    @Test
    void passbandRippleWithinPointOneDbUpTo90PercentOfLowerNyquist() {
        int[][] pairs = {{44_100, 32_000}, {16_000, 32_000}, {48_000, 16_000}, {32_000, 44_100}};
        for (int[] p : pairs) {
            int in = p[0];
            int out = p[1];
            double edge = 0.9 * Math.min(in, out) / 2.0;
            double worst = 0;
            for (int i = 0; i <= 24; i++) {
                double freq = 50 + (edge - 50) * i / 24.0;
                float[] y = Resampler.resampleWhole(tone(freq, in, 0.5, 0.5), in, out);
                int margin = out / 8;
                double[] f = fit(y, out, freq, margin, y.length - margin);
                double db = 20 * Math.log10(Math.hypot(f[0], f[1]) / 0.5);
                worst = Math.max(worst, Math.abs(db));
            }
            System.out.printf("resampler %d->%d passband ripple up to %.0f Hz: max |%.4f| dB%n", in, out, edge, worst);
            assertThat(worst).as(in + "->" + out).isLessThanOrEqualTo(0.1);
        }
    }

    @Test
    void stopBandStartsWhereAliasesWouldReachThePassband() {
        // Anything at or above 1.1 x the lower Nyquist would alias (or image) into 0..0.9 x Nyquist: >= 80 dB down.
        int[][] cases = {{44_100, 32_000, 17_700}, {44_100, 32_000, 19_000}, {44_100, 32_000, 21_500},
            {48_000, 16_000, 8_850}, {48_000, 16_000, 12_000}};
        for (int[] c : cases) {
            float[] in = tone(c[2], c[0], 1.0, 1.0);
            float[] out = Resampler.resampleWhole(in, c[0], c[1]);
            double db = 20 * Math.log10(rms(out, c[1] / 8, out.length - c[1] / 8) / rms(in, c[0] / 8, in.length - c[0] / 8));
            System.out.printf("resampler %d->%d %d Hz tone: %.1f dB%n", c[0], c[1], c[2], db);
            assertThat(db).as(c[0] + "->" + c[1] + " at " + c[2] + " Hz").isLessThanOrEqualTo(-80);
        }
    }

    /** The definition both evaluation orders must meet bit for bit: a plain sequential float sum over each window. */
    private static float[] naive(float[] x, int inRate, int outRate) {
        PolyphaseKernel k = PolyphaseKernel.of(inRate, outRate);
        float[] y = new float[(int) Resampler.outputLength(x.length, inRate, outRate)];
        for (int n = 0; n < y.length; n++) {
            long q = (long) n * k.down / k.up;
            int r = (int) ((long) n * k.down % k.up);
            float a = 0f;
            for (int j = 0; j < k.taps; j++) {
                long i = q - k.before + j;
                a += k.coeffs[r * k.taps + j] * (i >= 0 && i < x.length ? x[(int) i] : 0f);
            }
            y[n] = a;
        }
        return y;
    }

    @Test
    void everyChunkSizeMatchesThePlainWindowSumBitForBit() {
        // Large calls take the residue-major (SIMD) order, small ones the per-output order; 44100 -> 44101 has too
        // long a period for the former. Non-finite samples must not make the orders differ either.
        int[][] pairs = {{44_100, 32_000}, {48_000, 16_000}, {16_000, 32_000}, {8_000, 44_100}, {192_000, 8_000},
            {44_100, 44_101}};
        Random rnd = new Random(11);
        for (int[] p : pairs) {
            float[] x = noise(p[0] * 2 + 77, p[0] + 1);
            x[x.length / 3] = Float.POSITIVE_INFINITY;
            x[x.length / 2] = Float.NaN;
            float[] expected = naive(x, p[0], p[1]);
            assertThat(Arrays.equals(Resampler.resampleWhole(x, p[0], p[1]), expected)).as(p[0] + "->" + p[1]).isTrue();
            for (int chunk : new int[] {1, 37, 441, 4_410, 20_000, 1 + rnd.nextInt(p[0])}) {
                Resampler r = new Resampler(p[0], p[1]);
                List<float[]> parts = new ArrayList<>();
                for (int pos = 0; pos < x.length; pos += chunk) {
                    parts.add(r.process(x, pos, Math.min(chunk, x.length - pos)));
                }
                parts.add(r.flush());
                assertThat(Arrays.equals(concat(parts), expected)).as(p[0] + "->" + p[1] + " chunk " + chunk).isTrue();
            }
        }
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    private static float[] noise(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        return x;
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int o = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }

    /** Chunk sizes log-uniform from 1 sample to 3 s, so tiny and huge chunks both occur. */
    private static int chunk(Random rnd, int rate) {
        return (int) Math.max(1, Math.round(Math.exp(rnd.nextDouble() * Math.log(3.0 * rate))));
    }

    @Test
    void anyChunkingIsBitIdenticalToWhole() {
        int[][] pairs = {{44_100, 32_000}, {16_000, 32_000}, {48_000, 16_000}, {8_000, 44_100}, {32_000, 32_000},
            {192_000, 8_000}};
        Random rnd = new Random(42);
        for (int[] p : pairs) {
            float[] x = noise(p[0] * 7 + 123, p[0]);
            float[] whole = Resampler.resampleWhole(x, p[0], p[1]);
            assertThat((long) whole.length).isEqualTo(Resampler.outputLength(x.length, p[0], p[1]));
            for (int trial = 0; trial < 3; trial++) {
                Resampler r = new Resampler(p[0], p[1]);
                List<float[]> parts = new ArrayList<>();
                int pos = 0;
                while (pos < x.length) {
                    int len = Math.min(chunk(rnd, p[0]), x.length - pos);
                    parts.add(r.process(x, pos, len));
                    pos += len;
                }
                parts.add(r.flush());
                assertThat(Arrays.equals(concat(parts), whole)).as(p[0] + "->" + p[1] + " trial " + trial).isTrue();
            }
        }
    }

    @Test
    void outputLengthIsCeilOfScaledInputLength() {
        int[][] pairs = {{44_100, 32_000}, {16_000, 32_000}, {48_000, 16_000}, {8_000, 44_100}};
        for (int[] p : pairs) {
            for (int n : new int[] {0, 1, 2, 3, 7, 100, 441, 1000, 44_101}) {
                long expected = (long) Math.ceil((double) n * p[1] / p[0] - 1e-12);
                float[] y = Resampler.resampleWhole(new float[n], p[0], p[1]);
                assertThat((long) y.length).as(n + " @ " + p[0] + "->" + p[1]).isEqualTo(expected);
            }
        }
    }

    @Test
    void sameRateIsIdentity() {
        float[] x = noise(1000, 1);
        float[] y = Resampler.resampleWhole(x, 16_000, 16_000);
        assertThat(y).isNotSameAs(x).containsExactly(x);
    }

    @Test
    void snapshotRestoreMidStreamContinuesIdentically() {
        int[][] pairs = {{44_100, 32_000}, {16_000, 32_000}, {48_000, 16_000}, {32_000, 32_000}};
        Random rnd = new Random(7);
        for (int[] p : pairs) {
            float[] x = noise(p[0] * 4, 99);
            float[] whole = Resampler.resampleWhole(x, p[0], p[1]);
            for (int trial = 0; trial < 4; trial++) {
                Resampler r = new Resampler(p[0], p[1]);
                List<float[]> parts = new ArrayList<>();
                int pos = 0;
                int cut = rnd.nextInt(x.length);
                boolean restored = false;
                while (pos < x.length) {
                    int len = Math.min(chunk(rnd, p[0]), x.length - pos);
                    if (!restored && pos + len > cut) {
                        len = cut - pos;
                    }
                    parts.add(r.process(x, pos, len));
                    pos += len;
                    if (!restored && pos == cut) {
                        Resampler.State s = r.snapshot();
                        // Simulate a checkpoint: copy every public field into a fresh POJO.
                        Resampler.State copy = new Resampler.State();
                        copy.inRate = s.inRate;
                        copy.outRate = s.outRate;
                        copy.consumed = s.consumed;
                        copy.produced = s.produced;
                        copy.history = s.history.clone();
                        r = Resampler.restore(copy);
                        restored = true;
                    }
                }
                parts.add(r.flush());
                assertThat(Arrays.equals(concat(parts), whole)).as(p[0] + "->" + p[1] + " cut " + cut).isTrue();
            }
        }
    }

    @Test
    void stateIsAFlinkStylePojo() throws Exception {
        assertThat(Modifier.isPublic(Resampler.State.class.getModifiers())).isTrue();
        assertThat(Modifier.isStatic(Resampler.State.class.getModifiers())).isTrue();
        assertThat(Resampler.State.class.getConstructor().newInstance()).isNotNull();
        for (Field f : Resampler.State.class.getDeclaredFields()) {
            int m = f.getModifiers();
            assertThat(Modifier.isPublic(m) && !Modifier.isFinal(m) && !Modifier.isStatic(m)).as(f.getName()).isTrue();
            assertThat(f.getType()).isIn(int.class, long.class, float[].class);
        }
        Resampler r = new Resampler(44_100, 32_000);
        r.process(noise(5000, 3));
        Resampler.State s = r.snapshot();
        assertThat(s.history.length).isLessThan(200); // about one filter length, not the whole stream
    }

    @Test
    void rejectsBadRatesAndCorruptState() {
        assertThatThrownBy(() -> new Resampler(0, 32_000)).isInstanceOf(HearkenException.class)
                .satisfies(e -> assertThat(((HearkenException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        // Coprime rates would need a phase table of tens of millions of coefficients: refused, not allocated.
        assertThatThrownBy(() -> new Resampler(191_999, 192_000)).isInstanceOf(HearkenException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> new Resampler(Integer.MAX_VALUE, 1)).isInstanceOf(HearkenException.class);
        Resampler.State s = new Resampler(44_100, 32_000).snapshot();
        s.produced = 1_000_000;
        assertThatThrownBy(() -> Resampler.restore(s)).isInstanceOf(HearkenException.class)
                .satisfies(e -> assertThat(((HearkenException) e).kind()).isEqualTo(ErrorKind.BAD_INPUT));
    }
}
