package io.hearken.job;

/** Per-stream bookkeeping of the reassembler (Flink POJO, checkpointed); the held chunks live in a MapState. */
public class ReassemblerState {
    public long nextSequence;
    public int sampleRate;
    public int channels;
    /** Capture time at which the next in-order chunk is expected to start (end of the last emitted one). */
    public long expectedCaptureMicros;
    public int held;
    /** Event-time timer armed for the oldest missing chunk, or Long.MIN_VALUE. */
    public long eventTimer = Long.MIN_VALUE;
    /** Processing-time timer that guarantees progress when event time stands still, or Long.MIN_VALUE. */
    public long processingTimer = Long.MIN_VALUE;
    /** Recently skipped sequence ranges [from, to): a chunk arriving in one of them is late, not a duplicate. */
    public long[] skippedFrom = new long[0];
    public long[] skippedTo = new long[0];
    /** The stream ended; kept only to recognise redelivered chunks until {@link #expiresAt}. */
    public boolean ended;
    public long expiresAt;

    public ReassemblerState() {
    }
}
