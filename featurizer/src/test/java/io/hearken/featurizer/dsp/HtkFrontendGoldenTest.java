package io.hearken.featurizer.dsp;

import io.hearken.featurizer.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** BYOL-A and M2D front ends against the torchaudio references in golden/htk-frontends. */
class HtkFrontendGoldenTest {

    private static Path dir() {
        return Fixtures.shared().resolve("golden/htk-frontends");
    }

    private static String index() {
        try {
            return Files.readString(dir().resolve("index.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For each clip in index.json: name, samples_16k, and the [mels, frames] of the given front end. */
    private static List<Object[]> clips(String frontend) {
        Matcher m = Pattern.compile("\"clip\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"samples_16k\"\\s*:\\s*(\\d+)[^}]*?\""
                + frontend + "_shape\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]", Pattern.DOTALL).matcher(index());
        List<Object[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Object[] {m.group(1), Integer.parseInt(m.group(2)),
                    new int[] {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))}});
        }
        return out;
    }

    @Test
    void byolAMatchesGolden() {
        check("byola", FrontendConfig.byolA());
    }

    @Test
    void m2dMatchesGolden() {
        check("m2d", FrontendConfig.m2d());
    }

    @Test
    void indexParametersMatchThePresets() {
        String json = index();
        assertThat(json).contains("\"n_fft\": 1024", "\"n_fft\": 400", "\"hop_length\": 160", "\"mel_scale\": \"htk\"",
                "\"window\": \"periodic hann\"", "\"pad_mode\": \"reflect\"");
        FrontendConfig b = FrontendConfig.byolA();
        assertThat(new Object[] {b.sampleRate(), b.nFft(), b.winLength(), b.hop(), b.melBins(), b.fMin(), b.fMax()})
                .containsExactly(16_000, 1024, 1024, 160, 64, 60.0, 7800.0);
        FrontendConfig m = FrontendConfig.m2d();
        assertThat(new Object[] {m.sampleRate(), m.nFft(), m.winLength(), m.hop(), m.melBins(), m.fMin(), m.fMax()})
                .containsExactly(16_000, 400, 400, 160, 80, 50.0, 8000.0);
        assertThat((float) b.logOffset()).isEqualTo(1.1920929e-07f);
    }

    private static void check(String name, FrontendConfig config) {
        List<Object[]> clips = clips(name);
        assertThat(clips).as("clips in index.json").hasSize(2);
        LogMelFrontend fe = LogMelFrontend.create(config);
        for (Object[] c : clips) {
            String clip = (String) c[0];
            int samples = (Integer) c[1];
            int[] shape = (int[]) c[2];
            float[] wave = Fixtures.readF32(dir().resolve(clip + ".16k.f32"));
            float[] golden = Fixtures.readF32(dir().resolve(clip + "." + name + ".f32"));
            assertThat(wave).hasSize(samples);
            assertThat(shape[0]).isEqualTo(fe.melBins());
            assertThat(golden).hasSize(shape[0] * shape[1]);
            assertThat(fe.framesFor(wave.length)).as(clip + " frames").isEqualTo(shape[1]);

            float[] mel = fe.compute(wave, 0, wave.length);
            assertThat(mel).as(clip + " shape").hasSize(golden.length);
            double maxAbs = 0;
            double maxRel = 0;
            double worstExcess = 0;
            int atAbs = 0;
            int atExcess = -1;
            for (int i = 0; i < mel.length; i++) {
                double d = Math.abs(mel[i] - golden[i]);
                double g = Math.abs(golden[i]);
                if (d > maxAbs) {
                    maxAbs = d;
                    atAbs = i;
                }
                maxRel = Math.max(maxRel, d / Math.max(g, 1e-12));
                double excess = d / Math.max(5e-4, 5e-4 * g);
                if (excess > worstExcess) {
                    worstExcess = excess;
                    atExcess = i;
                }
            }
            System.out.printf("golden %-5s %-24s %dx%d max|diff| %.3g (bin %d frame %d) max rel %.3g,"
                            + " worst diff/tolerance %.3f%n", name, clip, shape[0], shape[1], maxAbs, atAbs / shape[1],
                    atAbs % shape[1], maxRel, worstExcess);
            assertThat(worstExcess).as(clip + " " + name + " worst |diff| / max(5e-4, 5e-4 |golden|) at bin "
                    + (atExcess / shape[1]) + " frame " + (atExcess % shape[1])).isLessThanOrEqualTo(1.0);
        }
    }
}
