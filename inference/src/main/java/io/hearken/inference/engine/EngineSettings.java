package io.hearken.inference.engine;

import io.hearken.error.HearkenException;

import java.util.Map;

/**
 * How a model session is run: intra-op threads and device. Typed, validated at construction.
 *
 * @param intraOpThreads ONNX Runtime threads inside each operator ({@value #THREADS_SETTING}), >= 1
 * @param device         {@value InferenceDevice#SETTING}
 */
public record EngineSettings(int intraOpThreads, InferenceDevice device) {
    public static final String THREADS_SETTING = "inference.intra.op.threads";

    public EngineSettings {
        if (intraOpThreads < 1 || intraOpThreads > 1024) {
            throw HearkenException.config(THREADS_SETTING + " must be in 1..1024, got " + intraOpThreads);
        }
        if (device == null) {
            throw HearkenException.config(InferenceDevice.SETTING + " must not be null");
        }
    }

    public static EngineSettings cpu(int intraOpThreads) {
        return new EngineSettings(intraOpThreads, InferenceDevice.CPU);
    }

    /**
     * Reads {@value #THREADS_SETTING} (default 1) and {@value InferenceDevice#SETTING} (default cpu) from flat
     * settings; bad values are CONFIG errors naming the key.
     */
    public static EngineSettings fromSettings(Map<String, String> settings) {
        String threads = settings.getOrDefault(THREADS_SETTING, "1").trim();
        int n;
        try {
            n = Integer.parseInt(threads);
        } catch (NumberFormatException e) {
            throw HearkenException.config(THREADS_SETTING + " must be an integer, got '" + threads + "'");
        }
        return new EngineSettings(n, InferenceDevice.parse(settings.getOrDefault(InferenceDevice.SETTING, "cpu")));
    }

    public EngineSettings withDevice(InferenceDevice d) {
        return new EngineSettings(intraOpThreads, d);
    }
}
