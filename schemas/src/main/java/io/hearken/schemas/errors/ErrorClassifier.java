package io.hearken.schemas.errors;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.serde.RegistryFailures;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decides what any throwable (ours or a library's) means, and so what the pipeline does with the record at hand:
 * {@link ErrorKind#BAD_INPUT} is dead-lettered, a retriable kind is retried (never dead-lettered), anything else
 * stops the component with its reason. See {@link #isDeadLetter} and {@link #isRetriable}.
 *
 * <p>The cause chain is searched outwards-in: the first {@link HearkenException} or sign of a passing failure
 * decides, so a library's {@code SerializationException} wrapping a refused connection is still transient.
 */
public final class ErrorClassifier {
    /** Causes looked at; a chain longer than this (or a cycle) is not worth following further. */
    private static final int MAX_CAUSES = 32;

    private ErrorClassifier() {
    }

    public static ErrorKind classify(Throwable t) {
        boolean unreadable = false;
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_CAUSES; c = c.getCause(), depth++) {
            if (c instanceof HearkenException he) {
                return he.kind();
            }
            if (isPassingFailure(c)) {
                return ErrorKind.TRANSIENT;
            }
            unreadable |= c instanceof SerializationException;
        }
        if (unreadable) {
            return ErrorKind.BAD_INPUT;
        }
        return t instanceof IOException ? ErrorKind.TRANSIENT : ErrorKind.INTERNAL;
    }

    public static boolean isRetriable(Throwable t) {
        return classify(t).retriable();
    }

    /** True only for bad input: the record itself is wrong, so it goes to the dead-letter topic. */
    public static boolean isDeadLetter(Throwable t) {
        return classify(t) == ErrorKind.BAD_INPUT;
    }

    private static boolean isPassingFailure(Throwable c) {
        if (c instanceof RestClientException rest) {
            return RegistryFailures.isRetriableStatus(rest.getStatus());
        }
        return c instanceof RetriableException // Kafka's: broker unavailable, not leader, its TimeoutException
                || c instanceof TimeoutException
                || c instanceof SocketTimeoutException
                || c instanceof SocketException // connection refused or reset, no route to host
                || c instanceof HttpTimeoutException;
    }
}
