package io.hearken.error;

import java.util.Objects;

/**
 * The one domain exception of Hearken. Every failure the system reports on purpose is one of these, with a
 * {@link ErrorKind} that tells callers whether trying again can help ({@link #isRetriable()}) and, for bad input,
 * that the record belongs on a dead-letter topic rather than stopping the pipeline.
 */
public class HearkenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public HearkenException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public HearkenException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean isRetriable() {
        return kind.retriable();
    }

    public static HearkenException badInput(String message) {
        return new HearkenException(ErrorKind.BAD_INPUT, message);
    }

    public static HearkenException badInput(String message, Throwable cause) {
        return new HearkenException(ErrorKind.BAD_INPUT, message, cause);
    }

    public static HearkenException config(String message) {
        return new HearkenException(ErrorKind.CONFIG, message);
    }
}
