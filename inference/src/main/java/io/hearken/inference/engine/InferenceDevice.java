package io.hearken.inference.engine;

import io.hearken.error.HearkenException;

import java.util.Locale;

/**
 * Where a model runs: the {@code inference.device} setting, {@code cpu | cuda[:N] | auto}.
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
public record InferenceDevice(Kind kind, int index) {
    public static final String SETTING = "inference.device";
    public static final InferenceDevice CPU = new InferenceDevice(Kind.CPU, 0);
    public static final InferenceDevice AUTO = new InferenceDevice(Kind.AUTO, 0);

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

    /** Parses {@code cpu}, {@code auto}, {@code cuda} or {@code cuda:N} (case and surrounding blanks ignored). */
    public static InferenceDevice parse(String value) {
        if (value == null || value.isBlank()) {
            throw HearkenException.config(SETTING + " must be cpu, cuda, cuda:N or auto, got an empty value");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
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
            String n = v.substring("cuda:".length());
            if (n.matches("[0-9]{1,4}")) {
                return cuda(Integer.parseInt(n));
            }
            throw HearkenException.config(SETTING + "=" + value.trim() + ": the CUDA device index must be a "
                    + "non-negative integer (cuda:0, cuda:1, ...)");
        }
        throw HearkenException.config(SETTING + " must be cpu, cuda, cuda:N or auto, got '" + value.trim() + "'");
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
