package io.hearken.job;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Durations;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.inference.engine.BatchingConfig;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.ModelLocator;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import io.hearken.inference.engine.StreamProfile;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Typed settings of the streaming job: the settings of {@link #CONFIG} and the model engine's
 * ({@link EngineSettings#CONFIG}: model, device, threads, batching) it runs with. Read with {@link #from}; the
 * operators carry it to the TaskManagers, so every part is serializable.
 *
 * @param modelDir           model package directory (a String: a {@code Path} is not serializable)
 * @param engine             device and threads of the model's session
 * @param batching           batching limits of the model's shared batcher
 * @param profiles           stream profiles by name; chunks naming another profile are dead-lettered
 * @param scoreFloor         classes scoring at or above this go into each window record
 * @param minTopClasses      at least this many of the best classes go into each window record
 * @param featureOutputs     model feature outputs carried in window records (e.g. embedding, mid)
 * @param parallelism        job parallelism
 * @param checkpointInterval Flink checkpoint interval; exactly-once output becomes visible at each checkpoint
 * @param delivery           guarantee of the window and dead-letter output
 * @param inFlightWindows    windows in inference at once per task
 * @param inferenceTimeout   a window not scored within this fails the job (it restarts from its last checkpoint)
 * @param reassembly         how chunks are put back in order, gaps filled and late chunks recognised
 * @param groupId            consumer group of the chunk source
 * @param transactionTimeout Kafka transaction timeout of the exactly-once sinks
 */
public record JobSettings(String modelDir, EngineSettings engine, BatchingConfig batching,
                          Map<String, StreamProfile> profiles, float scoreFloor, int minTopClasses,
                          List<String> featureOutputs, int parallelism, Duration checkpointInterval, Delivery delivery,
                          int inFlightWindows, Duration inferenceTimeout, ReassemblySettings reassembly, String groupId,
                          Duration transactionTimeout) implements Serializable {

    /** Guarantee of the job's Kafka output. */
    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    private static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(100);
    private static final int MAX_PARALLELISM = 32_768;
    private static final int MAX_IN_FLIGHT = 4096;
    /** Built-in profiles; settings may change them and add others. */
    private static final Map<String, StreamProfile> BUILT_IN_PROFILES = Map.of(
            StreamProfile.DEFAULT.name(), StreamProfile.DEFAULT, StreamProfile.MACHINE.name(), StreamProfile.MACHINE);

    public static final Field<Integer> PARALLELISM = Field.integer("job.parallelism")
            .withDefault(1)
            .withValidator(Validators.range(1, MAX_PARALLELISM))
            .withDescription("Parallel instances of each operator; at most as many as hearken.audio.chunks has "
                    + "partitions read chunks.");
    public static final Field<Duration> CHECKPOINT_INTERVAL = Field.duration("job.checkpoint.interval")
            .withDefault(Duration.ofSeconds(1))
            .withValidator(Validators.atLeast(MIN_CHECKPOINT_INTERVAL))
            .withDescription("How often the job checkpoints; exactly-once output becomes visible to read_committed "
                    + "consumers at each checkpoint, so this is also latency added to every event.");
    public static final Field<String> CHECKPOINT_DIR = Field.string("job.checkpoint.dir")
            .optional()
            .withValidator(Validators.nonBlank())
            .withDescription("Where checkpoints are written, a file system URI (s3://bucket/hearken, "
                    + "file:///data/checkpoints). Unset: the cluster's checkpoint storage.");
    public static final Field<Delivery> DELIVERY_GUARANTEE = Field.enumeration("job.delivery.guarantee", Delivery.class)
            .withDefault(Delivery.EXACTLY_ONCE)
            .withDescription("Guarantee of the window and dead-letter output: exactly-once (Kafka transactions "
                    + "committed on checkpoints) or at-least-once (repeats after a recovery).");
    public static final Field<Double> SCORE_FLOOR = Field.number("job.score.floor")
            .withDefault(0.05)
            .withValidator(Validators.of("greater than 0 and less than 1", v -> v > 0 && v < 1))
            .withDescription("Classes scoring at least this go into each window record (and always the best "
                    + "job.min.top.classes).");
    public static final Field<Integer> MIN_TOP_CLASSES = Field.integer("job.min.top.classes")
            .withDefault(5).withUnit("classes")
            .withValidator(Validators.atLeast(1))
            .withDescription("At least this many of the best classes go into each window record, whatever they score.");
    public static final Field<List<String>> FEATURE_OUTPUTS = Field.list("job.feature.outputs")
            .withDefault(List.of("embedding", "mid"))
            .withDescription("Feature outputs of the model carried in each window record (see the model's manifest: "
                    + "embedding, mid, late, hidden for efficientat-mn04); empty for none.");
    public static final Field<Integer> INFERENCE_CAPACITY = Field.integer("job.inference.capacity")
            .withDefault(BatchingConfig.DEFAULT.maxBatchSize()).withUnit("windows")
            .withValidator(Validators.range(1, MAX_IN_FLIGHT))
            .withDescription("Windows in inference at once per task. In-flight windows (about 100 KB each) are "
                    + "written into every checkpoint, so keep this near one batch: a backlog belongs in Kafka.");
    public static final Field<Duration> INFERENCE_TIMEOUT = Field.duration("job.inference.timeout")
            .withDefault(Duration.ofMinutes(2))
            .withValidator(Validators.atLeast(Duration.ofSeconds(1)))
            .withDescription("A window not scored within this fails the job, which restarts from its last checkpoint.");
    public static final Field<Duration> PROFILE_WINDOW = Field.duration("job.profile.<name>.window")
            .withValidator(Validators.range(Duration.ofMillis(100), Duration.ofSeconds(60)))
            .withDescription("Window length of stream profile <name> (chunks name their profile); a whole number of "
                    + "the model's frames. Built in: default 2s, machine 1s.");
    public static final Field<Duration> PROFILE_HOP = Field.duration("job.profile.<name>.hop")
            .withValidator(Validators.range(Duration.ofMillis(10), Duration.ofSeconds(60)))
            .withDescription("Hop between the starts of windows of stream profile <name>, at most its window; a "
                    + "whole number of the model's frames. Built in: default 1s, machine 500ms.");
    public static final Field<String> KAFKA_GROUP_ID = Field.string("job.kafka.group.id")
            .withDefault("hearken-streaming-job")
            .withValidator(Validators.nonBlank())
            .withDescription("Consumer group of the chunk source; where a job without a checkpoint starts (else the "
                    + "earliest offset). A restored job continues from its checkpoint.");
    public static final Field<Duration> TRANSACTION_TIMEOUT = Field.duration("job.transaction.timeout")
            .withDefault(Duration.ofMinutes(10))
            .withValidator(Validators.atLeast(Duration.ofSeconds(1)))
            .withDescription("Kafka transaction timeout of the exactly-once output: longer than the checkpoint "
                    + "interval plus a recovery, and at most the brokers' transaction.max.timeout.ms (15m by default).");

    public static final ConfigGroup CONFIG = ConfigGroup.of("job",
            "The streaming job: parallelism, checkpoints, what each window record holds, reassembly and profiles.",
            PARALLELISM, CHECKPOINT_INTERVAL, CHECKPOINT_DIR, DELIVERY_GUARANTEE, SCORE_FLOOR, MIN_TOP_CLASSES,
            FEATURE_OUTPUTS, INFERENCE_CAPACITY, INFERENCE_TIMEOUT, ReassemblySettings.REORDER_BOUND,
            ReassemblySettings.MAX_REORDER_CHUNKS, ReassemblySettings.MAX_GAP_FILL, ReassemblySettings.IDLE_TIMEOUT,
            PROFILE_WINDOW, PROFILE_HOP, KAFKA_GROUP_ID, TRANSACTION_TIMEOUT);

    /** The groups {@link #from} reads. */
    public static final List<ConfigGroup> GROUPS = List.of(CONFIG, EngineSettings.CONFIG);

    public JobSettings {
        if (modelDir == null || modelDir.isBlank()) {
            throw HearkenException.config(EngineSettings.MODEL_DIR.key() + " must be set");
        }
        if (engine == null || batching == null || reassembly == null || delivery == null || inferenceTimeout == null
                || groupId == null || transactionTimeout == null || featureOutputs == null) {
            throw HearkenException.config("job settings are incomplete");
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
            throw HearkenException.config(SCORE_FLOOR.key() + " must be greater than 0 and less than 1, got " + scoreFloor);
        }
        if (minTopClasses < 1) {
            throw HearkenException.config(MIN_TOP_CLASSES.key() + " must be at least 1, got " + minTopClasses);
        }
        featureOutputs = List.copyOf(featureOutputs);
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw HearkenException.config(PARALLELISM.key() + " must be between 1 and " + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (checkpointInterval == null || checkpointInterval.compareTo(MIN_CHECKPOINT_INTERVAL) < 0) {
            throw HearkenException.config(CHECKPOINT_INTERVAL.key() + " must be at least 100ms, got "
                    + (checkpointInterval == null ? "nothing" : Durations.format(checkpointInterval)));
        }
        if (inFlightWindows < 1 || inFlightWindows > MAX_IN_FLIGHT) {
            throw HearkenException.config(INFERENCE_CAPACITY.key() + " must be between 1 and " + MAX_IN_FLIGHT + ", got " + inFlightWindows);
        }
        // A transaction stays open from one checkpoint to the next; one that times out first loses its windows.
        if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw HearkenException.config(TRANSACTION_TIMEOUT.key() + " (" + Durations.format(transactionTimeout)
                    + ") must be longer than " + CHECKPOINT_INTERVAL.key() + " (" + Durations.format(checkpointInterval) + ")");
        }
    }

    /**
     * Reads the job's settings from {@code config}, which must include {@link #GROUPS}; the model directory is
     * resolved as {@link ModelLocator#resolve(HearkenConfig)} does. Problems are CONFIG errors naming their keys.
     */
    public static JobSettings from(HearkenConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, StreamProfile> profiles = profiles(config, problems);
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        return new JobSettings(ModelLocator.resolve(config).toString(), EngineSettings.from(config),
                BatchingConfig.from(config), profiles, config.get(SCORE_FLOOR).floatValue(), config.get(MIN_TOP_CLASSES),
                config.get(FEATURE_OUTPUTS), config.get(PARALLELISM), config.get(CHECKPOINT_INTERVAL),
                config.get(DELIVERY_GUARANTEE), config.get(INFERENCE_CAPACITY), config.get(INFERENCE_TIMEOUT),
                ReassemblySettings.from(config), config.get(KAFKA_GROUP_ID), config.get(TRANSACTION_TIMEOUT));
    }

    /** Every setting at its default, with the model in {@code modelDir}. */
    public static JobSettings defaults(String modelDir) {
        return from(HearkenConfig.fromRaw(GROUPS, Map.of(EngineSettings.MODEL_DIR.key(), modelDir)));
    }

    /** The built-in profiles, changed and extended by {@link #PROFILE_WINDOW} and {@link #PROFILE_HOP}. */
    private static Map<String, StreamProfile> profiles(HearkenConfig config, List<String> problems) {
        Map<String, Duration> windows = config.patterned(PROFILE_WINDOW);
        Map<String, Duration> hops = config.patterned(PROFILE_HOP);
        Set<String> names = new TreeSet<>(BUILT_IN_PROFILES.keySet());
        names.addAll(windows.keySet());
        names.addAll(hops.keySet());
        Map<String, StreamProfile> out = new TreeMap<>();
        for (String name : names) {
            StreamProfile builtIn = BUILT_IN_PROFILES.get(name);
            Duration window = windows.containsKey(name) ? windows.get(name) : builtIn == null ? null : builtIn.window();
            Duration hop = hops.containsKey(name) ? hops.get(name) : builtIn == null ? null : builtIn.hop();
            String windowKey = PROFILE_WINDOW.keyFor(name);
            String hopKey = PROFILE_HOP.keyFor(name);
            if (window == null || hop == null) {
                String missing = window == null ? windowKey : hopKey;
                String given = window == null ? hopKey : windowKey;
                problems.add(where(config, given) + missing + ": required with " + given + " (a new profile needs both)");
            } else if (hop.compareTo(window) > 0) {
                problems.add(where(config, hops.containsKey(name) ? hopKey : windowKey) + hopKey + " ("
                        + Durations.format(hop) + ") must be at most " + windowKey + " (" + Durations.format(window) + ")");
            } else {
                out.put(name, new StreamProfile(name, window, hop));
            }
        }
        return out;
    }

    /**
     * Checks what would otherwise fail in every TaskManager, before the job runs (the operators check again where
     * they run): the device against this JVM's ONNX Runtime ({@link EngineSettings#requireDeviceAvailable()}) and
     * the settings against the model's manifest ({@link #checkAgainst}). CONFIG errors naming the settings.
     */
    public void checkRunnable() {
        engine.requireDeviceAvailable();
        checkAgainst(ModelPackage.locate(Path.of(modelDir)).manifest());
    }

    /**
     * Checks the settings against the model they will run, before the job runs and again where the model is read:
     * every profile's window and hop a whole number of the model's frames, every feature output one the model has.
     */
    public void checkAgainst(ModelManifest manifest) {
        List<String> problems = new ArrayList<>();
        FrontendConfig frontend = manifest.frontend().toConfig();
        Duration frame = Duration.ofNanos(frontend.hop() * 1_000_000_000L / frontend.sampleRate());
        for (StreamProfile p : profiles.values()) {
            if (p.windowSamples(frontend.sampleRate()) % frontend.hop() != 0) {
                problems.add(PROFILE_WINDOW.keyFor(p.name()) + ": " + Durations.format(p.window())
                        + " is not a whole number of the model's frames (" + Durations.format(frame) + ")");
            }
            if (p.hopSamples(frontend.sampleRate()) % frontend.hop() != 0) {
                problems.add(PROFILE_HOP.keyFor(p.name()) + ": " + Durations.format(p.hop())
                        + " is not a whole number of the model's frames (" + Durations.format(frame) + ")");
            }
        }
        List<String> unknown = featureOutputs.stream().filter(f -> !manifest.featureNames().contains(f)).toList();
        if (!unknown.isEmpty()) {
            problems.add(FEATURE_OUTPUTS.key() + ": " + unknown + " not among the feature outputs of model "
                    + manifest.id() + " " + manifest.featureNames());
        }
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
    }

    public JobSettings withParallelism(int p) {
        return new JobSettings(modelDir, engine, batching, profiles, scoreFloor, minTopClasses, featureOutputs, p,
                checkpointInterval, delivery, inFlightWindows, inferenceTimeout, reassembly, groupId, transactionTimeout);
    }

    public JobSettings withCheckpointInterval(Duration interval) {
        return new JobSettings(modelDir, engine, batching, profiles, scoreFloor, minTopClasses, featureOutputs,
                parallelism, interval, delivery, inFlightWindows, inferenceTimeout, reassembly, groupId, transactionTimeout);
    }

    public JobSettings withInFlightWindows(int windows) {
        return new JobSettings(modelDir, engine, batching, profiles, scoreFloor, minTopClasses, featureOutputs,
                parallelism, checkpointInterval, delivery, windows, inferenceTimeout, reassembly, groupId, transactionTimeout);
    }

    public boolean exactlyOnce() {
        return delivery == Delivery.EXACTLY_ONCE;
    }

    public StreamProfile profile(String name) {
        StreamProfile p = profiles.get(name);
        if (p == null) {
            throw HearkenException.badInput("unknown stream profile '" + name + "' (known: " + profiles.keySet() + ")");
        }
        return p;
    }

    private static String where(HearkenConfig config, String key) {
        return config.origin(key).map(o -> o + ": ").orElse("");
    }

    private static HearkenException failure(List<String> problems) {
        return HearkenException.config(problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n",
                "invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n", "")));
    }
}
