package io.hearken.bench;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.inference.engine.StageTimings;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The inference benchmark's figures are computed from what it measured: fake measurements, then a tiny real run. */
class InferenceBenchTest {
    static final Path MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
            .resolve("models/efficientat-mn04");

    @Test
    void aBatchRowIsComputedFromTheTimedRuns() {
        FakeNanoClock clock = new FakeNanoClock();
        List<Integer> batchSizes = new ArrayList<>();
        int[] calls = {0};
        // The model's k-th call takes k+1 ms: warm-up 1-3 ms, then the 20 timed runs 4..23 ms.
        InferenceBench.BatchModel model = (windows, frames) -> {
            batchSizes.add(windows.size());
            clock.advance(++calls[0] * 1_000_000L);
        };
        List<float[]> batch = InferenceBench.syntheticWindows(4, 128, 100);

        InferenceBench.Result r = InferenceBench.measureBatch(model, batch, 100, Duration.ZERO, 2, 1.0,
                new CaseTimer(clock));

        List<Long> timedMs = LongStream.rangeClosed(4, 23).boxed().toList();
        double totalSeconds = timedMs.stream().mapToLong(Long::longValue).sum() / 1e3;
        assertThat(batchSizes).hasSize(23).containsOnly(4);
        assertThat(r.mode()).isEqualTo("batch");
        assertThat(r.threads()).isEqualTo(2);
        assertThat(r.batch()).isEqualTo(4);
        assertThat(r.runs()).isEqualTo(timedMs.size());
        assertThat(r.windows()).isEqualTo(4L * timedMs.size());
        // Nearest rank of 20 ascending values: p50 is the 10th, p99 the 20th (the slowest).
        assertThat(r.p50Ms()).isEqualTo((double) timedMs.get(9));
        assertThat(r.p99Ms()).isEqualTo((double) timedMs.get(19));
        assertThat(r.meanMs()).isCloseTo(totalSeconds * 1e3 / timedMs.size(), within(1e-9));
        assertThat(r.windowsPerSecond()).isCloseTo(4 * 20 / totalSeconds, within(1e-9));
    }

    @Test
    void ratesFollowFromWindowsAndMeasuredTime() {
        // 300 windows of 2 s in 0.5 s: 600 windows/s, 1,200 audio-s/s, against the reference's 587.
        InferenceBench.Result r = new InferenceBench.Result("batch", 1, 8, 50, 300, 500_000_000L, 1, 2, 1.5, 2.0);
        assertThat(r.windowsPerSecond()).isCloseTo(600, within(1e-9));
        assertThat(r.audioSecondsPerSecond()).isCloseTo(1200, within(1e-9));
        assertThat(r.vsReference()).isCloseTo(1200 / 587.0, within(1e-9));
    }

    @Test
    void theGoalIsJudgedOnTheOneThreadBatch32Row() {
        double goal = InferenceBench.GOAL_FACTOR * InferenceBench.REFERENCE_AUDIO_SECONDS_PER_SECOND;
        long justEnough = (long) Math.ceil(goal);
        // 1 s windows counted over 1 s: audio-s/s = windows.
        assertThat(InferenceBench.goalLine(List.of(row(1, 32, justEnough)))).hasValueSatisfying(
                line -> assertThat(line).endsWith(" MET").doesNotContain("NOT"));
        assertThat(InferenceBench.goalLine(List.of(row(1, 32, justEnough - 1), row(2, 32, 10 * justEnough))))
                .hasValueSatisfying(line -> assertThat(line).endsWith("NOT MET"));
        assertThat(InferenceBench.goalLine(List.of(row(1, 8, justEnough), row(2, 32, justEnough)))).isEmpty();
    }

    private static InferenceBench.Result row(int threads, int batch, long windowsInOneSecond) {
        return new InferenceBench.Result("batch", threads, batch, 10, windowsInOneSecond, 1_000_000_000L, 1, 1, 1, 1.0);
    }

    @Test
    void badOptionsAreConfigErrors() {
        assertThatThrownBy(() -> new InferenceBench.Options(MODEL, InferenceDevice.CPU, List.of(1), List.of(0), 100,
                Duration.ZERO, 0)).isInstanceOfSatisfying(HearkenException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
        assertThatThrownBy(() -> new InferenceBench.Options(MODEL, InferenceDevice.CPU, List.of(), List.of(1), 100,
                Duration.ZERO, 0)).isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> new InferenceBench.Options(MODEL, InferenceDevice.CPU, List.of(1), List.of(1), 100,
                Duration.ofMillis(-1), 0)).isInstanceOf(HearkenException.class);
    }

