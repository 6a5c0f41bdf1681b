package io.hearken.job;

import io.hearken.inference.engine.WindowPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.inference.engine.SharedTaggers;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.MelFrontend;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class StreamWindowerTest {
    static final Path MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared")).resolve("models/efficientat-mn04");
    private static final JobSettings SETTINGS = JobSettings.defaults(MODEL.toString());
    private static final FrontendConfig FRONTEND = FrontendConfig.efficientAt();
    private static final int RATE = FRONTEND.sampleRate();
    private static final int BINS = FRONTEND.melBins();
    /** 2 s windows, 1 s hop, in 10 ms frames. */
    private static final int WINDOW = 200;
    private static final int HOP = 100;

    private static KeyedOneInputStreamOperatorTestHarness<String, ChunkEvent, AudioWindow> harness() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StreamWindower(SETTINGS)), c -> c.streamId, Types.STRING);
        harness.open();
        return harness;
    }

    /** PCM16-exact test signal: a chirp plus noise, interleaved over {@code channels}. */
    private static float[] signal(int frames, int channels, long seed) {
        Random random = new Random(seed);
        float[] out = new float[frames * channels];
        for (int i = 0; i < out.length; i++) {
            double t = (i / channels) / 16000.0;
            double v = 0.4 * Math.sin(2 * Math.PI * (200 + 900 * t) * t) + 0.05 * random.nextGaussian();
            out[i] = Math.round(Math.max(-1, Math.min(0.999, v)) * 32768) / 32768f;
        }
        return out;
    }

    private static List<ChunkEvent> chunks(String stream, float[] interleaved, int rate, int channels, Random sizes) {
        List<ChunkEvent> chunks = new ArrayList<>();
        int frames = interleaved.length / channels;
        long seq = 0;
        for (int first = 0; first < frames; ) {
            int n = Math.min(frames - first, 1 + sizes.nextInt(rate * 3)); // 1 sample .. 3 s
            ChunkEvent c = new ChunkEvent();
            c.streamId = stream;
            c.sequenceNumber = seq++;
            c.captureTimeMicros = 1_000_000L;
            c.sampleRate = rate;
            c.channels = channels;
            c.pcm16 = Pcm16.toPcm16le(Arrays.copyOfRange(interleaved, first * channels, (first + n) * channels));
            c.endOfStream = first + n == frames;
            c.profile = "default";
            c.source = new SourceInfo();
            chunks.add(c);
            first += n;
        }
        return chunks;
    }

    /** The whole-signal mel ([bins][frames]) cut to a window, as the model takes it. */
    static float[] slice(float[] mel, int totalFrames, long start, long end) {
        int frames = (int) (end - start);
        float[] out = new float[BINS * frames];
        for (int b = 0; b < BINS; b++) {
            System.arraycopy(mel, b * totalFrames + (int) start, out, b * frames, frames);
        }
        return out;
    }

    /** The front end comes from the model's manifest: the windower never opens a session on the model. */
    @Test
    void readsOnlyTheManifestAndChecksTheProfilesAgainstIt() throws Exception {
        var harness = harness();
        assertThat(SharedTaggers.references(MODEL)).isZero();
        harness.close();

        JobSettings offFrames = JobSettings.from(HearkenConfig.fromRaw(JobSettings.GROUPS, Map.of("model.dir", MODEL.toString(),
                "job.profile.machine.hop", "505ms")));
        var bad = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new StreamWindower(offFrames)),
                (ChunkEvent c) -> c.streamId, Types.STRING);
        try {
            assertThatThrownBy(bad::open).isInstanceOfSatisfying(HearkenException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                assertThat(e.getMessage()).contains("job.profile.machine.hop: 505ms is not a whole number of the model's frames (10ms)");
            });
        } finally {
            bad.close();
        }
    }

    @Test
    void anyChunkingYieldsTheWindowsOfTheWholeSignal() throws Exception {
        int rate = 44100;
        int channels = 2;
        float[] audio = signal(rate * 5 + 1234, channels, 1);
        float[] whole = Resampler.resampleWhole(DecodedAudio.mixToMono(audio, channels), rate, RATE);
        MelFrontend frontend = new MelFrontend(FRONTEND);
        int total = frontend.framesFor(whole.length);
        float[] mel = frontend.compute(whole, 0, whole.length);
        List<WindowPlan.Span> expected = WindowPlan.spans(total, WINDOW, HOP);

        for (long seed = 0; seed < 3; seed++) {
            var harness = harness();
            for (ChunkEvent c : chunks("s", audio, rate, channels, new Random(seed))) {
                harness.processElement(c, 0);
            }
            List<AudioWindow> windows = harness.extractOutputValues();

            assertThat(windows).hasSize(expected.size());
            for (int i = 0; i < windows.size(); i++) {
                WindowPlan.Span span = expected.get(i);
                AudioWindow w = windows.get(i);
                assertThat(w.windowIndex).isEqualTo(i);
                assertThat(w.endOfStream).isEqualTo(span.last());
                assertThat(w.startMicros).isEqualTo(1_000_000L + span.start() * 10_000L);
                assertThat(w.frames).isEqualTo((int) (span.end() - span.start()));
                assertThat(w.melValues()).as("window %d, seed %d", i, seed).containsExactly(slice(mel, total, span.start(), span.end()));
                assertThat(w.loudnessDbfs).isBetween(-20f, -5f);
            }
            assertNothingLeft(harness);
            harness.close();
        }
    }

    @Test
    void gapFillAddsSilenceAndMarksOnlyTheWindowsOverlappingIt() throws Exception {
        var harness = harness();
        List<ChunkEvent> chunks = chunks("g", signal(16000 * 6, 1, 11), 16000, 1, new Random(3));
        ChunkEvent fill = new ChunkEvent();
        fill.streamId = "g";
        fill.sampleRate = 16000;
        fill.channels = 1;
        fill.pcm16 = new byte[0];
        fill.gapFillFrames = 8000; // 0.5 s missing, replaced by silence after the first 6 s
        fill.profile = "default";
        fill.source = new SourceInfo();
        chunks.get(chunks.size() - 1).endOfStream = false;
        chunks.forEach(c -> process(harness, c));
        process(harness, fill);
        for (ChunkEvent c : chunks("g", signal(16000 * 3, 1, 12), 16000, 1, new Random(4))) {
            process(harness, c);
        }
        List<AudioWindow> windows = harness.extractOutputValues();
        // 9.5 s = 950 frames: windows start at 0..7 s, then the final [7.5, 9.5); the gap [6, 6.5) s lies in those
        // starting at 5 and 6 s.
        assertThat(windows).extracting(w -> w.gapFilled)
                .containsExactly(false, false, false, false, false, true, true, false, false);
        assertNothingLeft(harness);
        harness.close();
    }

    @Test
    void restartFinishesTheSegmentAndBeginsAgainAtTheNewCaptureTime() throws Exception {
        var harness = harness();
        List<ChunkEvent> first = chunks("r", signal(16000 * 3, 1, 13), 16000, 1, new Random(5));
        first.get(first.size() - 1).endOfStream = false;
        first.forEach(c -> process(harness, c));
        List<ChunkEvent> second = chunks("r", signal(44100 * 2, 2, 14), 44100, 2, new Random(6));
        second.get(0).restart = true;
        second.forEach(c -> c.captureTimeMicros = 60_000_000L);
        second.forEach(c -> process(harness, c));

        List<AudioWindow> windows = harness.extractOutputValues();
        // Segment 1 (3 s): [0,2) and the final [1,3); segment 2 (2 s): one window at the new time.
        assertThat(windows).extracting(w -> w.windowIndex).containsExactly(0L, 1L, 2L);
        assertThat(windows).extracting(w -> w.endOfStream).containsExactly(false, false, true);
        assertThat(windows.get(1).endMicros).isEqualTo(1_000_000L + 3_000_000L);
        assertThat(windows.get(2).startMicros).isEqualTo(60_000_000L);
        assertThat(windows.get(2).endMicros).isEqualTo(62_000_000L);
        assertNothingLeft(harness);
        harness.close();
    }

    @Test
    void streamShorterThanAWindowYieldsOneShortFinalWindow() throws Exception {
        var harness = harness();
        for (ChunkEvent c : chunks("short", signal(8000, 1, 4), 16000, 1, new Random(9))) {
            harness.processElement(c, 0);
        }
        List<AudioWindow> windows = harness.extractOutputValues();
        assertThat(windows).singleElement().satisfies(w -> {
            assertThat(w.endOfStream).isTrue();
            assertThat(w.frames).isEqualTo(new MelFrontend(FRONTEND).framesFor(16000));
            assertThat(w.loudnessDbfs).isBetween(-15f, -5f);
        });
        harness.close();
    }

    @Test
    void windowPlanCoversTheEndExactlyOnce() {
        assertThat(WindowPlan.spans(500, 200, 100)).extracting(WindowPlan.Span::start).containsExactly(0L, 100L, 200L, 300L);
        assertThat(WindowPlan.spans(469, 200, 100)).last().isEqualTo(new WindowPlan.Span(269, 469, true));
        assertThat(WindowPlan.spans(0, 200, 100)).containsExactly(new WindowPlan.Span(0, 0, true));
    }

    private static void process(KeyedOneInputStreamOperatorTestHarness<String, ChunkEvent, AudioWindow> harness, ChunkEvent c) {
        try {
            harness.processElement(c, 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertNothingLeft(KeyedOneInputStreamOperatorTestHarness<String, ChunkEvent, AudioWindow> harness) {
        assertThat(harness.numKeyedStateEntries()).as("state left after end of stream").isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).as("timers left").isZero();
    }
}
