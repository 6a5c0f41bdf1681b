package io.hearken.sinks.common;

import io.hearken.schemas.errors.ErrorClassifier;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sink does when one of its stream threads dies. A retriable failure (schema registry or broker unavailable,
 * e.g. a record whose schema cannot be fetched: see {@link DeadLetterDeserializationHandler}) replaces the thread;
 * under exactly-once the failed transaction is aborted and the new thread resumes from the last committed offsets,
 * so once the dependency is back every record is processed, once. Any other failure shuts the client down with its
 * reason: restarting cannot fix it, and skipping the record would lose it.
 *
 * <p>Replacing waits first (doubling per consecutive failure, up to a cap), so an outage is not met with a tight
 * loop of thread restarts and rebalances.
 */
public final class RetryTransientFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RetryTransientFailures.class);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A failure this long after the previous one starts again from the initial backoff. */
    static final Duration RESET_AFTER = Duration.ofMinutes(1);

    private final String application;
    private final Backoff backoff;

    public RetryTransientFailures(String application) {
        this(application, new Backoff(INITIAL_BACKOFF, MAX_BACKOFF, RESET_AFTER, System::currentTimeMillis));
    }

    RetryTransientFailures(String application, Backoff backoff) {
        this.application = application;
        this.backoff = backoff;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (!ErrorClassifier.isRetriable(exception)) {
            LOG.error("{}: a stream thread failed ({}); shutting the sink down", application,
                    ErrorClassifier.classify(exception), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Duration wait = backoff.next();
        LOG.warn("{}: a stream thread failed with a retriable error; replacing it in {} ms: {}", application,
                wait.toMillis(), exception.toString());
        try {
            Thread.sleep(wait.toMillis()); // a retry backoff on the dying thread, before its replacement starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT; // the client is being stopped
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Exponential backoff over consecutive failures; thread-safe (several stream threads may fail at once). */
    static final class Backoff {
        private final Duration initial;
        private final Duration max;
        private final Duration resetAfter;
        private final LongSupplier clockMillis;
        private Duration current;
        private long lastFailureMillis = Long.MIN_VALUE;

        Backoff(Duration initial, Duration max, Duration resetAfter, LongSupplier clockMillis) {
            this.initial = initial;
            this.max = max;
            this.resetAfter = resetAfter;
            this.clockMillis = clockMillis;
        }

        synchronized Duration next() {
            long now = clockMillis.getAsLong();
            boolean consecutive = lastFailureMillis != Long.MIN_VALUE && now - lastFailureMillis < resetAfter.toMillis();
            current = consecutive ? min(current.multipliedBy(2), max) : initial;
            lastFailureMillis = now;
            return current;
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
