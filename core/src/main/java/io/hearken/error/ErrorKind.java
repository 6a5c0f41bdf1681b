package io.hearken.error;

/** What went wrong, and with it whether a retry can help. */
public enum ErrorKind {
    /** The input itself is wrong (corrupt audio, malformed message, unknown stream): retrying cannot help; dead-letter it. */
    BAD_INPUT(false),
    /** Configuration or command-line arguments are invalid: fatal at start-up. */
    CONFIG(false),
    /** A model package is missing, corrupt or inconsistent: fatal at load time. */
    MODEL(false),
    /** A dependency (broker, registry, endpoint, disk) failed in a way that may pass: retry with backoff. */
    TRANSIENT(true),
    /** A bug or broken invariant inside Hearken. */
    INTERNAL(false);

    private final boolean retriable;

    ErrorKind(boolean retriable) {
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
