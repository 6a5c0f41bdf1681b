package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingMelFrontendTest {

    private static Map<String, FrontendConfig> presets() {
        Map<String, FrontendConfig> m = new LinkedHashMap<>();
        m.put("efficientAt", FrontendConfig.efficientAt());
        m.put("byolA", FrontendConfig.byolA());
        m.put("m2d", FrontendConfig.m2d());
        return m;
    }

    /** Presets plus unusual shapes: not centred, odd nFft with pre-emphasis, hop larger than nFft, normalisation. */
    private static Map<String, FrontendConfig> allConfigs() {
        Map<String, FrontendConfig> m = presets();
        m.put("m2d-notCentred", FrontendConfig.m2d().toBuilder().centered(false).build());
        m.put("odd405-preEmph", FrontendConfig.byolA().toBuilder().nFft(405).winLength(333).hop(100).melBins(40)
                .preEmphasis(0.9).melScale(FrontendConfig.MelScale.KALDI).build());
        m.put("gappyHop-centred", FrontendConfig.m2d().toBuilder().hop(500).winLength(301).build());
        m.put("gappyHop-notCentred", FrontendConfig.efficientAt().toBuilder().hop(1500).centered(false).build());
        m.put("byolA-normalised", FrontendConfig.byolA().withNormalization(-7.5, 3.25));
        return m;
    }

    private static float[] signal(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            phase += 0.01 + 0.2 * (i % 5000) / 5000.0;
            x[i] = (float) (0.3 * Math.sin(phase) + 0.05 * rnd.nextGaussian());
        }
        return x;
    }

    /** Collects frames (copies, since the column array is reused) and checks indices are 0, 1, 2, ... */
    private static final class Collector implements StreamingMelFrontend.FrameSink {
        final List<float[]> frames = new ArrayList<>();

        @Override
        public void frame(long frameIndex, float[] melColumn) {
            assertThat(frameIndex).isEqualTo(frames.size());
            frames.add(melColumn.clone());
        }
    }

    private static int chunk(Random rnd, int sampleRate) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1 + rnd.nextInt(4);
            case 1 -> 1 + rnd.nextInt(400);
            case 2 -> 1 + rnd.nextInt(5000);
            default -> 1 + rnd.nextInt(3 * sampleRate);
        };
    }

    /** Streams x in random chunks (sometimes empty ones) and returns the frames. */
    private static List<float[]> stream(FrontendConfig cfg, float[] x, Random rnd) {
        StreamingMelFrontend s = new StreamingMelFrontend(cfg);
        Collector c = new Collector();
        int off = 0;
        int emitted = 0;
        while (off < x.length) {
            int n = Math.min(x.length - off, rnd.nextInt(20) == 0 ? 0 : chunk(rnd, cfg.sampleRate()));
            emitted += s.accept(x, off, n, c);
            off += n;
        }
        emitted += s.finish(c);
        assertThat(emitted).isEqualTo(c.frames.size());
        assertThat(s.samplesAccepted()).isEqualTo(x.length);
        assertThat(s.framesEmitted()).isEqualTo(c.frames.size());
        return c.frames;
    }

    private static void assertBitIdentical(String what, float[] whole, int bins, List<float[]> frames) {
        int t = frames.size();
        assertThat(whole).as(what + " size").hasSize(bins * t);
        for (int f = 0; f < t; f++) {
            float[] col = frames.get(f);
            for (int b = 0; b < bins; b++) {
                if (Float.floatToRawIntBits(col[b]) != Float.floatToRawIntBits(whole[b * t + f])) {
                    throw new AssertionError(what + ": frame " + f + " bin " + b + " streamed " + col[b] + " whole "
                            + whole[b * t + f]);
                }
            }
        }
    }

    @Test
    void anyChunkingIsBitIdenticalToWholeSignal() {
        Random rnd = new Random(20240601L);
        int checked = 0;
        for (Map.Entry<String, FrontendConfig> e : allConfigs().entrySet()) {
            FrontendConfig cfg = e.getValue();
            MelFrontend whole = new MelFrontend(cfg);
            int pad = cfg.nFft() / 2;
            List<Integer> lengths = new ArrayList<>(List.of(0, 1, 2, 3, 7, pad - 1, pad, pad + 1, pad + 2, pad + 3,
                    cfg.nFft() - 1, cfg.nFft(), cfg.nFft() + 1, cfg.nFft() + 2, 3 * cfg.hop() + 1, 3 * cfg.hop() + 2,
                    cfg.sampleRate() + 17));
            for (int rep = 0; rep < 3; rep++) {
                lengths.add(4 * cfg.sampleRate() + rnd.nextInt(cfg.hop() * 3));
            }
            for (int len : lengths) {
                float[] x = signal(len, len * 31L + e.getKey().hashCode());
                float[] ref = whole.compute(x);
                assertThat(ref).hasSize(cfg.melBins() * whole.framesFor(len));
                int chunkings = len > cfg.sampleRate() ? 2 : 3;
                for (int c = 0; c < chunkings; c++) {
                    assertBitIdentical(e.getKey() + " len " + len + " chunking " + c, ref, cfg.melBins(),
                            stream(cfg, x, rnd));
                    checked++;
                }
                // one sample at a time and all at once
                if (len <= cfg.sampleRate() + 17) {
                    StreamingMelFrontend s = new StreamingMelFrontend(cfg);
                    Collector col = new Collector();
                    for (int i = 0; i < len; i++) {
                        s.accept(x, i, 1, col);
                    }
                    s.finish(col);
                    assertBitIdentical(e.getKey() + " len " + len + " 1-sample chunks", ref, cfg.melBins(),
                            col.frames);
                }
                StreamingMelFrontend s = new StreamingMelFrontend(cfg);
                Collector col = new Collector();
                s.accept(x, 0, len, col);
                s.finish(col);
                assertBitIdentical(e.getKey() + " len " + len + " one chunk", ref, cfg.melBins(), col.frames);
                checked++;
            }
        }
        System.out.printf("streaming: %d random chunkings bit-identical to the whole-signal front end%n", checked);
    }

    /** Frame t comes out of accept() exactly when its last needed sample arrives, never earlier or later. */
    @Test
    void framesAreEmittedAsSoonAsDeterminable() {
        // {input samples needed for frame 0, for frame t >= 1: base + step * t}. Frame 0 needs y[0..max(hi, -lo)]:
        // its left reflection reaches y[n_fft/2 - window offset]; later frames need y up to their last windowed
        // sample hi(t) = t * hop + (nFft - win)/2 - nFft/2 + win - 1. Pre-emphasis adds one input sample.
        Map<String, int[]> expected = Map.of(
                "efficientAt", new int[] {402, 401, 320}, // y[0..400] = x[0..401]; then hi(t) = 320t + 399
                "byolA", new int[] {513, 512, 160},       // n_fft/2 + 1; then hi(t) = 160t + 511
                "m2d", new int[] {201, 200, 160});        // n_fft/2 + 1; then hi(t) = 160t + 199
        for (Map.Entry<String, FrontendConfig> e : presets().entrySet()) {
            FrontendConfig cfg = e.getValue();
            StreamingMelFrontend s = new StreamingMelFrontend(cfg);
            int[] exp = expected.get(e.getKey());
            assertThat(s.inputSamplesNeeded(0)).as(e.getKey()).isEqualTo(exp[0]);
            float[] x = signal(exp[1] + 20 * exp[2], 5);
            List<Long> emittedAt = new ArrayList<>();
            long[] accepted = new long[1];
            StreamingMelFrontend.FrameSink sink = (t, col) -> {
                assertThat(t).isEqualTo(emittedAt.size());
                emittedAt.add(accepted[0]);
            };
            for (int i = 0; i < x.length; i++) {
                accepted[0] = i + 1;
                s.accept(x, i, 1, sink);
            }
            assertThat(emittedAt).as(e.getKey()).hasSize(21);
            for (int t = 0; t < emittedAt.size(); t++) {
                assertThat(emittedAt.get(t)).as(e.getKey() + " frame " + t)
                        .isEqualTo(t == 0 ? exp[0] : exp[1] + (long) t * exp[2]).isEqualTo(s.inputSamplesNeeded(t));
            }
            // the remaining frames (right reflect padding) come from finish()
            long total = cfg.framesFor(x.length);
            assertThat(s.finish(sink)).isEqualTo((int) (total - 21));
        }
    }

    @Test
    void shortStreamsGetTheirFramesFromFinish() {
        for (Map.Entry<String, FrontendConfig> e : presets().entrySet()) {
            FrontendConfig cfg = e.getValue();
            for (int len : new int[] {0, 1, 5, (int) new StreamingMelFrontend(cfg).inputSamplesNeeded(0) - 1}) {
                StreamingMelFrontend s = new StreamingMelFrontend(cfg);
                Collector c = new Collector();
                float[] x = signal(len, len);
                assertThat(s.accept(x, 0, len, c)).isZero();
                assertThat(s.finish(c)).isEqualTo(cfg.framesFor(len)).isPositive();
                assertBitIdentical(e.getKey() + " short " + len, new MelFrontend(cfg).compute(x), cfg.melBins(),
                        c.frames);
                assertThat(s.finish(c)).isZero();
                assertThatThrownBy(() -> s.accept(x, 0, 0, c)).isInstanceOf(HearkenException.class)
                        .hasMessageContaining("after finish");
            }
        }
    }

    @Test
    void snapshotRestoreMidStreamGivesIdenticalFrames() {
        Random rnd = new Random(99);
        for (Map.Entry<String, FrontendConfig> e : allConfigs().entrySet()) {
            FrontendConfig cfg = e.getValue();
            float[] x = signal(2 * cfg.sampleRate() + 123, 3);
            float[] ref = new MelFrontend(cfg).compute(x);
            for (int rep = 0; rep < 6; rep++) {
                StreamingMelFrontend s = new StreamingMelFrontend(cfg);
                Collector c = new Collector();
                int off = 0;
                int snapshots = 0;
                while (off < x.length) {
                    int n = Math.min(x.length - off, chunk(rnd, cfg.sampleRate() / 4));
                    s.accept(x, off, n, c);
                    off += n;
                    if (rnd.nextBoolean()) {
                        StreamingMelFrontend.State st = roundTrip(s.snapshot());
                        assertThat(st.samples.length).as("state stays small").isLessThanOrEqualTo(cfg.nFft() + 2);
                        s = StreamingMelFrontend.restore(cfg, st);
                        snapshots++;
                    }
                }
                s.finish(c);
                StreamingMelFrontend done = StreamingMelFrontend.restore(cfg, roundTrip(s.snapshot()));
                assertThat(done.isFinished()).isTrue();
                assertThat(done.finish(c)).isZero();
                assertThat(snapshots).isPositive();
                assertBitIdentical(e.getKey() + " with snapshots", ref, cfg.melBins(), c.frames);
            }
        }
    }

    @Test
    void restoreRejectsForeignOrInconsistentState() {
        StreamingMelFrontend s = new StreamingMelFrontend(FrontendConfig.m2d());
        float[] x = signal(5000, 1);
        s.accept(x, 0, x.length, (t, c) -> { });
        StreamingMelFrontend.State st = s.snapshot();
        assertThatThrownBy(() -> StreamingMelFrontend.restore(FrontendConfig.byolA(), st))
                .isInstanceOf(HearkenException.class).hasMessageContaining("configuration");
        StreamingMelFrontend.State bad = roundTrip(st);
        bad.nextFrame += 3;
        assertThatThrownBy(() -> StreamingMelFrontend.restore(FrontendConfig.m2d(), bad))
                .isInstanceOf(HearkenException.class).hasMessageContaining("nextFrame");
        StreamingMelFrontend.State shortHistory = roundTrip(st);
        shortHistory.samples = java.util.Arrays.copyOfRange(st.samples, 10, st.samples.length);
        assertThatThrownBy(() -> StreamingMelFrontend.restore(FrontendConfig.m2d(), shortHistory))
                .isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> StreamingMelFrontend.restore(FrontendConfig.m2d(), null))
                .isInstanceOf(HearkenException.class);
    }

    /** As Flink would: a new State object from the public fields (no shared arrays). */
    private static StreamingMelFrontend.State roundTrip(StreamingMelFrontend.State s) {
        StreamingMelFrontend.State c = new StreamingMelFrontend.State();
        c.configFingerprint = s.configFingerprint;
        c.consumed = s.consumed;
        c.nextFrame = s.nextFrame;
        c.finished = s.finished;
        c.samples = s.samples.clone();
        return c;
    }

    /** A sink that allocates nothing: folds the values into a checksum. */
    private static final class Checksum implements StreamingMelFrontend.FrameSink {
        double sum;
        long frames;

        @Override
        public void frame(long frameIndex, float[] melColumn) {
            sum += melColumn[0] + melColumn[melColumn.length - 1];
            frames++;
        }
    }

    @Test
    void steadyStateAllocatesNothingPerFrame() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assertThat(mx).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        for (Map.Entry<String, FrontendConfig> e : presets().entrySet()) {
            FrontendConfig cfg = e.getValue();
            int rate = cfg.sampleRate();
            int chunk = rate / 100; // 10 ms
            float[] x = signal(70 * rate, 8); // 10 s warm-up + 60 s measured
            StreamingMelFrontend s = new StreamingMelFrontend(cfg);
            Checksum sink = new Checksum();
            int warm = 10 * rate;
            for (int off = 0; off < warm; off += chunk) {
                s.accept(x, off, chunk, sink);
            }
            long framesBefore = sink.frames;
            long tid = Thread.currentThread().getId();
            long before = bean.getThreadAllocatedBytes(tid);
            for (int off = warm; off < x.length; off += chunk) {
                s.accept(x, off, chunk, sink);
            }
            long bytes = bean.getThreadAllocatedBytes(tid) - before;
            long frames = sink.frames - framesBefore;
            double perFrame = (double) bytes / frames;
            System.out.printf("streaming %-11s 60 s in 10 ms chunks after 10 s warm-up: %d frames, %d bytes allocated"
                    + " = %.3f bytes/frame%n", e.getKey(), frames, bytes, perFrame);
            assertThat(frames).isEqualTo(60L * rate / cfg.hop());
            assertThat(perFrame).as(e.getKey() + " bytes allocated per frame").isLessThan(64.0);
            assertThat(Double.isFinite(sink.sum)).isTrue();
        }
    }

    /** Informational: whole-signal vs streaming (10 ms chunks) speed per preset; not asserted (shared cores). */
    @Test
    void throughput() {
        for (Map.Entry<String, FrontendConfig> e : presets().entrySet()) {
            FrontendConfig cfg = e.getValue();
            int rate = cfg.sampleRate();
            int chunk = rate / 100;
            float[] x = signal(10 * rate, 4);
            MelFrontend whole = new MelFrontend(cfg);
            Checksum sink = new Checksum();
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int rep = 0; rep < 12; rep++) {
                long t0 = System.nanoTime();
                whole.compute(x);
                long t1 = System.nanoTime();
                StreamingMelFrontend s = new StreamingMelFrontend(cfg);
                for (int off = 0; off < x.length; off += chunk) {
                    s.accept(x, off, chunk, sink);
                }
                s.finish(sink);
                long t2 = System.nanoTime();
                if (rep >= 6) { // after warm-up; best of the rest
                    best[0] = Math.min(best[0], (t1 - t0) / 1e9);
                    best[1] = Math.min(best[1], (t2 - t1) / 1e9);
                }
            }
            System.out.printf("throughput %-11s whole %.2f ms per 10 s (%.0fx real time), streaming 10 ms chunks"
                    + " %.2f ms (%.0fx), 1 thread%n", e.getKey(), best[0] * 1e3, 10 / best[0], best[1] * 1e3,
                    10 / best[1]);
        }
    }

    @Test
    void rejectsBadArguments() {
        StreamingMelFrontend s = new StreamingMelFrontend(FrontendConfig.byolA());
        StreamingMelFrontend.FrameSink sink = (t, c) -> { };
        assertThatThrownBy(() -> s.accept(null, 0, 0, sink)).isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> s.accept(new float[4], 2, 3, sink)).isInstanceOf(HearkenException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> s.accept(new float[4], 0, 4, null)).isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> new StreamingMelFrontend(null)).isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> s.inputSamplesNeeded(-1)).isInstanceOf(HearkenException.class);
    }
}
