package io.hearken.cli;

import io.hearken.bench.StreamBench;
import io.hearken.error.HearkenException;
import io.hearken.job.JobSettings;
import io.hearken.inference.engine.StreamProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/hearken bench stream}: how many real-time streams the job keeps up with on this machine. */
@Command(name = "stream", description = "Publish N streams of real recordings at real-time pace through the embedded "
        + "stack and report sustained windows/s, streams that stayed real time, lag percentiles and CPU use.")
final class StreamBenchCommand implements Callable<Integer> {
    @Option(names = "--streams", defaultValue = "50", description = "Concurrent streams (default ${DEFAULT-VALUE}).")
    int streams;
    @Option(names = "--duration", defaultValue = "60", description = "Seconds measured once warmed up (default ${DEFAULT-VALUE}).")
    int durationSeconds;
    @Option(names = "--warmup", defaultValue = "20", description = "Least warm-up in seconds: measuring starts once the job has "
            + "caught up after its cold start, but not before this (default ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--max-warmup", defaultValue = "300", description = "Most warm-up in seconds: measure from here even if "
            + "the job has not caught up (default ${DEFAULT-VALUE}).")
    int maxWarmupSeconds;
    @Option(names = "--ramp", defaultValue = "0", description = "Seconds over which the streams join, one after another "
            + "(default ${DEFAULT-VALUE}: all start at once, the cold-start worst case).")
    int rampSeconds;
    @Option(names = "--realtime", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pace publishing in real time (default ${DEFAULT-VALUE}); --no-realtime publishes as fast as possible.")
    boolean realtime;
    @Option(names = "--input", required = true, arity = "1..*", description = "WAV files or folders, looped per stream.")
    List<Path> inputs;
    @Option(names = "--profile", defaultValue = "default", description = "default (2 s / 1 s) or machine (1 s / 0.5 s).")
    String profile;
    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;
    @Option(names = "--model", description = "Model directory.")
    Path model;
    @Option(names = "--chunk-ms", defaultValue = "250", description = "Audio per published chunk (default ${DEFAULT-VALUE}); "
            + "a window is complete only when the chunk after its end arrives (resampler look-ahead), so this bounds latency.")
    int chunkMillis;
    @Option(names = "--checkpoint-ms", defaultValue = "1000", description = "Checkpoint interval (default ${DEFAULT-VALUE}): "
            + "exactly-once output becomes visible to read_committed consumers at each checkpoint.")
    int checkpointMillis;
    @Option(names = "--inference-capacity", description = "Windows in inference at once per task (job.inference.capacity; "
            + "default: the job's, one batch). In-flight windows are written into every checkpoint.")
    Integer inferenceCapacity;

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || durationSeconds < 1 || warmupSeconds < 0 || maxWarmupSeconds < 0 || rampSeconds < 0
                || chunkMillis < 1) {
            throw HearkenException.config("bench stream: --streams, --duration and --chunk-ms must be "
                    + ">= 1, --warmup, --max-warmup and --ramp >= 0 (got streams " + streams + ", duration "
                    + durationSeconds + ", chunk-ms " + chunkMillis + ", warmup " + warmupSeconds + ", max-warmup "
                    + maxWarmupSeconds + ", ramp " + rampSeconds + ")");
        }
        JobSettings settings = JobSettings.defaults(HearkenCli.modelDir(model).toString())
                .withParallelism(parallelism).withCheckpointInterval(Duration.ofMillis(checkpointMillis));
        if (inferenceCapacity != null) {
            settings = settings.withInFlightWindows(inferenceCapacity);
        }
        StreamProfile p = settings.profile(profile);
        StreamBench bench = new StreamBench(settings, profile, Duration.ofMillis(chunkMillis),
                Duration.ofSeconds(rampSeconds), System.out);
        StreamBench.Result result = bench.run(inputs, streams, Duration.ofSeconds(durationSeconds),
                Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(maxWarmupSeconds), realtime);
        bench.print(result, p.window(), p.hop());
        return HearkenCli.EXIT_OK;
    }
}
