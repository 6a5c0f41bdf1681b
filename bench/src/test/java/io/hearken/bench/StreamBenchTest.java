package io.hearken.bench;

import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.inference.engine.WindowPlan;
import io.hearken.job.JobSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the stream bench prints is its Result, and its Result counts what the job did: a printed fabricated Result,
 * then the embedded stack end to end at a tiny scale.
 */
class StreamBenchTest {
    static final Path SHARED = Path.of(System.getProperty("hearken.shared.dir", "../../shared"));
    static final String MODEL = SHARED.resolve("models/efficientat-mn04").toString();

    @Test
    void printsTheResultsFiguresAndTheRatesDerivedFromThem() {
        StreamBench.Result r = new StreamBench.Result(3, 40.0, 100, new StreamBench.LagPercentiles(281, 398),
                new StreamBench.LagPercentiles(1046, 1580), 2, 60.8, List.of(12_400.0, 3_000.0, 398.0, Double.NaN),
                25.0, true, 12.34, new StreamBench.PublisherStats(4, 250_000, List.of()));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StreamBench bench = new StreamBench(JobSettings.defaults(MODEL), "default", Duration.ofMillis(250),
                Duration.ZERO, new PrintStream(text, true, StandardCharsets.UTF_8));

        bench.print(r, Duration.ofSeconds(2), Duration.ofSeconds(1));

        String printed = text.toString(StandardCharsets.UTF_8);
        assertPrintedFiguresAre(printed, r);
        // The derived figures: 100 windows in 40 s; 60.8 CPU seconds in 40 s; measured from 25 s on, in the third period.
        assertThat(printed).contains("windows 100, 2.5 windows/s", "1.52 cores", "12400 3000 | 398 NaN ms",
                "caught up after 25 s", "2 of 3");
    }

    @Test
    void countsTheWindowsTheWindowRuleGivesForWhatWasPublished() throws Exception {
        JobSettings settings = JobSettings.defaults(MODEL).withParallelism(2);
        StreamProfile profile = settings.profile("default");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StreamBench bench = new StreamBench(settings, "default", Duration.ofMillis(250), Duration.ZERO,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        Duration duration = Duration.ofSeconds(6);

        // One 5 s clip for both streams, so each loops it; no warm-up: measured from the streams' start.
        StreamBench.Result r = bench.run(List.of(SHARED.resolve("audio/esc50/cat_3-95694-A-5.wav")), 2, duration,
                Duration.ZERO, Duration.ZERO, true);
        bench.print(r, profile.window(), profile.hop());

        assertThat(r.warmupSeconds()).as("measuring began before the first window ended").isLessThan(2.0);
        List<StreamBench.PublishedStream> sent = r.publisher().streams();
        assertThat(sent).extracting(StreamBench.PublishedStream::stream).containsExactly("bench-0", "bench-1");
        for (int i = 0; i < sent.size(); i++) {
            // Stream i starts i/2 of a hop after stream 0 and plays until the measured duration is over.
            double seconds = (double) sent.get(i).frames() / sent.get(i).sampleRate();
            assertThat(seconds).as("audio of stream %d", i)
                    .isGreaterThanOrEqualTo(duration.toMillis() / 1e3 - i * profile.hop().toMillis() / 1e3 / sent.size());
        }
        long expected = sent.stream().mapToLong(s -> windowsOf(s, profile)).sum();
        assertThat(r.windows()).isEqualTo(expected);
        assertThat(r.streams()).isEqualTo(2);
        assertThat(r.readySeconds()).isPositive();
        assertPrintedFiguresAre(text.toString(StandardCharsets.UTF_8), r);
    }

    /** The windows the job must emit for one published stream (see WindowPlan): frames of the model's front end. */
    private static long windowsOf(StreamBench.PublishedStream s, StreamProfile profile) {
        FrontendConfig fe = FrontendConfig.efficientAt();
        long samples = Resampler.outputLength(s.frames(), s.sampleRate(), fe.sampleRate());
        return WindowPlan.spans(fe.framesFor(samples), profile.windowSamples(fe.sampleRate()) / fe.hop(),
                profile.hopSamples(fe.sampleRate()) / fe.hop()).size();
    }

    /** Every figure {@code text} prints is the Result's, to the digits printed. */
    static void assertPrintedFiguresAre(String text, StreamBench.Result r) {
        assertThat(number(text, "streams (\\d+) \\(")).isEqualTo(r.streams());
        assertThat(number(text, "\\), (\\S+) s measured after warm-up")).isCloseTo(r.seconds(), within(0.5));
        assertThat(number(text, "pipeline ready (\\S+) s")).isCloseTo(r.readySeconds(), within(0.05));
        assertThat(number(text, "windows (\\d+), ")).isEqualTo(r.windows());
        assertThat(number(text, "windows \\d+, (\\S+) windows/s")).isCloseTo(r.windows() / r.seconds(), within(0.05));
        assertThat(number(text, "processing p50 (\\S+) ms")).isCloseTo(r.processing().p50Ms(), within(0.5));
        assertThat(number(text, "processing p50 \\S+ ms p99 (\\S+) ms")).isCloseTo(r.processing().p99Ms(), within(0.5));
        assertThat(number(text, "committed \\(read_committed\\) p50 (\\S+) ms")).isCloseTo(r.committed().p50Ms(), within(0.5));
        assertThat(number(text, "committed \\(read_committed\\) p50 \\S+ ms p99 (\\S+) ms"))
                .isCloseTo(r.committed().p99Ms(), within(0.5));
        assertThat(number(text, "caught up after (\\S+) s")).isCloseTo(r.warmupSeconds(), within(0.5));
        assertThat(text).contains(r.caughtUp() ? "warm-up: caught up" : "warm-up: not caught up");
        assertThat(number(text, "publisher: (\\d+) chunks")).isEqualTo(r.publisher().lateChunks());
        assertThat(number(text, "\\(latest: (-?\\d+) ms\\)")).isEqualTo(r.publisher().maxLateMicros() / 1000);
        assertThat(number(text, "p99 <= \\d+ ms\\): (\\d+) of")).isEqualTo(r.realtimeStreams());
        assertThat(number(text, "p99 <= \\d+ ms\\): \\d+ of (\\d+)")).isEqualTo(r.streams());
        assertThat(number(text, "consumers\\): (\\S+) cores")).isCloseTo(r.cpuSeconds() / r.seconds(), within(0.005));
        Matcher line = Pattern.compile("\\(\\| = end of warm-up\\): (.*) ms").matcher(text);
        assertThat(line.find()).as(text).isTrue();
        List<Double> timeline = new ArrayList<>();
        for (String token : line.group(1).split(" ")) {
            if (!token.isEmpty() && !token.equals("|")) {
                timeline.add(Double.parseDouble(token));
            }
        }
        assertThat(timeline).hasSameSizeAs(r.p99ByPeriodMs());
        for (int i = 0; i < timeline.size(); i++) {
            double expected = r.p99ByPeriodMs().get(i);
            if (Double.isNaN(expected)) {
                assertThat(timeline.get(i)).isNaN();
            } else {
                assertThat(timeline.get(i)).isCloseTo(expected, within(0.5));
            }
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
