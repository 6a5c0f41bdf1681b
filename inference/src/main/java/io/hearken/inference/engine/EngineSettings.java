package io.hearken.inference.engine;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a model session is run: intra-op threads and device. Typed, validated at construction. Also declares the
 * settings of the model engine, {@link #CONFIG}: the device, threads and batching limits, and the model package.
 *
 * @param intraOpThreads ONNX Runtime threads inside each operator ({@code inference.intra.op.threads}), >= 1
 * @param device         {@code inference.device}
 */
public record EngineSettings(int intraOpThreads, InferenceDevice device) implements Serializable {
    public static final Field<InferenceDevice> DEVICE = Field
            .custom(InferenceDevice.SETTING, InferenceDevice::parseValue, InferenceDevice::toString)
            .withDefault(InferenceDevice.CPU)
            .withAllowed(InferenceDevice.ALLOWED)
            .withDescription("Where the model runs: cpu; cuda or cuda:N (CUDA device N; needs the -Pgpu build, whose "
                    + "absence is an error at start-up); auto (CUDA device 0 when usable, else the CPU, logged once).");
    public static final Field<Integer> INTRA_OP_THREADS = Field.integer("inference.intra.op.threads")
            .withDefault(1).withUnit("threads")
            .withValidator(Validators.range(1, 1024))
            .withDescription("ONNX Runtime threads inside each operator of the model's session (one session per "
                    + "model per JVM, shared by all its tasks).");
    public static final Field<Integer> BATCH_MAX_SIZE = Field.integer("inference.batch.max.size")
            .withDefault(BatchingConfig.DEFAULT.maxBatchSize()).withUnit("windows")
            .withValidator(Validators.range(1, BatchingConfig.MAX_BATCH))
            .withDescription("Most windows per model run; a batch runs when full or when its oldest window has "
                    + "waited inference.batch.max.wait. CPUs do best at 8-16, GPUs want far more.");
    public static final Field<Duration> BATCH_MAX_WAIT = Field.duration("inference.batch.max.wait")
            .withDefault(BatchingConfig.DEFAULT.maxWait())
            .withValidator(Validators.atMost(Duration.ofSeconds(BatchingConfig.MAX_WAIT_SECONDS)))
            .withDescription("Longest a window waits for its batch to fill; 0 runs whatever is pending as soon as "
                    + "the model is free.");
    public static final Field<Path> MODEL_DIR = Field.path("model.dir").optional()
            .withDescription("The model package directory (hearken-model.json, or model.onnx and labels.csv). "
                    + "Unset: ../shared/models/" + ModelLocator.DEFAULT_MODEL_NAME + " beside the project root. "
                    + "It must be readable on every TaskManager.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("inference",
            "The model engine: which model, on which device, with how many threads and how windows are batched.",
            MODEL_DIR, DEVICE, INTRA_OP_THREADS, BATCH_MAX_SIZE, BATCH_MAX_WAIT);

    public EngineSettings {
        if (intraOpThreads < 1 || intraOpThreads > 1024) {
            throw HearkenException.config(INTRA_OP_THREADS.key() + " must be in 1..1024, got " + intraOpThreads);
        }
        if (device == null) {
            throw HearkenException.config(DEVICE.key() + " must not be null");
        }
    }

    public static EngineSettings cpu(int intraOpThreads) {
        return new EngineSettings(intraOpThreads, InferenceDevice.CPU);
    }

    /** Reads {@link #INTRA_OP_THREADS} and {@link #DEVICE}; {@code config} must include {@link #CONFIG}. */
    public static EngineSettings from(HearkenConfig config) {
        return new EngineSettings(config.get(INTRA_OP_THREADS), config.get(DEVICE));
    }

    public EngineSettings withDevice(InferenceDevice d) {
        return new EngineSettings(intraOpThreads, d);
    }

    /**
     * Fails fast, before a model is loaded, where the device cannot work in this JVM: {@code cuda} or
     * {@code cuda:N} on an ONNX Runtime without the CUDA execution provider is the same CONFIG error a session would
     * raise. {@code cpu} and {@code auto} always pass (auto falls back when the session opens). Whether a CUDA device
     * is actually present is only known when a session is created.
     */
    public EngineSettings requireDeviceAvailable() {
        if (device.kind() == InferenceDevice.Kind.CUDA) {
            OrtSessions.missingCudaProvider().ifPresent(reason -> {
                throw OrtSessions.deviceUnavailable(device, reason, null);
            });
        }
        return this;
    }
}
