package io.hearken.cli;

import io.hearken.inference.engine.EngineSettings;
import io.hearken.bench.StreamBench;
import io.hearken.config.HearkenConfig;
import io.hearken.error.HearkenException;
import io.hearken.ingest.IngestOptions;
import io.hearken.job.JobSettings;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.platform.PlatformSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/hearken bench stream}: how many real-time streams the job keeps up with on this machine. */
@Command(name = "stream", mixinStandardHelpOptions = true, description = "Publish N streams of real recordings at real-time pace through the embedded "
        + "stack and report sustained windows/s, streams that stayed real time, lag percentiles and CPU use.")
final class StreamBenchCommand implements Callable<Integer> {
    /** The bench's chunks unless ingest.chunk.duration is set: what the README's figures were measured with. */
    static final Duration BENCH_CHUNK = Duration.ofMillis(250);

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
    @Option(names = "--profile", description = "default (2 s / 1 s) or machine (1 s / 0.5 s) (ingest.profile).")
    String profile;
    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (job.parallelism; default ${DEFAULT-VALUE}).")
    int parallelism;
    @Option(names = "--model", description = "Model directory (model.dir).")
    Path model;
    @Option(names = "--chunk-ms", description = "Audio per published chunk (ingest.chunk.duration; default 250 for the "
            + "bench); a window is complete only when the chunk after its end arrives (resampler look-ahead), so this bounds latency.")
    Integer chunkMillis;
    @Option(names = "--checkpoint-ms", defaultValue = "1000", description = "Checkpoint interval (job.checkpoint.interval; "
            + "default ${DEFAULT-VALUE}): exactly-once output becomes visible to read_committed consumers at each checkpoint.")
    int checkpointMillis;
    @Option(names = "--inference-capacity", description = "Windows in inference at once per task (job.inference.capacity; "
            + "default: the job's, one batch). In-flight windows are written into every checkpoint.")
    Integer inferenceCapacity;
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Spec
    CommandSpec spec;

    HearkenConfig settings(Map<String, String> environment) {
        return config.load(environment, new NamedFlags(spec)
                .set("--profile", IngestOptions.PROFILE.key(), profile)
                .set("--chunk-ms", IngestOptions.CHUNK_DURATION.key(), chunkMillis == null ? null : Duration.ofMillis(chunkMillis))
                .set("--parallelism", JobSettings.PARALLELISM.key(), parallelism)
                .set("--model", EngineSettings.MODEL_DIR.key(), model)
                .set("--checkpoint-ms", JobSettings.CHECKPOINT_INTERVAL.key(), Duration.ofMillis(checkpointMillis))
                .set("--inference-capacity", JobSettings.INFERENCE_CAPACITY.key(), inferenceCapacity));
    }

    /** The platform as configured, but without a metrics endpoint unless one is set: the bench measures the job. */
    static PlatformSettings platform(HearkenConfig settings) {
        PlatformSettings platform = PlatformSettings.from(settings);
        return settings.has(PlatformSettings.METRICS_PORT) ? platform : platform.withMetricsPorts(Optional.empty());
    }

    static Duration chunk(HearkenConfig settings) {
        return settings.has(IngestOptions.CHUNK_DURATION) ? settings.get(IngestOptions.CHUNK_DURATION) : BENCH_CHUNK;
    }

    /** The job as configured, at the bench's parallelism (2: one task per core) unless a setting says otherwise. */
    JobSettings jobSettings(HearkenConfig settings) {
        return JobSettings.from(settings.has(JobSettings.PARALLELISM) ? settings
                : settings.with(Map.of(JobSettings.PARALLELISM.key(), String.valueOf(parallelism))));
    }

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || durationSeconds < 1 || warmupSeconds < 0 || maxWarmupSeconds < 0 || rampSeconds < 0) {
            throw HearkenException.config("bench stream: --streams and --duration must be >= 1, --warmup, --max-warmup "
                    + "and --ramp >= 0 (got streams " + streams + ", duration " + durationSeconds + ", warmup "
                    + warmupSeconds + ", max-warmup " + maxWarmupSeconds + ", ramp " + rampSeconds + ")");
        }
        HearkenConfig settings = settings(System.getenv());
        JobSettings job = jobSettings(settings);
        String streamProfile = settings.get(IngestOptions.PROFILE);
        StreamProfile p = job.profile(streamProfile);
        StreamBench bench = new StreamBench(job, platform(settings), streamProfile, chunk(settings),
                Duration.ofSeconds(rampSeconds), System.out);
        StreamBench.Result result = bench.run(inputs, streams, Duration.ofSeconds(durationSeconds),
                Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(maxWarmupSeconds), realtime);
        bench.print(result, p.window(), p.hop());
        return HearkenCli.EXIT_OK;
    }
}