    /**
     * The model's own counters witness what was run: each batch row's warm-up and timed runs, and the dynamic row's
     * batcher runs, no more and no less; and the printed rows are the results'.
     */
    @Test
    void aTinyRealRunCountsWhatTheModelRan() {
        InferenceBench.Options o = new InferenceBench.Options(MODEL, InferenceDevice.CPU, List.of(1), List.of(1, 4),
                100, Duration.ZERO, 2);
        StringWriter text = new StringWriter();
        List<InferenceBench.Result> rows;
        StageTimings.Stage ran;
        try (AudioTagger tagger = AudioTagger.load(MODEL, new EngineSettings(1, InferenceDevice.CPU))) {
            rows = InferenceBench.measure(tagger, 1, o, CaseTimer.system(), new PrintWriter(text, true));
            ran = tagger.timings().inference();
        }

        assertThat(rows).extracting(InferenceBench.Result::batch).containsExactly(1, 4, 0);
        InferenceBench.Result one = rows.get(0);
        InferenceBench.Result four = rows.get(1);
        InferenceBench.Result dynamic = rows.get(2);
        // No time budget: each batch row is the minimum of timed runs.
        assertThat(List.of(one.runs(), four.runs())).containsOnly(CaseTimer.MIN_RUNS);
        assertThat(one.windows()).isEqualTo(one.runs());
        assertThat(four.windows()).isEqualTo(4L * four.runs());
        assertThat(dynamic.runs()).isPositive();
        assertThat(ran.calls()).isEqualTo(one.runs() + four.runs() + 2L * CaseTimer.WARMUP_RUNS + dynamic.runs());
        assertThat(ran.windows()).isEqualTo(one.windows() + four.windows()
                + (1L + 4L) * CaseTimer.WARMUP_RUNS + dynamic.windows());
        // The batcher's own report of the dynamic row agrees with the row.
        Matcher batcher = Pattern.compile("dynamic batching \\(2 producers.*?: (\\d+) batches, (\\d+) windows")
                .matcher(text.toString());
        assertThat(batcher.find()).as(text.toString()).isTrue();
        assertThat(Long.parseLong(batcher.group(1))).isEqualTo(dynamic.runs());
        assertThat(Long.parseLong(batcher.group(2))).isEqualTo(dynamic.windows());
        // The dynamic row's rate is over its measuring period, at least DYNAMIC_MIN_PERIOD.
        assertThat(dynamic.measuredNanos()).isGreaterThanOrEqualTo(InferenceBench.DYNAMIC_MIN_PERIOD.toNanos());

        assertPrintedRowsAre(text.toString(), rows);
    }

    /** The table rows in {@code text} are exactly {@code rows}, each figure as the result has it (to its printed digits). */
    static void assertPrintedRowsAre(String text, List<InferenceBench.Result> rows) {
        // Rows start with their mode; the indented lines between them are notes.
        List<String[]> printed = text.lines().filter(l -> l.startsWith("batch ") || l.startsWith("dynamic "))
                .map(l -> l.split("\\s+")).toList();
        assertThat(printed).as(text).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            InferenceBench.Result r = rows.get(i);
            String[] f = printed.get(i);
            assertThat(f).as("row %s", String.join(" ", f)).hasSize(10);
            assertThat(f[0]).isEqualTo(r.mode());
            assertThat(Integer.parseInt(f[1])).isEqualTo(r.threads());
            assertThat(f[2]).isEqualTo(r.batch() == 0 ? "dyn" : Integer.toString(r.batch()));
            assertThat(Integer.parseInt(f[3])).isEqualTo(r.runs());
            assertThat(Double.parseDouble(f[4])).isCloseTo(r.p50Ms(), within(0.005 + 1e-9));
            assertThat(Double.parseDouble(f[5])).isCloseTo(r.p99Ms(), within(0.005 + 1e-9));
            assertThat(Double.parseDouble(f[6])).isCloseTo(r.meanMs(), within(0.005 + 1e-9));
            assertThat(Double.parseDouble(f[7])).isCloseTo(r.windowsPerSecond(), within(0.05 + 1e-9));
            assertThat(Double.parseDouble(f[8])).isCloseTo(r.audioSecondsPerSecond(), within(0.05 + 1e-9));
            assertThat(Double.parseDouble(f[9].replace("x", ""))).isCloseTo(r.vsReference(), within(0.005 + 1e-9));
        }
    }
}
