package io.hearken.sinks.captions;

/**
 * Turns a stream's tag timeline for a span into one sentence. {@link GrammarCaptioner} builds it from a small grammar
 * over AudioSet labels; an audio-text model can replace it behind this interface. Implementations must be
 * thread-safe (one instance serves every stream task) and should not block for long: they run on the stream thread.
 */
public interface Captioner {
    /** Recorded as {@code captioner} on every caption event, e.g. {@code grammar-v1}. */
    String name();

    /** One sentence describing the span; never null or empty. */
    String caption(TagTimeline timeline);
}
