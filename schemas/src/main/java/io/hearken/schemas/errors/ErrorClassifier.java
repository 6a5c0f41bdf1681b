package io.hearken.schemas.errors;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Decides whether any throwable (ours or a library's) is worth retrying. */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    public static ErrorKind classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HearkenException he) {
                return he.kind();
            }
            if (c instanceof org.apache.kafka.common.errors.RetriableException
                    || c instanceof TimeoutException
                    || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.net.ConnectException) {
                return ErrorKind.TRANSIENT;
            }
            if (c instanceof org.apache.kafka.common.errors.SerializationException) {
                return ErrorKind.BAD_INPUT;
            }
        }
        return t instanceof IOException ? ErrorKind.TRANSIENT : ErrorKind.INTERNAL;
    }

    public static boolean isRetriable(Throwable t) {
        return classify(t).retriable();
    }
}
