package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudioTaggerTest {
    private static final List<String> OUTPUTS = List.of("logits", "embedding", "mid", "late", "hidden");

    private static AudioTagger tagger;

    @BeforeAll
    static void load() {
        tagger = AudioTagger.load(Fixtures.modelDir(), 2);
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    static List<String> clips() {
        return Fixtures.clips();
    }

    @Test
    void metadata() {
        assertThat(tagger.modelId()).isEqualTo("efficientat-mn04");
        assertThat(tagger.modelVersion()).isEqualTo("a2508b43ca03"); // sha256 prefix from MODEL.md
        assertThat(tagger.melBins()).isEqualTo(128);
        assertThat(tagger.labels().size()).isEqualTo(527);
        assertThat(tagger.featureOutputs()).containsExactly("embedding", "mid", "late", "hidden");
    }

    @ParameterizedTest
    @MethodSource("clips")
    void goldenParity(String clip) {
        float[] mel = Fixtures.golden(clip, "mel");
        Prediction p = tagger.predict(mel, mel.length / 128);
        StringBuilder report = new StringBuilder("golden " + clip + ":");
        for (String out : OUTPUTS) {
            float[] actual = out.equals("logits") ? p.logits() : p.feature(out);
            float diff = Fixtures.maxAbsDiff(actual, Fixtures.golden(clip, out));
            report.append(String.format(" %s=%.2e", out, diff));
            assertThat(diff).as("%s %s max abs diff", clip, out).isLessThanOrEqualTo(1e-3f);
        }
        System.out.println(report + "  top3=" + p.top(3, tagger.labels()));
    }

    @Test
    void aWindowAloneEqualsTheSameWindowInABatch() {
        List<float[]> windows = new ArrayList<>();
        List<String> clips = Fixtures.clips();
        for (int i = 0; i < 4; i++) {
            float[] mel = Fixtures.golden(clips.get(i % clips.size()), "mel");
            windows.add(Fixtures.slice(mel, 128, mel.length / 128, 37 * i, 100));
        }
        List<Prediction> batch = tagger.predictBatch(windows, 100);
        assertThat(batch).hasSize(4);
        float worst = 0f;
        for (int i = 0; i < 4; i++) {
            Prediction alone = tagger.predict(windows.get(i), 100);
            for (String out : OUTPUTS) {
                float d = Fixtures.maxAbsDiff(get(alone, out), get(batch.get(i), out));
                worst = Math.max(worst, d);
                assertThat(d).as("window %d %s", i, out).isLessThanOrEqualTo(1e-4f);
            }
        }
        System.out.println("batch-vs-alone max abs diff: " + worst);
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        int threads = 16;
        int perThread = 10;
        List<float[]> windows = Fixtures.windows(threads * perThread, 100, 17);
        List<Prediction> expected = new ArrayList<>();
        for (float[] w : windows) {
            expected.add(tagger.predict(w, 100));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Prediction> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(tagger.predict(windows.get(base + i), 100));
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<Prediction> mine = futures.get(t).get(120, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    Prediction want = expected.get(t * perThread + i);
                    for (String out : OUTPUTS) {
                        assertThat(Fixtures.maxAbsDiff(get(mine.get(i), out), get(want, out)))
                                .as("thread %d call %d %s", t, i, out).isLessThanOrEqualTo(1e-6f);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timingsAreRecorded() {
        StageTimings before = tagger.timings();
        float[] w = Fixtures.windows(1, 100, 1).get(0);
        tagger.predict(w, 100);
        tagger.predictBatch(List.of(w, w), 100);
        StageTimings after = tagger.timings();
        for (var pair : List.of(List.of(before.preprocess(), after.preprocess()),
                List.of(before.inference(), after.inference()), List.of(before.postprocess(), after.postprocess()))) {
            assertThat(pair.get(1).calls()).isEqualTo(pair.get(0).calls() + 2);
            assertThat(pair.get(1).windows()).isEqualTo(pair.get(0).windows() + 3);
            assertThat(pair.get(1).totalNanos()).isGreaterThan(pair.get(0).totalNanos());
        }
        assertThat(after.inference().meanMillisPerCall()).isPositive();
    }

    @Test
    void badShapesAreBadInput() {
        assertThatThrownBy(() -> tagger.predict(new float[128 * 10 + 1], 10))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThatThrownBy(() -> tagger.predictBatch(List.of(new float[1280], new float[1290]), 10))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThat(tagger.predictBatch(List.of(), 10)).isEmpty();
    }

    @Test
    void corruptModelIsAModelErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Files.write(tmp.resolve("model.onnx"), junk);
        Files.copy(Fixtures.modelDir().resolve("labels.csv"), tmp.resolve("labels.csv"));
        assertThatThrownBy(() -> AudioTagger.load(tmp, 1))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("model.onnx");
                });
    }

    @Test
    void missingLabelsIsAModelErrorNamingLabelsCsv(@TempDir Path tmp) throws IOException {
        Files.copy(Fixtures.modelDir().resolve("model.onnx"), tmp.resolve("model.onnx"));
        assertThatThrownBy(() -> AudioTagger.load(tmp, 1))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("labels.csv");
                });
    }

    @Test
    void labelsThatDoNotMatchTheLogitsAreRejected(@TempDir Path tmp) throws IOException {
        Files.copy(Fixtures.modelDir().resolve("model.onnx"), tmp.resolve("model.onnx"));
        Files.writeString(tmp.resolve("labels.csv"), "index,mid,display_name\n0,/m/a,A\n");
        assertThatThrownBy(() -> AudioTagger.load(tmp, 1))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("labels.csv", "527");
                });
    }

    @Test
    void closedTaggerRefusesWork() {
        AudioTagger t = AudioTagger.load(Fixtures.modelDir(), 1);
        t.close();
        t.close(); // idempotent
        assertThat(t.isClosed()).isTrue();
        assertThatThrownBy(() -> t.predict(new float[128], 1))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL));
    }

    /** Prints (does not assert) single-thread throughput for batch 32 x 100 frames. */
    @Test
    void singleThreadBatch32Timing() {
        List<float[]> windows = Fixtures.windows(32, 100, 23);
        try (AudioTagger single = AudioTagger.load(Fixtures.modelDir(), 1)) {
            single.predictBatch(windows, 100); // warm-up: first run allocates and plans
            single.predictBatch(windows, 100);
            StageTimings warm = single.timings();
            int runs = 5;
            for (int i = 0; i < runs; i++) {
                single.predictBatch(windows, 100);
            }
            StageTimings t = single.timings();
            double pre = (t.preprocess().totalNanos() - warm.preprocess().totalNanos()) / 1e6 / runs;
            double inf = (t.inference().totalNanos() - warm.inference().totalNanos()) / 1e6 / runs;
            double post = (t.postprocess().totalNanos() - warm.postprocess().totalNanos()) / 1e6 / runs;
            System.out.printf("single-thread batch 32 x 100 frames: pre %.2f ms, inference %.2f ms (%.2f ms/window),"
                    + " post %.2f ms%n", pre, inf, inf / 32, post);
        }
    }

    private static float[] get(Prediction p, String out) {
        return out.equals("logits") ? p.logits() : p.feature(out);
    }
}
