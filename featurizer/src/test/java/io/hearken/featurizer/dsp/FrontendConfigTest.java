package io.hearken.featurizer.dsp;

import io.hearken.featurizer.dsp.FrontendConfig.MelScale;
import io.hearken.featurizer.dsp.FrontendConfig.WindowType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FrontendConfigTest {

    @Test
    void presets() {
        FrontendConfig e = FrontendConfig.efficientAt();
        assertThat(e).isEqualTo(new FrontendConfig(32_000, 1024, 800, WindowType.HANN_SYMMETRIC, 320, true,
                FrontendConfig.PadMode.REFLECT, 0.97, MelScale.KALDI, 128, 0.0, 15_000.0, 1e-5, 4.5, 5.0,
                FrontendConfig.Normalization.NONE));
        FrontendConfig b = FrontendConfig.byolA();
        assertThat(b.window()).isEqualTo(WindowType.HANN_PERIODIC);
        assertThat(b.melScale()).isEqualTo(MelScale.HTK);
        assertThat(b.centered()).isTrue();
        assertThat(b.preEmphasis()).isZero();
        assertThat(b.logOffset()).isEqualTo((double) Math.ulp(1.0f));
        assertThat(b.shift()).isZero();
        assertThat(b.scale()).isEqualTo(1.0);
        assertThat(b.normalization().enabled()).isFalse();
        FrontendConfig m = FrontendConfig.m2d();
        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThat(m.nFft()).isEqualTo(400);
        assertThat(m.melBins()).isEqualTo(80);
    }

    @Test
    void frameCounts() {
        // centred: 1 + floor(len(y) / hop); pre-emphasis makes y one sample shorter
        assertThat(FrontendConfig.efficientAt().framesFor(320_000)).isEqualTo(1000);
        assertThat(FrontendConfig.byolA().framesFor(80_000)).isEqualTo(501);
        assertThat(FrontendConfig.m2d().framesFor(80_000)).isEqualTo(501);
        assertThat(FrontendConfig.m2d().framesFor(0)).isEqualTo(1);
        // not centred: 1 + floor((len - nFft) / hop), none when shorter than nFft (torch.stft center=False)
        FrontendConfig nc = FrontendConfig.m2d().toBuilder().centered(false).build();
        assertThat(nc.framesFor(399)).isZero();
        assertThat(nc.framesFor(400)).isEqualTo(1);
        assertThat(nc.framesFor(80_000)).isEqualTo(1 + (80_000 - 400) / 160);
        float[] x = new float[1000];
        assertThat(LogMelFrontend.create(nc).compute(x)).hasSize(80 * 4);
        assertThat(LogMelFrontend.create(nc).compute(new float[10])).isEmpty();
    }

    @Test
    void fingerprintIsStableAndDistinguishesConfigs() {
        assertThat(FrontendConfig.efficientAt().fingerprint()).isEqualTo(FrontendConfig.efficientAt().fingerprint());
        assertThat(FrontendConfig.byolA().fingerprint()).isNotEqualTo(FrontendConfig.m2d().fingerprint());
        assertThat(FrontendConfig.byolA().withNormalization(1, 2).fingerprint())
                .isNotEqualTo(FrontendConfig.byolA().fingerprint());
        assertThat(FrontendConfig.byolA().toBuilder().centered(false).build().fingerprint())
                .isNotEqualTo(FrontendConfig.byolA().fingerprint());
    }

    @Test
    void normalisationIsAppliedLast() {
        Random rnd = new Random(5);
        float[] x = new float[16_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.1 * rnd.nextGaussian());
        }
        float[] plain = LogMelFrontend.create(FrontendConfig.m2d()).compute(x);
        float[] norm = LogMelFrontend.create(FrontendConfig.m2d().withNormalization(-6.0, 4.0)).compute(x);
        assertThat(norm).hasSameSizeAs(plain);
        for (int i = 0; i < plain.length; i++) {
            assertThat((double) norm[i]).isCloseTo((plain[i] + 6.0) / 4.0, within(1e-5));
        }
    }

    @Test
    void factoryFollowsTheConfig() {
        LogMelFrontend fe = LogMelFrontend.create(FrontendConfig.m2d());
        assertThat(fe.sampleRate()).isEqualTo(16_000);
        assertThat(fe.melBins()).isEqualTo(80);
        assertThat(fe.framesFor(16_000)).isEqualTo(101);
        assertThat(((MelFrontend) fe).config()).isEqualTo(FrontendConfig.m2d());
        float[] silence = fe.compute(new float[1600]);
        for (float v : silence) {
            assertThat(v).isEqualTo((float) Math.log(Math.ulp(1.0f)));
        }
        EfficientAtFrontend eat = new EfficientAtFrontend();
        assertThat(eat.config()).isEqualTo(FrontendConfig.efficientAt());
    }

    @Test
    void htkBankIsTriangularInHz() {
        FrontendConfig c = FrontendConfig.m2d();
        MelBank bank = MelBank.of(c);
        double[][] dense = HtkMelBank.weights(16_000, 400, 80, 50, 8000);
        for (int b = 0; b < 80; b++) {
            for (int k = 0; k <= 200; k++) {
                assertThat(bank.weight(b, k)).isEqualTo(dense[b][k]);
                assertThat(dense[b][k]).isBetween(0.0, 1.0);
            }
        }
        // band edges: mel-spaced between 50 and 8000 Hz on the HTK scale; weights linear in Hz within a band
        double m0 = HtkMelBank.mel(50);
        double m1 = HtkMelBank.mel(8000);
        double lo = HtkMelBank.hz(m0 + (m1 - m0) * 40 / 81);
        double mid = HtkMelBank.hz(m0 + (m1 - m0) * 41 / 81);
        for (int k = 0; k <= 200; k++) {
            double f = 40.0 * k;
            if (f > lo && f <= mid) {
                assertThat(dense[40][k]).isCloseTo((f - lo) / (mid - lo), within(1e-12));
            }
        }
        assertThat(HtkMelBank.mel(1000)).isCloseTo(1000.0, within(0.5)); // the HTK scale's 1000 Hz ~ 1000 mel
    }
}
