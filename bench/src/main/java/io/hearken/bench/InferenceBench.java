package io.hearken.bench;

import io.hearken.inference.engine.BatchingConfig;
import io.hearken.inference.engine.BatchingPredictor;
import io.hearken.inference.engine.BatchingStats;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.error.HearkenException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Inference throughput and latency: windows/s and audio-seconds/s for batches of 1 s windows (100 frames) at several
 * batch sizes and intra-op thread counts, with p50/p99 latency per batch, plus the dynamic-batching path
 * ({@link BatchingPredictor} fed by many producer threads). Prints the reference it compares to: PyTorch eager, one
 * thread, batch 32 of 1 s windows in 54.5 ms = {@value #REFERENCE_AUDIO_SECONDS_PER_SECOND} audio-s/s; the goal is
 * 1.5x that on the CPU.
 *
 * <p>{@code java -cp ... io.hearken.bench.InferenceBench [--model DIR] [--device cpu|cuda:N|auto]
 * [--threads 1,2] [--batches 1,8,32,128] [--frames 100] [--seconds 3] [--producers 32]}
 */
public final class InferenceBench {
    public static final double REFERENCE_MS_BATCH32 = 54.5;
    public static final double REFERENCE_AUDIO_SECONDS_PER_SECOND = 587;
    public static final double GOAL_FACTOR = 1.5;

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
                throw HearkenException.config("bench: threads, batches and frames must be >= 1, seconds >= 0");
            }
        }

        public static Options defaults(Path modelDir) {
            return new Options(modelDir, InferenceDevice.CPU, List.of(1, 2), List.of(1, 8, 32, 128), 100,
                    Duration.ofSeconds(3), 32);
        }
    }

    /** One measured case; {@code batch} 0 marks the dynamic-batching row. */
    public record Result(String mode, int threads, int batch, int runs, double p50Ms, double p99Ms, double meanMs,
                         double windowsPerSecond, double audioSecondsPerSecond) {
        public double vsReference() {
            return audioSecondsPerSecond / REFERENCE_AUDIO_SECONDS_PER_SECOND;
        }
    }

    /** Runs every case and prints a table to {@code out}; returns the results. */
    public static List<Result> run(Options o, PrintStream out) {
        double windowSeconds = o.frames() / 100.0;
        out.printf(Locale.ROOT, "inference benchmark: %s, device %s, windows of %d frames (%.2f s of audio), %d s "
                        + "per case; %d cores, %s %s%n", o.modelDir(), o.device(), o.frames(), windowSeconds,
                o.perCase().toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        out.printf(Locale.ROOT, "reference: PyTorch eager, 1 thread, batch 32 of 1 s windows in %.1f ms = %.0f "
                        + "audio-s/s; goal >= %.1fx = %.0f audio-s/s%n", REFERENCE_MS_BATCH32,
                REFERENCE_AUDIO_SECONDS_PER_SECOND, GOAL_FACTOR, GOAL_FACTOR * REFERENCE_AUDIO_SECONDS_PER_SECOND);
        out.printf("%-9s %7s %5s %5s %9s %9s %9s %11s %12s %8s%n", "mode", "threads", "batch", "runs", "p50 ms",
                "p99 ms", "mean ms", "windows/s", "audio-s/s", "vs ref");
        List<Result> results = new ArrayList<>();
        int maxBatch = o.batches().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<float[]> windows = syntheticWindows(Math.max(maxBatch, 256), 128, o.frames());
        for (int threads : o.threads()) {
            try (AudioTagger tagger = AudioTagger.load(o.modelDir(), new EngineSettings(threads, o.device()))) {
                for (int batch : o.batches()) {
                    Result r = measureBatch(tagger, windows.subList(0, batch), o.frames(), o.perCase(), threads,
                            windowSeconds);
                    print(out, r);
                    results.add(r);
                }
                if (o.producers() > 0) {
                    Result r = measureDynamic(tagger, windows, o.frames(), o.perCase(), threads, o.producers(),
                            windowSeconds, out);
                    print(out, r);
                    results.add(r);
                }
                out.println("  stage timings (" + threads + " threads): " + tagger.timings());
            }
        }
        results.stream().filter(r -> r.batch() == 32 && r.threads() == 1).findFirst().ifPresent(r -> out.printf(
                Locale.ROOT, "batch 32, 1 thread: %.1f ms per batch vs %.1f ms reference: %.2fx (goal %.1fx) %s%n",
                r.meanMs(), REFERENCE_MS_BATCH32, r.vsReference(), GOAL_FACTOR,
                r.vsReference() >= GOAL_FACTOR ? "MET" : "NOT MET"));
        out.flush();
        return results;
    }

    private static void print(PrintStream out, Result r) {
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

    private static Result measureBatch(AudioTagger tagger, List<float[]> batch, int frames, Duration perCase,
                                       int threads, double windowSeconds) {
        // Warm-up: the first runs allocate and plan.
        for (int i = 0; i < 3; i++) {
            tagger.predictBatch(batch, frames);
        }
        List<Long> lat = new ArrayList<>();
        long budget = perCase.toNanos();
        long start = System.nanoTime();
        while (lat.size() < 20 || System.nanoTime() - start < budget) {
            long t0 = System.nanoTime();
            tagger.predictBatch(batch, frames);
            lat.add(System.nanoTime() - t0);
            if (lat.size() >= 100_000) {
                break;
            }
        }
        long total = lat.stream().mapToLong(Long::longValue).sum();
        double windowsPerSecond = (double) lat.size() * batch.size() / (total / 1e9);
        return new Result("batch", threads, batch.size(), lat.size(), percentile(lat, 0.50), percentile(lat, 0.99),
                total / 1e6 / lat.size(), windowsPerSecond, windowsPerSecond * windowSeconds);
    }

    /** {@code producers} threads each submit one window at a time and wait for it; latency is per window here. */
    private static Result measureDynamic(AudioTagger tagger, List<float[]> windows, int frames, Duration perCase,
                                         int threads, int producers, double windowSeconds, PrintStream out) {
        BatchingConfig cfg = new BatchingConfig(32, Duration.ofMillis(5));
        List<Long> lat = java.util.Collections.synchronizedList(new ArrayList<>());
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        long elapsed;
        try (BatchingPredictor batcher = new BatchingPredictor(tagger, cfg)) {
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    int k = id;
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        CompletableFuture<Prediction> f = batcher.submit(windows.get(k++ % windows.size()), frames);
                        f.join();
                        lat.add(System.nanoTime() - t0);
                        done.increment();
                    }
                }, "bench-producer-" + p);
                t.setDaemon(true);
                ts.add(t);
            }
            long start = System.nanoTime();
            ts.forEach(Thread::start);
            try {
                Thread.sleep(Math.max(1000, perCase.toMillis())); // measuring period of the benchmark, not a sync
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
            elapsed = System.nanoTime() - start;
            BatchingStats s = batcher.stats();
            double windowsPerSecond = done.sum() / (elapsed / 1e9);
            List<Long> copy;
            synchronized (lat) {
                copy = new ArrayList<>(lat);
            }
            Result r = new Result("dynamic", threads, 0, (int) s.batches(), percentile(copy, 0.50),
                    percentile(copy, 0.99), copy.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6,
                    windowsPerSecond, windowsPerSecond * windowSeconds);
            out.printf(Locale.ROOT, "  dynamic batching (%d producers, max %d / %d ms; latency per window): "
                            + "%s%n", producers, cfg.maxBatchSize(), cfg.maxWait().toMillis(), s);
            return r;
        }
    }

    private static double percentile(List<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            return 0;
        }
        long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int idx = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))] / 1e6;
    }
}
