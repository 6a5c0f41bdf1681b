package io.hearken.job;

import io.hearken.inference.engine.StreamProfile;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.BatchingConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Typed settings of the streaming job. Keys as documented in the launcher: {@code job.model.dir},
 * {@code inference.intra.op.threads}, {@code job.score.floor}, {@code job.feature.outputs},
 * {@code job.checkpoint.interval.ms}, {@code job.delivery.guarantee}, {@code job.parallelism}.
 *
 * @param modelDir            model package directory (a String: {@link java.nio.file.Path} is not serializable)
 * @param intraOpThreads      ONNX Runtime threads per session
 * @param profiles            stream profiles by name; chunks naming another profile are dead-lettered
 * @param scoreFloor          classes scoring at or above this go into each window record
 * @param minTopClasses       at least this many of the best classes go into each window record
 * @param featureOutputs      model feature outputs carried in window records (e.g. embedding, mid)
 * @param checkpointInterval  Flink checkpoint interval; exactly-once output becomes visible at each checkpoint
 * @param exactlyOnce         transactional window output (true) or at-least-once (false)
 * @param parallelism         job parallelism
 * @param reassembly          how chunks are put back in order, gaps filled and late chunks recognised
 * @param batchMaxSize        most windows per model run ({@code inference.batch.max.size}, default 16)
 * @param batchMaxWait        longest a window waits for its batch to fill ({@code inference.batch.max.wait}, default 10 ms)
 * @param inFlightWindows     windows in inference at once per task ({@code job.inference.capacity}, default 16)
 */
public record JobSettings(String modelDir, int intraOpThreads, Map<String, StreamProfile> profiles, float scoreFloor,
                          int minTopClasses, List<String> featureOutputs, Duration checkpointInterval,
                          boolean exactlyOnce, int parallelism,
                          ReassemblySettings reassembly, int batchMaxSize, Duration batchMaxWait,
                          int inFlightWindows) implements Serializable {
    public static final int DEFAULT_BATCH_MAX_SIZE = BatchingConfig.DEFAULT.maxBatchSize();
    public static final Duration DEFAULT_BATCH_MAX_WAIT = BatchingConfig.DEFAULT.maxWait();
    /**
     * One full batch per task (the batcher is shared by all tasks of the JVM, so with two or more tasks the next
     * batch is ready while one runs), and no more: in-flight windows (100 KB of mel each) are written into every
     * checkpoint, and Flink 2.2 writes operator state byte by byte (its CompressibleFSDataOutputStream has no bulk
     * write), so a deep queue makes a job that has fallen behind spend its time checkpointing instead of catching up;
     * the backlog belongs in Kafka. Measured at 300 streams from a cold start: 64 per task fell 28 s behind and
     * caught up after 180 s, 16 per task 17 s and 111 s ({@code bench stream --inference-capacity}).
     */
    public static final int DEFAULT_IN_FLIGHT_WINDOWS = DEFAULT_BATCH_MAX_SIZE;

    public static final float DEFAULT_SCORE_FLOOR = 0.05f;
    public static final int DEFAULT_MIN_TOP_CLASSES = 5;
    public static final List<String> DEFAULT_FEATURE_OUTPUTS = List.of("embedding", "mid");
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    public JobSettings {
        if (modelDir == null || modelDir.isBlank()) {
            throw HearkenException.config("job.model.dir must be set");
        }
        if (intraOpThreads < 1) {
            throw HearkenException.config("inference.intra.op.threads must be >= 1, got " + intraOpThreads);
        }
        if (profiles == null || !profiles.containsKey(StreamProfile.DEFAULT.name())) {
            throw HearkenException.config("profiles must include '" + StreamProfile.DEFAULT.name() + "'");
        }
        profiles.forEach((name, p) -> {
            if (!name.equals(p.name())) {
                throw HearkenException.config("profile registered as '" + name + "' is named '" + p.name() + "'");
            }
        });
        profiles = Map.copyOf(new TreeMap<>(profiles));
        if (!(scoreFloor > 0f && scoreFloor < 1f)) {
            throw HearkenException.config("job.score.floor must be in (0, 1), got " + scoreFloor);
        }
        if (minTopClasses < 1) {
            throw HearkenException.config("job.min.top.classes must be >= 1, got " + minTopClasses);
        }
        featureOutputs = List.copyOf(featureOutputs);
        if (checkpointInterval == null || checkpointInterval.toMillis() < 100) {
            throw HearkenException.config("job.checkpoint.interval.ms must be >= 100, got " + checkpointInterval);
        }
        if (reassembly == null) {
            throw HearkenException.config("reassembly settings are missing");
        }
        new BatchingConfig(batchMaxSize, batchMaxWait); // the batcher's own limits, checked here, not at job start
        if (inFlightWindows < 1) {
            throw HearkenException.config("job.inference.capacity must be >= 1, got " + inFlightWindows);
        }
        if (parallelism < 1) {
            throw HearkenException.config("job.parallelism must be >= 1, got " + parallelism);
        }
    }

    public static JobSettings defaults(String modelDir) {
        return new JobSettings(modelDir, 1, Map.of(StreamProfile.DEFAULT.name(), StreamProfile.DEFAULT,
                StreamProfile.MACHINE.name(), StreamProfile.MACHINE), DEFAULT_SCORE_FLOOR, DEFAULT_MIN_TOP_CLASSES,
                DEFAULT_FEATURE_OUTPUTS, DEFAULT_CHECKPOINT_INTERVAL, true, 1, ReassemblySettings.DEFAULT,
                DEFAULT_BATCH_MAX_SIZE, DEFAULT_BATCH_MAX_WAIT, DEFAULT_IN_FLIGHT_WINDOWS);
    }

    public JobSettings withParallelism(int p) {
        return new JobSettings(modelDir, intraOpThreads, profiles, scoreFloor, minTopClasses, featureOutputs,
                checkpointInterval, exactlyOnce, p, reassembly, batchMaxSize,
                batchMaxWait, inFlightWindows);
    }

    public JobSettings withCheckpointInterval(Duration interval) {
        return new JobSettings(modelDir, intraOpThreads, profiles, scoreFloor, minTopClasses, featureOutputs,
                interval, exactlyOnce, parallelism, reassembly, batchMaxSize, batchMaxWait, inFlightWindows);
    }

    public JobSettings withInFlightWindows(int windows) {
        return new JobSettings(modelDir, intraOpThreads, profiles, scoreFloor, minTopClasses, featureOutputs,
                checkpointInterval, exactlyOnce, parallelism, reassembly, batchMaxSize, batchMaxWait, windows);
    }

    /** The batching limits of the job's windows (shared batcher of the model). */
    public BatchingConfig batching() {
        return new BatchingConfig(batchMaxSize, batchMaxWait);
    }

    public StreamProfile profile(String name) {
        StreamProfile p = profiles.get(name);
        if (p == null) {
            throw HearkenException.badInput("unknown stream profile '" + name + "' (known: " + profiles.keySet() + ")");
        }
        return p;
    }
}
