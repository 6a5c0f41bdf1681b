package io.hearken.featurizer.dsp;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EfficientAtFrontendTest {

    private static float[] noise(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        return x;
    }

    @Test
    void presetAndFrameCount() {
        EfficientAtFrontend fe = new EfficientAtFrontend(FrontendConfig.efficientAt());
        assertThat(fe.sampleRate()).isEqualTo(32_000);
        assertThat(fe.melBins()).isEqualTo(128);
        // frames = 1 + floor((samples - 1) / 320): pre-emphasis drops one sample
        assertThat(fe.framesFor(320_000)).isEqualTo(1000);
        assertThat(fe.framesFor(32_000)).isEqualTo(100);
        assertThat(fe.framesFor(321)).isEqualTo(2);
        assertThat(fe.framesFor(320)).isEqualTo(1);
        assertThat(fe.framesFor(0)).isEqualTo(1);
    }

    @Test
    void realFftMatchesNaiveDft() {
        int n = 1024;
        double[] x = new double[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] power = new double[n / 2 + 1];
        new RealFft(n).power(x.clone(), power);
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                double a = -2 * Math.PI * ((long) k * i % n) / n;
                re += x[i] * Math.cos(a);
                im += x[i] * Math.sin(a);
            }
            double p = re * re + im * im;
            assertThat(power[k]).as("bin " + k).isCloseTo(p, within(1e-9 * (p + n)));
        }
    }

    @Test
    void silenceAndShortSignals() {
        EfficientAtFrontend fe = new EfficientAtFrontend();
        float floor = (float) ((Math.log(1e-5) + 4.5) / 5);
        for (int n : new int[] {0, 1, 2, 3, 100, 512, 513, 514, 1000, 3200}) {
            float[] silent = fe.compute(new float[n], 0, n);
            assertThat(silent).as("n=" + n).hasSize(128 * fe.framesFor(n));
            for (float v : silent) {
                assertThat(v).isEqualTo(floor);
            }
            float[] mel = fe.compute(noise(n, n), 0, n);
            assertThat(mel).hasSize(128 * fe.framesFor(n));
            for (float v : mel) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void reflectPaddingExcludesTheEdge() {
        assertThat(EfficientAtFrontend.reflect(-1, 10)).isEqualTo(1);
        assertThat(EfficientAtFrontend.reflect(-9, 10)).isEqualTo(9);
        assertThat(EfficientAtFrontend.reflect(10, 10)).isEqualTo(8);
        assertThat(EfficientAtFrontend.reflect(-10, 10)).isEqualTo(8); // repeated reflection beyond one length
        assertThat(EfficientAtFrontend.reflect(5, 1)).isEqualTo(0);
    }

    @Test
    void offsetLengthAndScratchReuse() {
        float[] x = noise(50_000, 11);
        EfficientAtFrontend fe = new EfficientAtFrontend();
        float[] part = fe.compute(x, 1234, 32_000);
        float[] longer = fe.compute(x, 0, x.length); // grows scratch
        float[] again = fe.compute(x, 1234, 32_000);  // must not see leftovers
        float[] fresh = new EfficientAtFrontend().compute(Arrays.copyOfRange(x, 1234, 1234 + 32_000));
        assertThat(part).containsExactly(fresh);
        assertThat(again).containsExactly(fresh);
        assertThat(longer).hasSize(128 * fe.framesFor(x.length));
        assertThatThrownBy(() -> fe.compute(x, 40_000, 20_000)).isInstanceOf(HearkenException.class);
    }

    @Test
    void configValidationNamesFieldAndValue() {
        FrontendConfig ok = FrontendConfig.efficientAt();
        assertThat(ok.nFft()).isEqualTo(1024);
        assertThat(ok.fMax()).isEqualTo(15_000.0);
        assertConfigError(() -> ok.toBuilder().nFft(1000 + 17).build(), "nFft", "1017"); // 1017 = 3^2 * 113
        assertConfigError(() -> ok.toBuilder().nFft(8).build(), "nFft", "8");
        assertConfigError(() -> ok.toBuilder().winLength(2000).build(), "winLength", "2000");
        assertConfigError(() -> ok.toBuilder().hop(0).build(), "hop", "0");
        assertConfigError(() -> ok.toBuilder().melBins(0).build(), "melBins", "0");
        assertConfigError(() -> ok.toBuilder().fMax(17_000).build(), "fMax", "17000");
        assertConfigError(() -> ok.toBuilder().fMin(-1).build(), "fMin", "-1");
        assertConfigError(() -> ok.toBuilder().preEmphasis(1.5).build(), "preEmphasis", "1.5");
        assertConfigError(() -> ok.toBuilder().logOffset(0).build(), "logOffset", "0");
        assertConfigError(() -> ok.toBuilder().scale(0).build(), "scale", "0");
        assertConfigError(() -> ok.toBuilder().sampleRate(10).fMax(5).build(), "sampleRate", "10");
        assertConfigError(() -> ok.toBuilder().window(null).build(), "window", "null");
        assertConfigError(() -> ok.toBuilder().melScale(null).build(), "melScale", "null");
        assertConfigError(() -> ok.toBuilder().padMode(null).build(), "padMode", "null");
        assertConfigError(() -> ok.toBuilder().normalization(null).build(), "normalization", "null");
        assertConfigError(() -> ok.withNormalization(0, 0), "normalization.std", "0");
        assertConfigError(() -> ok.withNormalization(Double.NaN, 1), "normalization.mean", "NaN");
    }

    private static void assertConfigError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                          String value) {
        assertThatThrownBy(call).isInstanceOf(HearkenException.class)
                .hasMessageContaining("FrontendConfig." + field).hasMessageContaining(value)
                .satisfies(e -> assertThat(((HearkenException) e).kind()).isEqualTo(ErrorKind.CONFIG));
    }

    /** Informational: throughput on this machine (not asserted; shared CI cores are noisy). */
    @Test
    void throughput() {
        float[] x = noise(320_000, 1); // 10 s
        EfficientAtFrontend fe = new EfficientAtFrontend();
        for (int i = 0; i < 5; i++) {
            fe.compute(x, 0, x.length);
        }
        int reps = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            fe.compute(x, 0, x.length);
        }
        double perClip = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf("frontend: %.2f ms per 10 s clip = %.0fx real time (1 thread)%n", perClip * 1e3,
                10 / perClip);

        float[] in = noise(441_000, 2);
        Resampler.resampleWhole(in, 44_100, 32_000);
        t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            Resampler.resampleWhole(in, 44_100, 32_000);
        }
        double perRes = (System.nanoTime() - t0) / 1e9 / 3;
        System.out.printf("resampler 44.1k->32k: %.2f ms per 10 s = %.0fx real time (1 thread)%n", perRes * 1e3,
                10 / perRes);
    }
}
