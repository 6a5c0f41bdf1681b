package io.hearken.inference.engine;

import io.hearken.config.ConfigLoader;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dynamic batching. Synchronisation is by futures, latches and {@link BatchingPredictor#flush()}, never by sleeping:
 * with a maxWait of a minute a group can only run when it fills up, is flushed, or the predictor closes.
 */
class BatchingPredictorTest {
    private static final List<String> OUTPUTS = List.of("logits", "embedding", "mid", "late", "hidden");
    private static final Duration NEVER = Duration.ofSeconds(60);

    private static AudioTagger tagger;

    @BeforeAll
    static void load() {
        tagger = AudioTagger.load(Fixtures.modelDir(), 2);
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    private record Window(float[] mel, int frames, String goldenClip) {
    }

    /**
     * 64 windows of mixed lengths: the 5 golden clips whole (400, 500 and 1000 frames), then slices of 100 and 200
     * frames taken from the golden mels at varying offsets.
     */
    private static List<Window> mixedWindows() {
        List<Window> out = new ArrayList<>();
        List<String> clips = Fixtures.clips();
        for (String clip : clips) {
            float[] mel = Fixtures.golden(clip, "mel");
            out.add(new Window(mel, mel.length / 128, clip));
        }
        for (int i = 0; out.size() < 64; i++) {
            float[] mel = Fixtures.golden(clips.get(i % clips.size()), "mel");
            int frames = mel.length / 128;
            int len = i % 2 == 0 ? 100 : 200;
            int start = (i * 37) % (frames - len);
            out.add(new Window(Fixtures.slice(mel, 128, frames, start, len), len, null));
        }
        return out;
    }

    private static float[] get(Prediction p, String out) {
        return out.equals("logits") ? p.logits() : p.feature(out);
    }

    @Test
    void aBatchOf64MixedWindowsEqualsTheGoldenFilesAndEachWindowAlone() throws Exception {
        List<Window> windows = mixedWindows();
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(64, NEVER))) {
            List<CompletableFuture<Prediction>> futures = new ArrayList<>();
            for (Window w : windows) {
                futures.add(batcher.submit(w.mel(), w.frames()));
            }
            assertThat(futures).noneMatch(CompletableFuture::isDone); // nothing is full, nothing due: all wait
            batcher.flush();
            float worstGolden = 0f;
            float worstAlone = 0f;
            for (int i = 0; i < windows.size(); i++) {
                Window w = windows.get(i);
                Prediction batched = futures.get(i).get(120, TimeUnit.SECONDS);
                Prediction alone = tagger.predict(w.mel(), w.frames());
                for (String out : OUTPUTS) {
                    float dAlone = Fixtures.maxAbsDiff(get(batched, out), get(alone, out));
                    worstAlone = Math.max(worstAlone, dAlone);
                    assertThat(dAlone).as("window %d (%d frames) %s batched vs alone", i, w.frames(), out)
                            .isLessThanOrEqualTo(1e-4f);
                    if (w.goldenClip() != null) {
                        float[] golden = Fixtures.golden(w.goldenClip(), out);
                        float dBatched = Fixtures.maxAbsDiff(get(batched, out), golden);
                        float dAloneGolden = Fixtures.maxAbsDiff(get(alone, out), golden);
                        worstGolden = Math.max(worstGolden, Math.max(dBatched, dAloneGolden));
                        assertThat(dBatched).as("%s %s in a batch vs golden", w.goldenClip(), out)
                                .isLessThanOrEqualTo(1e-3f);
                        assertThat(dAloneGolden).as("%s %s alone vs golden", w.goldenClip(), out)
                                .isLessThanOrEqualTo(1e-3f);
                    }
                }
            }
            BatchingStats stats = batcher.stats();
            // One run per frame count: 100, 200, 400, 500 and 1000 frames.
            assertThat(stats.batches()).isEqualTo(5);
            assertThat(stats.windows()).isEqualTo(64);
            assertThat(stats.batchSizes()).containsEntry(30, 1L).containsEntry(29, 1L).containsEntry(2, 2L)
                    .containsEntry(1, 1L);
            assertThat(stats.timings().inference().calls()).isEqualTo(5);
            assertThat(stats.timings().inference().windows()).isEqualTo(64);
            assertThat(stats.pending()).isZero();
            System.out.printf("64 mixed windows: max diff vs golden %.2e, batched vs alone %.2e; %s%n", worstGolden,
                    worstAlone, stats);
        }
    }

    @Test
    void thirtyTwoThreadsGetExactlyTheirOwnResults() throws Exception {
        int threads = 32;
        int perThread = 6;
        List<float[]> short100 = Fixtures.windows(threads * perThread / 2, 100, 7);
        List<float[]> long200 = Fixtures.windows(threads * perThread / 2, 200, 11);
        List<float[]> mels = new ArrayList<>();
        List<Integer> frames = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            boolean longOne = i % 3 == 0;
            mels.add(longOne ? long200.get(i / 2) : short100.get(i / 2));
            frames.add(longOne ? 200 : 100);
        }
        List<Prediction> expected = new ArrayList<>();
        for (int i = 0; i < mels.size(); i++) {
            expected.add(tagger.predict(mels.get(i), frames.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(16, Duration.ofMillis(2)))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Prediction>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                results.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Prediction>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(batcher.submit(mels.get(base + i), frames.get(base + i)));
                    }
                    List<Prediction> got = new ArrayList<>();
                    for (CompletableFuture<Prediction> f : mine) {
                        got.add(f.get(120, TimeUnit.SECONDS));
                    }
                    return got;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<Prediction> got = results.get(t).get(180, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    Prediction want = expected.get(t * perThread + i);
                    for (String out : OUTPUTS) {
                        assertThat(Fixtures.maxAbsDiff(get(got.get(i), out), get(want, out)))
                                .as("thread %d window %d %s", t, i, out).isLessThanOrEqualTo(1e-4f);
                    }
                }
            }
            BatchingStats stats = batcher.stats();
            assertThat(stats.windows()).isEqualTo((long) threads * perThread);
            assertThat(stats.batchSizes().keySet()).allMatch(size -> size >= 1 && size <= 16);
            System.out.println("32 threads: " + stats);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maxWaitFlushesALoneWindow() throws Exception {
        Duration maxWait = Duration.ofMillis(30);
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(64, maxWait))) {
            float[] w = Fixtures.windows(1, 100, 1).get(0);
            long t0 = System.nanoTime();
            Prediction p = batcher.submit(w, 100).get(60, TimeUnit.SECONDS);
            long waited = System.nanoTime() - t0;
            assertThat(p.logits()).hasSize(527);
            assertThat(waited).as("a lone window runs only once its maxWait has passed")
                    .isGreaterThanOrEqualTo(maxWait.toNanos());
            assertThat(batcher.stats().batchSizes()).isEqualTo(Map.of(1, 1L));
        }
    }

    @Test
    void aFullGroupRunsAtOnceWithoutWaiting() throws Exception {
        List<float[]> ws = Fixtures.windows(8, 100, 13);
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(4, NEVER))) {
            List<CompletableFuture<Prediction>> fs = new ArrayList<>();
            for (float[] w : ws) {
                fs.add(batcher.submit(w, 100));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertThat(batcher.stats().batchSizes()).isEqualTo(Map.of(4, 2L));
        }
    }

    @Test
    void aBadWindowFailsAloneAndTheOthersSucceed() throws Exception {
        float[] good = Fixtures.windows(1, 100, 1).get(0);
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(8, NEVER))) {
            CompletableFuture<Prediction> ok = batcher.submit(good, 100);
            CompletableFuture<Prediction> wrongLength = batcher.submit(new float[128 * 100 - 1], 100);
            CompletableFuture<Prediction> noFrames = batcher.submit(new float[0], 0);
            batcher.flush();
            assertThat(ok.get(60, TimeUnit.SECONDS).logits()).hasSize(527);
            assertFailed(wrongLength, ErrorKind.BAD_INPUT, "expected 128 x 100");
            assertFailed(noFrames, ErrorKind.BAD_INPUT, "frames must be >= 1");
            assertThat(batcher.stats().failedWindows()).isEqualTo(2);
        }
    }

    @Test
    void aFailedRunFailsItsWindowsAndTheDispatcherCarriesOn() throws Exception {
        AudioTagger own = AudioTagger.load(Fixtures.modelDir(), 1);
        BatchingPredictor batcher = new BatchingPredictor(own, new BatchingConfig(8, NEVER));
        List<float[]> ws = Fixtures.windows(3, 100, 5);
        List<CompletableFuture<Prediction>> fs = new ArrayList<>();
        for (float[] w : ws) {
            fs.add(batcher.submit(w, 100));
        }
        own.close(); // every run now fails
        batcher.flush();
        for (CompletableFuture<Prediction> f : fs) {
            assertFailed(f, ErrorKind.INTERNAL, "closed");
        }
        assertThat(batcher.dispatcherThread().isAlive()).isTrue();
        batcher.close();
        assertThat(batcher.dispatcherThread().isAlive()).isFalse();
    }

    @Test
    void closeDrainsPendingWindowsAndEndsTheThread() throws Exception {
        BatchingPredictor batcher = new BatchingPredictor(tagger, new BatchingConfig(64, NEVER));
        List<CompletableFuture<Prediction>> fs = new ArrayList<>();
        for (float[] w : Fixtures.windows(5, 100, 9)) {
            fs.add(batcher.submit(w, 100));
        }
        batcher.close();
        assertThat(batcher.dispatcherThread().isAlive()).isFalse();
        for (CompletableFuture<Prediction> f : fs) {
            assertThat(f).isCompleted();
            assertThat(f.get().logits()).hasSize(527);
        }
        assertThat(batcher.isClosed()).isTrue();
        assertFailed(batcher.submit(new float[128 * 100], 100), ErrorKind.INTERNAL, "closed");
        batcher.close(); // idempotent
    }

    @Test
    void sharedBatcherLivesUntilTheLastRelease() {
        java.nio.file.Path dir = Fixtures.modelDir();
        AudioTagger t = SharedTaggers.acquire(dir, EngineSettings.cpu(1));
        SharedTaggers.acquire(dir, EngineSettings.cpu(1));
        BatchingPredictor b = SharedTaggers.batcher(dir, new BatchingConfig(8, Duration.ofMillis(1)));
        assertThat(SharedTaggers.batcher(dir, BatchingConfig.DEFAULT)).isSameAs(b);
        assertThat(b.tagger()).isSameAs(t);
        SharedTaggers.release(dir);
        assertThat(b.isClosed()).isFalse();
        SharedTaggers.release(dir);
        assertThat(b.isClosed()).isTrue();
        assertThat(b.dispatcherThread().isAlive()).isFalse();
        assertThat(t.isClosed()).isTrue();
    }

    @Test
    void configIsValidated() {
        ConfigLoader loader = ConfigLoader.of(List.of(EngineSettings.CONFIG));
        assertThat(BatchingConfig.from(loader.load(Optional.empty(), Map.of(), Map.of()))).isEqualTo(BatchingConfig.DEFAULT);
        assertThat(BatchingConfig.from(loader.load(Optional.empty(), Map.of("HEARKEN_INFERENCE_BATCH_MAX_SIZE", "32"),
                Map.of("inference.batch.max.wait", "5ms")))).isEqualTo(new BatchingConfig(32, Duration.ofMillis(5)));
        assertThat(BatchingConfig.from(loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.wait", "0"))).maxWait())
                .isZero();
        assertThat(new BatchingConfig(1, Duration.ZERO).maxBatchSize()).isEqualTo(1);
        for (Runnable bad : List.<Runnable>of(
                () -> new BatchingConfig(0, Duration.ofMillis(1)),
                () -> new BatchingConfig(4097, Duration.ofMillis(1)),
                () -> new BatchingConfig(8, Duration.ofMillis(-1)),
                () -> new BatchingConfig(8, Duration.ofMinutes(2)),
                () -> new BatchingConfig(8, null),
                () -> loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.size", "many")),
                () -> loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.size", "4097")),
                () -> loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.wait", "20")),
                () -> loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.wait", "2m")))) {
            assertThatThrownBy(bad::run).isInstanceOfSatisfying(HearkenException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                assertThat(e.getMessage()).containsPattern("inference\\.batch\\.max\\.(size|wait)");
            });
        }
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of(), Map.of("inference.batch.max.wait", "2m")))
                .hasMessageContaining("inference.batch.max.wait: '2m' must be at most 1m");
    }

    private static void assertFailed(CompletableFuture<Prediction> f, ErrorKind kind, String fragment) {
        assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).contains(fragment);
                });
    }
}
