package io.hearken.featurizer.dsp;

import io.hearken.featurizer.Fixtures;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.WavDecoder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EfficientAtFrontendGoldenTest {

    @Test
    void matchesGoldenMelForEveryClip() {
        List<String> clips = Fixtures.goldenClips();
        List<int[]> shapes = Fixtures.goldenMelShapes();
        assertThat(clips).isNotEmpty().hasSameSizeAs(shapes);
        EfficientAtFrontend fe = new EfficientAtFrontend(FrontendConfig.efficientAt());
        for (int c = 0; c < clips.size(); c++) {
            String clip = clips.get(c);
            float[] wave = Fixtures.readF32(Fixtures.golden().resolve(clip + ".32k.f32"));
            float[] golden = Fixtures.readF32(Fixtures.golden().resolve(clip + ".mel.f32"));
            int[] shape = shapes.get(c);
            assertThat(shape[0]).isEqualTo(fe.melBins());
            assertThat(golden).hasSize(shape[0] * shape[1]);
            assertThat(fe.framesFor(wave.length)).as(clip + " frames").isEqualTo(shape[1]);

            float[] mel = fe.compute(wave, 0, wave.length);
            assertThat(mel).as(clip + " shape").hasSize(golden.length);
            double max = 0;
            int at = -1;
            for (int i = 0; i < mel.length; i++) {
                double d = Math.abs(mel[i] - golden[i]);
                if (d > max) {
                    max = d;
                    at = i;
                }
            }
            System.out.printf("golden %-28s %dx%d max|diff| %.3g (bin %d frame %d)%n", clip, shape[0], shape[1], max,
                    at / shape[1], at % shape[1]);
            assertThat(max).as(clip + " max abs diff").isLessThanOrEqualTo(5e-4);
        }
    }

    /** decode 44.1 kHz source -> mono -> resample to 32 kHz -> front end, vs golden mel (made with another resampler). */
    @Test
    void fromSourceRecordingsThroughResampler() {
        Map<String, String> sources = Map.of(
                "cat_3-95694-A-5", "esc50/cat_3-95694-A-5.wav",
                "alarm_clock_3-120526-B-37", "esc50/alarm_clock_3-120526-B-37.wav",
                "us8k_102853-8-0-0", "us8k/102853-8-0-0.wav");
        EfficientAtFrontend fe = new EfficientAtFrontend();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path wav = Fixtures.audio().resolve(e.getValue());
            DecodedAudio audio = WavDecoder.decode(wav);
            assertThat(audio.sampleRate()).isEqualTo(44_100);
            float[] mono = audio.mono();
            int tenSeconds = 10 * audio.sampleRate();
            if (mono.length > tenSeconds) {
                mono = java.util.Arrays.copyOf(mono, tenSeconds);
            }
            float[] x32 = Resampler.resampleWhole(mono, 44_100, 32_000);
            float[] goldenWave = Fixtures.readF32(Fixtures.golden().resolve(e.getKey() + ".32k.f32"));
            float[] golden = Fixtures.readF32(Fixtures.golden().resolve(e.getKey() + ".mel.f32"));
            assertThat(x32.length).as("resampled length").isEqualTo(goldenWave.length);

            float[] mel = fe.compute(x32, 0, x32.length);
            int ours = fe.framesFor(x32.length);
            int theirs = golden.length / fe.melBins();
            int frames = Math.min(ours, theirs);
            double sum = 0;
            double waveDiff = 0;
            for (int b = 0; b < fe.melBins(); b++) {
                for (int t = 0; t < frames; t++) {
                    sum += Math.abs(mel[b * ours + t] - golden[b * theirs + t]);
                }
            }
            for (int i = 0; i < Math.min(x32.length, goldenWave.length); i++) {
                waveDiff = Math.max(waveDiff, Math.abs(x32[i] - goldenWave[i]));
            }
            double mean = sum / ((double) frames * fe.melBins());
            System.out.printf("source %-28s frames %d mean|diff| %.4g (waveform max|diff| %.3g)%n", e.getKey(), frames,
                    mean, waveDiff);
            assertThat(mean).as(e.getKey() + " mean abs diff").isLessThanOrEqualTo(0.01);
        }
    }
}
