package io.hearken.inference.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates ONNX Runtime sessions on the device {@link EngineSettings#device()} asks for. The CUDA paths are real
 * (the {@code onnxruntime_gpu} artifact of the {@code -Pgpu} build plus a CUDA device); on the CPU-only artifact or
 * without a device they end in the documented CONFIG error ({@code cuda}) or CPU fall-back ({@code auto}).
 */
final class OrtSessions {
    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    private OrtSessions() {
    }

    /** A session and the device it actually runs on. */
    record Opened(OrtSession session, InferenceDevice device) {
    }

    /** Why CUDA cannot be used here; carries a CPU session when one was already made while finding out. */
    private static final class CudaUnavailable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient OrtSession cpuSession;

        CudaUnavailable(String reason, OrtSession cpuSession, Throwable cause) {
            super(reason, cause);
            this.cpuSession = cpuSession;
        }
    }

    static Opened open(OrtEnvironment env, byte[] model, Path file, EngineSettings settings) {
        InferenceDevice device = settings.device();
        switch (device.kind()) {
            case CUDA:
                try {
                    return new Opened(createCuda(env, model, file, settings, device.index()), device);
                } catch (CudaUnavailable e) {
                    closeQuietly(e.cpuSession);
                    throw deviceUnavailable(device, e.getMessage(), e);
                }
            case AUTO:
                try {
                    return new Opened(createCuda(env, model, file, settings, 0), InferenceDevice.cuda(0));
                } catch (CudaUnavailable e) {
                    LOG.info("{}=auto: running {} on the CPU ({})", InferenceDevice.SETTING, file, e.getMessage());
                    OrtSession cpu = e.cpuSession != null ? e.cpuSession : createCpu(env, model, file, settings);
                    return new Opened(cpu, InferenceDevice.CPU);
                }
            case CPU:
            default:
                return new Opened(createCpu(env, model, file, settings), InferenceDevice.CPU);
        }
    }

    /** The CONFIG error for a CUDA device that cannot be used, saying why and what would fix it. */
    static HearkenException deviceUnavailable(InferenceDevice device, String reason, Throwable cause) {
        return new HearkenException(ErrorKind.CONFIG, InferenceDevice.SETTING + "=" + device + " but " + reason
                + ": build with -Pgpu and run on a machine with a CUDA device", cause);
    }

    /** Why this ONNX Runtime cannot run CUDA at all, or empty when it has the CUDA execution provider. */
    static Optional<String> missingCudaProvider() {
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return Optional.empty();
        }
        return Optional.of("this ONNX Runtime has no CUDA execution provider (the CPU-only onnxruntime artifact; "
                + "available: " + OrtEnvironment.getAvailableProviders() + ")");
    }

    private static OrtSession.SessionOptions baseOptions(EngineSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            // The graph is a sequential CNN: parallel branches buy nothing, one inter-op thread.
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    static OrtSession createCpu(OrtEnvironment env, byte[] model, Path file, EngineSettings settings) {
        try (OrtSession.SessionOptions options = baseOptions(settings)) {
            return env.createSession(model, options);
        } catch (OrtException e) {
            throw corrupt(file, e);
        }
    }

    static HearkenException corrupt(Path file, Exception e) {
        return new HearkenException(ErrorKind.MODEL,
                "cannot load " + file + " (corrupt or not an ONNX model?): " + e.getMessage(), e);
    }

    private static OrtSession createCuda(OrtEnvironment env, byte[] model, Path file, EngineSettings settings,
                                         int index) throws CudaUnavailable {
        Optional<String> missing = missingCudaProvider();
        if (missing.isPresent()) {
            throw new CudaUnavailable(missing.get(), null, null);
        }
        OrtSession.SessionOptions options;
        try {
            options = baseOptions(settings);
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.INTERNAL, "cannot create ONNX Runtime session options: " + e, e);
        }
        try (options) {
            try {
                options.addCUDA(index);
            } catch (OrtException | RuntimeException e) {
                throw new CudaUnavailable("the CUDA execution provider could not be initialised for device " + index
                        + " (" + e.getMessage() + ")", null, e);
            }
            try {
                return env.createSession(model, options);
            } catch (OrtException e) {
                // A corrupt model fails on the CPU too: then it is the model's fault, not the device's.
                OrtSession cpu = createCpu(env, model, file, settings);
                throw new CudaUnavailable("creating the session on CUDA device " + index + " failed ("
                        + e.getMessage() + ")", cpu, e);
            }
        }
    }

    static void closeQuietly(OrtSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing useful to do: the session is unusable either way.
        }
    }
}
