package io.hearken.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.MelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline pre-processing against what it must equal: the streaming job's window rule ({@link WindowPlan}), the
 * whole-signal front end on the resampled file (the computation the tag and anomaly commands each did before), and
 * the reference implementation's outputs on the golden waveforms.
 */
class WindowTranslatorTest {
    private static final int HOP = 320;
    private static AudioTagger tagger;
    private static WindowTranslator translator;

    @BeforeAll
    static void load() {
        tagger = AudioTagger.load(Fixtures.modelDir(), 1);
        translator = new WindowTranslator(tagger.manifest());
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    static Path audio(String clip) {
        return Fixtures.sharedDir().resolve("audio").resolve(clip);
    }

    /** The file decoded, mixed to mono and resampled to 32 kHz, then its whole log-mel: computed step by step. */
    private static float[] resampled(Path file) {
        DecodedAudio audio = WavDecoder.decode(file);
        return Resampler.resampleWhole(audio.mono(), audio.sampleRate(), 32_000);
    }

    private static MelFrontend frontend() {
        return new MelFrontend(FrontendConfig.efficientAt());
    }

    @Test
    void windowsOfAFileAreTheStreamingRuleOverItsWholeSignalLogMel() {
        // 5 s at 44.1 kHz mono; 2.61 s stereo (the last window is pulled back to end at the last frame); 0.32 s
        // stereo (shorter than one window: one window of all its frames).
        for (String clip : List.of("esc50/cat_3-95694-A-5.wav", "us8k/102305-6-0-0.wav", "us8k/100032-3-0-0.wav")) {
            float[] samples = resampled(audio(clip));
            MelFrontend frontend = frontend();
            int total = frontend.framesFor(samples.length);
            float[] mel = frontend.compute(samples);

            ModelRateAudio read = translator.read(audio(clip));
            assertThat(read.samples()).as(clip).containsExactly(samples);
            List<Window> windows = translator.windows(read, StreamProfile.DEFAULT);

            List<WindowPlan.Span> spans = WindowPlan.spans(total, 200, 100);
            assertThat(windows).as(clip).hasSameSizeAs(spans);
            for (int i = 0; i < spans.size(); i++) {
                WindowPlan.Span span = spans.get(i);
                Window w = windows.get(i);
                int frames = (int) (span.end() - span.start());
                assertThat(w.frames()).as("%s window %d", clip, i).isEqualTo(frames);
                assertThat(w.startSample()).isEqualTo(span.start() * HOP);
                assertThat(w.endSample()).isEqualTo(Math.min(span.end() * HOP, samples.length));
                assertThat(w.mel()).as("%s window %d mel", clip, i)
                        .containsExactly(Fixtures.slice(mel, 128, total, (int) span.start(), frames));
            }
            assertThat(windows.get(windows.size() - 1).endSample()).as("%s ends at the end", clip)
                    .isEqualTo(samples.length);
        }
    }

    @Test
    void defaultProfileWindowsAreTwoSecondsEverySecond() {
        List<Window> windows = translator.windows(translator.read(audio("esc50/cat_3-95694-A-5.wav")),
                StreamProfile.DEFAULT);
        assertThat(windows).extracting(Window::startSeconds).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(windows).extracting(Window::endSeconds).containsExactly(2.0, 3.0, 4.0, 5.0);
        assertThat(windows).extracting(Window::endMicros).containsExactly(2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L);
        assertThat(windows).allSatisfy(w -> assertThat(w.frames()).isEqualTo(200));

        List<Window> machine = translator.windows(translator.read(audio("esc50/cat_3-95694-A-5.wav")),
                StreamProfile.MACHINE);
        assertThat(machine).hasSize(9);
        assertThat(machine.get(1).startMicros()).isEqualTo(500_000L);
        assertThat(machine).allSatisfy(w -> assertThat(w.frames()).isEqualTo(100));
    }

    @Test
    void wholeIsTheFirstTenSecondsWithTheirOwnLogMel() {
        // A Clotho clip is longer than 10 s: only its first 10 s are analysed, front end run on them alone.
        Path longClip = audio("clotho/Flipping_Pages.wav");
        float[] samples = resampled(longClip);
        assertThat(samples.length).isGreaterThan(10 * 32_000);
        Window whole = translator.whole(translator.read(longClip)).orElseThrow();
        assertThat(whole.startSample()).isZero();
        assertThat(whole.endSeconds()).isEqualTo(10.0);
        assertThat(whole.frames()).isEqualTo(1000);
        assertThat(whole.mel()).containsExactly(frontend().compute(Arrays.copyOf(samples, 10 * 32_000)));

        // A 5 s clip is analysed whole.
        Window cat = translator.whole(translator.read(audio("esc50/cat_3-95694-A-5.wav"))).orElseThrow();
        assertThat(cat.endSeconds()).isEqualTo(5.0);
        assertThat(cat.frames()).isEqualTo(500);
    }

    @Test
    void wholeWindowOfTheGoldenWaveformsGivesTheReferenceOutputs() {
        for (String clip : Fixtures.clips()) {
            float[] wave = Fixtures.golden(clip, "32k");
            ModelRateAudio audio = new ModelRateAudio(clip, wave, 32_000, wave.length, 32_000);
            Window whole = translator.whole(audio).orElseThrow();
            assertThat(Fixtures.maxAbsDiff(whole.mel(), Fixtures.golden(clip, "mel"))).as("%s mel", clip)
                    .isLessThanOrEqualTo(5e-4f);
            Prediction p = tagger.predictWindows(List.of(whole), 16).get(0);
            assertThat(Fixtures.maxAbsDiff(p.logits(), Fixtures.golden(clip, "logits"))).as("%s logits", clip)
                    .isLessThanOrEqualTo(1e-3f);
            for (String output : List.of("embedding", "mid", "late", "hidden")) {
                assertThat(Fixtures.maxAbsDiff(p.feature(output), Fixtures.golden(clip, output)))
                        .as("%s %s", clip, output).isLessThanOrEqualTo(1e-3f);
            }
        }
    }

    @Test
    void predictWindowsBatchesRunsOfEqualLengthAndKeepsTheOrder() {
        List<Window> windows = new ArrayList<>(translator.windows(translator.read(audio("esc50/cat_3-95694-A-5.wav")),
                StreamProfile.DEFAULT));
        windows.addAll(translator.windows(translator.read(audio("us8k/100032-3-0-0.wav")), StreamProfile.DEFAULT));
        windows.addAll(translator.windows(translator.read(audio("us8k/102305-6-0-0.wav")), StreamProfile.DEFAULT));
        assertThat(windows).extracting(Window::frames).containsExactly(200, 200, 200, 200, 32, 200, 200);

        // Batching changes nothing, bit for bit, also with intra-op threads (as the CLI runs the model).
        try (AudioTagger twoThreads = AudioTagger.load(Fixtures.modelDir(), 2)) {
            List<Prediction> batched = twoThreads.predictWindows(windows, 3);
            assertThat(batched).hasSameSizeAs(windows);
            for (int i = 0; i < windows.size(); i++) {
                Prediction one = tagger.predict(windows.get(i).mel(), windows.get(i).frames());
                assertThat(batched.get(i).logits()).as("window %d", i).containsExactly(one.logits());
                assertThat(batched.get(i).feature("mid")).as("window %d", i).containsExactly(one.feature("mid"));
            }
        }
        assertThatThrownBy(() -> tagger.predictWindows(windows, 0))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
    }

    @Test
    void emptyAudioHasNoWindows() {
        ModelRateAudio empty = new ModelRateAudio("empty.wav", new float[0], 32_000, 0, 44_100);
        assertThat(translator.windows(empty, StreamProfile.DEFAULT)).isEmpty();
        assertThat(translator.whole(empty)).isEmpty();
    }

    @Test
    void unreadableFilesAreNamedAndAudioAtAnotherRateIsRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> translator.read(tmp.resolve("absent.flac")))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("absent.flac: no such file");
        ModelRateAudio at16k = new ModelRateAudio("x.wav", new float[16_000], 16_000, 16_000, 16_000);
        assertThatThrownBy(() -> translator.windows(at16k, StreamProfile.DEFAULT))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageStartingWith("x.wav: audio at 16000 Hz");
    }
}
