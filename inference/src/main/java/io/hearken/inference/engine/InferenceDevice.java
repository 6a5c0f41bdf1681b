package io.hearken.inference.engine;

import io.hearken.error.HearkenException;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a model runs: the {@code inference.device} setting ({@link EngineSettings#DEVICE}), {@code cpu | cuda[:N] | auto}.
 * <ul>
 *   <li>{@code cpu}: the CPU execution provider.</li>
 *   <li>{@code cuda} or {@code cuda:N}: the CUDA execution provider on device N (default 0). Needs the GPU build
 *       ({@code -Pgpu}, the {@code onnxruntime_gpu} artifact) and a CUDA device; without either, loading a model is a
 *       CONFIG error saying so, never a silent fall-back.</li>
 *   <li>{@code auto}: CUDA device 0 when it can be used, else the CPU with one INFO log line.</li>
 * </ul>
 *
 * @param kind  the choice
 * @param index the CUDA device index (0 for cpu and auto)
 */
public record InferenceDevice(Kind kind, int index) implements Serializable {
    public static final String SETTING = "inference.device";
    /** What the setting accepts, as the reference and error messages show it. */
    public static final String ALLOWED = "cpu, cuda, cuda:N, auto";
    public static final InferenceDevice CPU = new InferenceDevice(Kind.CPU, 0);
    public static final InferenceDevice AUTO = new InferenceDevice(Kind.AUTO, 0);

    private static final Pattern CUDA_INDEX = Pattern.compile("[0-9]{1,4}");

    public enum Kind { CPU, CUDA, AUTO }

    public InferenceDevice {
        if (kind == null) {
            throw HearkenException.config(SETTING + ": kind must not be null");
        }
        if (index < 0 || (kind != Kind.CUDA && index != 0)) {
            throw HearkenException.config(SETTING + ": bad device index " + index + " for " + kind);
        }
    }

    public static InferenceDevice cuda(int index) {
        return new InferenceDevice(Kind.CUDA, index);
    }

    /**
     * Parses {@code cpu}, {@code auto}, {@code cuda} or {@code cuda:N} (case and surrounding blanks ignored); a bad
     * value is a CONFIG error naming the setting and the allowed values.
     */
    public static InferenceDevice parse(String value) {
        try {
            return EngineSettings.DEVICE.parse(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw HearkenException.config(SETTING + ": " + e.getMessage());
        }
    }

    /** The parser of {@link EngineSettings#DEVICE}: reports a bad value the way {@code Field} parsers do. */
    static InferenceDevice parseValue(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "cpu":
                return CPU;
            case "auto":
                return AUTO;
            case "cuda":
                return cuda(0);
            default:
                break;
        }
        if (v.startsWith("cuda:")) {
            if (CUDA_INDEX.matcher(v.substring("cuda:".length())).matches()) {
                return cuda(Integer.parseInt(v.substring("cuda:".length())));
            }
            throw new IllegalArgumentException("has a bad CUDA device index: use a non-negative integer (cuda:0, cuda:1, ...)");
        }
        throw new IllegalArgumentException(v.isEmpty() ? "is empty" : "is not allowed");
    }

    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case CUDA -> "cuda:" + index;
        };
    }
}
