package io.hearken.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs the front-end benchmarks with JMH and prints, per benchmark, how many seconds of audio one CPU core turns
 * into log-mels per second ("x real time per core"), next to the reference and the goal.
 *
 * <p>The figure is audio seconds / thread CPU seconds of the one benchmark thread ({@link CpuTime}); JMH's wall
 * time per operation on that one thread is printed beside it (equal on an idle machine, lower when the thread is
 * preempted). Usage: {@code FrontendBench [--quick] [regex ...]} (regexes select benchmarks as in JMH; default:
 * all of this module's). {@code --quick}: 1 warm-up and 3 measurement iterations of 1 s.
 */
public final class FrontendBench {
    private FrontendBench() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        List<String> include = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: FrontendBench [--quick] [benchmark regex ...]");
                return;
            } else {
                include.add(a);
            }
        }
        if (include.isEmpty()) {
            include.add(FrontendBenchmark.class.getName());
            include.add(WavToLogMelBenchmark.class.getName());
            include.add(StreamingChunksBenchmark.class.getName());
        }
        Path shared = BenchAudio.sharedDir();
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .threads(1)
                .forks(1)
                .jvmArgsAppend("-Dhearken.shared.dir=" + shared);
        for (String i : include) {
            opt.include(i);
        }
        if (quick) {
            opt.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(opt.build()).run();
        System.out.println();
        System.out.println(report(results));
    }

    /** The summary table. */
    static String report(Collection<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Audio seconds processed per CPU second (\"x real time per core\"): "
                + "%.0f s of %s per operation, one thread;%n"
                + "CPU = the benchmark thread's CPU time (ThreadMXBean), wall = JMH average time per operation.%n%n",
                BenchAudio.SECONDS, BenchAudio.CLIP));
        sb.append(String.format(Locale.ROOT, "%-44s %10s %10s %14s %12s   %s%n",
                "benchmark", "CPU ms/op", "wall ms/op", "x RT per core", "x RT (wall)", "reference / goal"));
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            String preset = r.getParams().getParam("frontend");
            String label = preset == null ? shortName : shortName + " [" + preset + "]";
            double wallMs = toMillis(r.getPrimaryResult());
            double cpuMs = cpuMillisPerOp(r);
            double perCore = Double.isNaN(cpuMs) ? BenchAudio.SECONDS * 1000.0 / wallMs : BenchAudio.SECONDS * 1000.0 / cpuMs;
            double wallRt = BenchAudio.SECONDS * 1000.0 / wallMs;
            sb.append(String.format(Locale.ROOT, "%-44s %10s %10.3f %13.0fx %11.0fx   %s%n", label,
                    Double.isNaN(cpuMs) ? "n/a" : String.format(Locale.ROOT, "%.3f", cpuMs), wallMs, perCore, wallRt,
                    referenceAndGoal(shortName, preset, perCore)));
        }
        return sb.toString();
    }

    private static String referenceAndGoal(String bench, String preset, double perCore) {
        if (preset == null) {
            if (bench.endsWith(".endToEnd10s")) {
                FrontendPreset e = FrontendPreset.EFFICIENTAT;
                return String.format(Locale.ROOT, "decode + resample + EfficientAT; front end alone: %s ~%.0fx",
                        e.referenceWhat, e.reference);
            }
            if (bench.endsWith(".chunked250ms10s")) {
                return "the job's per-chunk path (PCM decode + resample + EfficientAT, state restored and "
                        + "snapshotted per 250 ms chunk); compare endToEnd10s, one call over the whole 10 s";
            }
            return "";
        }
        FrontendPreset p = FrontendPreset.valueOf(preset);
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(p.reference)) {
            parts.add(String.format(Locale.ROOT, "%s: ~%.0fx (%.1f times that)", p.referenceWhat, p.reference,
                    perCore / p.reference));
        }
        if (!Double.isNaN(p.goal)) {
            parts.add(String.format(Locale.ROOT, "goal >= %,.0fx: %s", p.goal, perCore >= p.goal ? "met" : "NOT met"));
        }
        return String.join("; ", parts);
    }

    /** CPU ms per operation from the {@link CpuTime} counters, NaN if absent or zero. */
    static double cpuMillisPerOp(RunResult r) {
        Result<?> cpu = r.getSecondaryResults().get("cpuNanos");
        Result<?> calls = r.getSecondaryResults().get("calls");
        if (cpu == null || calls == null || calls.getScore() <= 0 || cpu.getScore() <= 0) {
            return Double.NaN;
        }
        return cpu.getScore() / calls.getScore() / 1e6;
    }

    private static double toMillis(Result<?> primary) {
        String unit = primary.getScoreUnit(); // e.g. "ms/op"
        double s = primary.getScore();
        if (unit.startsWith("ns/")) {
            return s / 1e6;
        } else if (unit.startsWith("us/")) {
            return s / 1e3;
        } else if (unit.startsWith("s/")) {
            return s * 1e3;
        }
        return s;
    }
}
