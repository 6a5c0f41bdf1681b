package io.hearken.bench;

import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.BatchingConfig;
import io.hearken.inference.engine.BatchingPredictor;
import io.hearken.inference.engine.BatchingStats;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.InferenceDevice;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Inference throughput and latency: windows/s and audio-seconds/s for batches of 1 s windows (100 frames) at several
 * batch sizes and intra-op thread counts, with p50/p99 latency per batch, plus the dynamic-batching path
 * ({@link BatchingPredictor} fed by many producer threads). Prints the reference it compares to: PyTorch eager, one
 * thread, batch 32 of 1 s windows in 54.5 ms = {@value #REFERENCE_AUDIO_SECONDS_PER_SECOND} audio-s/s; the goal is
 * 1.5x that on the CPU.
 *
 * <p>Run by {@code bin/hearken bench inference [--model DIR] [--device cpu|cuda:N|auto] [--threads 1,2]
 * [--batches 1,8,32,128] [--frames 100] [--seconds 3] [--producers 32]}.
 */
public final class InferenceBench {
    public static final double REFERENCE_MS_BATCH32 = 54.5;
    public static final double REFERENCE_AUDIO_SECONDS_PER_SECOND = 587;
    public static final double GOAL_FACTOR = 1.5;
    /** The dynamic-batching row's batcher: the job's CPU batch limits of an earlier round. */
    static final BatchingConfig DYNAMIC_BATCHING = new BatchingConfig(32, Duration.ofMillis(5));
    /** The dynamic row measures at least this long: producers need a moment to fill the batcher's queue. */
    static final Duration DYNAMIC_MIN_PERIOD = Duration.ofSeconds(1);

    private InferenceBench() {
    }

    /**
     * @param modelDir  model package directory
     * @param device    inference device
     * @param threads   intra-op thread counts to measure
     * @param batches   batch sizes to measure
     * @param frames    frames per window (100 = 1 s at the EfficientAT hop)
     * @param perCase   measuring time per (threads, batch) case, after warm-up
     * @param producers producer threads for the dynamic-batching row (0: skip it)
     */
    public record Options(Path modelDir, InferenceDevice device, List<Integer> threads, List<Integer> batches,
                          int frames, Duration perCase, int producers) {
        public Options {
            threads = List.copyOf(threads);
            batches = List.copyOf(batches);
            if (threads.isEmpty() || batches.isEmpty() || threads.stream().anyMatch(t -> t < 1)
                    || batches.stream().anyMatch(b -> b < 1) || frames < 1 || perCase.isNegative()
                    || producers < 0) {
                throw HearkenException.config("bench: threads, batches and frames must be >= 1, seconds and "
                        + "producers >= 0 (got threads " + threads + ", batches " + batches + ", frames " + frames
                        + ", seconds " + perCase.toMillis() / 1000.0 + ", producers " + producers + ")");
            }
        }

        public static Options defaults(Path modelDir) {
            return new Options(modelDir, InferenceDevice.CPU, List.of(1, 2), List.of(1, 8, 32, 128), 100,
                    Duration.ofSeconds(3), 32);
        }

        double windowSeconds() {
            return frames / 100.0;
        }
    }

    /**
     * One measured case; {@code batch} 0 marks the dynamic-batching row. {@code runs} model runs held {@code windows}
     * windows and took {@code measuredNanos} (batch rows: the sum of the timed runs; dynamic: the wall time of the
     * period); the latencies are per run (batch rows) or per window, queueing included (dynamic). The rates are
     * derived from those counts, so what is printed is what was measured.
     */
    public record Result(String mode, int threads, int batch, int runs, long windows, long measuredNanos,
                         double p50Ms, double p99Ms, double meanMs, double windowSeconds) {

        static Result of(String mode, int threads, int batch, int runs, long windows, long measuredNanos,
                         List<Long> latencyNanos, double windowSeconds) {
            double meanNanos = latencyNanos.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
            return new Result(mode, threads, batch, runs, windows, measuredNanos,
                    Percentiles.nearestRank(latencyNanos, 0.50) / 1e6, Percentiles.nearestRank(latencyNanos, 0.99) / 1e6,
                    meanNanos / 1e6, windowSeconds);
        }

        public double windowsPerSecond() {
            return windows / (measuredNanos / 1e9);
        }

        public double audioSecondsPerSecond() {
            return windowsPerSecond() * windowSeconds;
        }

        public double vsReference() {
            return audioSecondsPerSecond() / REFERENCE_AUDIO_SECONDS_PER_SECOND;
        }
    }

    /** What the batch rows run: {@link AudioTagger#predictBatch} in the benchmark, a fake in tests. */
    @FunctionalInterface
    interface BatchModel {
        void predictBatch(List<float[]> windows, int frames);
    }

    /** Runs every case and prints a table to {@code out}; returns the results. */
    public static List<Result> run(Options o, PrintWriter out) {
        out.printf(Locale.ROOT, "inference benchmark: %s, device %s, windows of %d frames (%.2f s of audio), %d s "
                        + "per case; %d cores, %s %s%n", o.modelDir(), o.device(), o.frames(), o.windowSeconds(),
                o.perCase().toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        out.printf(Locale.ROOT, "reference: PyTorch eager, 1 thread, batch 32 of 1 s windows in %.1f ms = %.0f "
                        + "audio-s/s; goal >= %.1fx = %.0f audio-s/s%n", REFERENCE_MS_BATCH32,
                REFERENCE_AUDIO_SECONDS_PER_SECOND, GOAL_FACTOR, GOAL_FACTOR * REFERENCE_AUDIO_SECONDS_PER_SECOND);
        out.printf("%-9s %7s %5s %5s %9s %9s %9s %11s %12s %8s%n", "mode", "threads", "batch", "runs", "p50 ms",
                "p99 ms", "mean ms", "windows/s", "audio-s/s", "vs ref");
        List<Result> results = new ArrayList<>();
        for (int threads : o.threads()) {
            try (AudioTagger tagger = AudioTagger.load(o.modelDir(), new EngineSettings(threads, o.device()))) {
                results.addAll(measure(tagger, threads, o, CaseTimer.system(), out));
                out.println("  stage timings (" + threads + " threads): " + tagger.timings());
            }
        }
        goalLine(results).ifPresent(out::println);
        out.flush();
        return results;
    }

    /** Every case of {@code o} on one loaded model ({@code threads} intra-op threads), each row printed when measured. */
    static List<Result> measure(AudioTagger tagger, int threads, Options o, CaseTimer timer, PrintWriter out) {
        int maxBatch = o.batches().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<float[]> windows = syntheticWindows(Math.max(maxBatch, 256), tagger.melBins(), o.frames());
        List<Result> results = new ArrayList<>();
        for (int batch : o.batches()) {
            Result r = measureBatch(tagger::predictBatch, windows.subList(0, batch), o.frames(), o.perCase(), threads,
                    o.windowSeconds(), timer);
            print(out, r);
            results.add(r);
        }
        if (o.producers() > 0) {
            Result r = measureDynamic(tagger, windows, o.frames(), o.perCase(), threads, o.producers(),
                    o.windowSeconds(), timer, out);
            print(out, r);
            results.add(r);
        }
        return results;
    }

    /** The verdict on the goal, from the 1-thread batch-32 row (the reference's case), if that case was measured. */
    static Optional<String> goalLine(List<Result> results) {
        return results.stream().filter(r -> r.batch() == 32 && r.threads() == 1).findFirst().map(r -> String.format(
                Locale.ROOT, "batch 32, 1 thread: %.1f ms per batch vs %.1f ms reference: %.2fx (goal %.1fx) %s",
                r.meanMs(), REFERENCE_MS_BATCH32, r.vsReference(), GOAL_FACTOR,
                r.vsReference() >= GOAL_FACTOR ? "MET" : "NOT MET"));
    }

    static void print(PrintWriter out, Result r) {
        out.printf(Locale.ROOT, "%-9s %7d %5s %5d %9.2f %9.2f %9.2f %11.1f %12.1f %7.2fx%n", r.mode(), r.threads(),
                r.batch() == 0 ? "dyn" : Integer.toString(r.batch()), r.runs(), r.p50Ms(), r.p99Ms(), r.meanMs(),
                r.windowsPerSecond(), r.audioSecondsPerSecond(), r.vsReference());
    }

    /** Log-mel-like windows (values around the model's input range); the CNN's cost does not depend on them. */
    static List<float[]> syntheticWindows(int n, int bins, int frames) {
        Random rnd = new Random(42);
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] w = new float[bins * frames];
            for (int j = 0; j < w.length; j++) {
                w[j] = (float) (rnd.nextGaussian() * 0.5 - 0.8);
            }
            out.add(w);
        }
        return out;
    }

    /** One batch size: windows/s over the time spent in the timed runs (warm-up excluded). */
    static Result measureBatch(BatchModel model, List<float[]> batch, int frames, Duration perCase, int threads,
                               double windowSeconds, CaseTimer timer) {
        List<Long> nanos = timer.time(() -> model.predictBatch(batch, frames), perCase);
        long total = nanos.stream().mapToLong(Long::longValue).sum();
        return Result.of("batch", threads, batch.size(), nanos.size(), (long) nanos.size() * batch.size(), total,
                nanos, windowSeconds);
    }

    /** {@code producers} threads each submit one window at a time and wait for it; latency is per window here. */
    private static Result measureDynamic(AudioTagger tagger, List<float[]> windows, int frames, Duration perCase,
                                         int threads, int producers, double windowSeconds, CaseTimer timer,
                                         PrintWriter out) {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, DYNAMIC_BATCHING)) {
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    int k = id;
                    while (!stop.get()) {
                        long t0 = timer.nanoTime();
                        batcher.submit(windows.get(k++ % windows.size()), frames).join();
                        latencies.add(timer.nanoTime() - t0);
                        done.increment();
                    }
                }, "bench-producer-" + p);
                t.setDaemon(true);
                ts.add(t);
            }
            long start = timer.nanoTime();
            ts.forEach(Thread::start);
            try {
                // The measuring period of this row, not a synchronisation: the producers run until it is over.
                Thread.sleep(Math.max(DYNAMIC_MIN_PERIOD.toMillis(), perCase.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.set(true);
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long elapsed = timer.nanoTime() - start;
            BatchingStats s = batcher.stats();
            List<Long> copy;
            synchronized (latencies) {
                copy = new ArrayList<>(latencies);
            }
            Result r = Result.of("dynamic", threads, 0, (int) s.batches(), done.sum(), elapsed, copy, windowSeconds);
            out.printf(Locale.ROOT, "  dynamic batching (%d producers, max %d / %d ms; latency per window): "
                            + "%s%n", producers, DYNAMIC_BATCHING.maxBatchSize(), DYNAMIC_BATCHING.maxWait().toMillis(), s);
            return r;
        }
    }
}
