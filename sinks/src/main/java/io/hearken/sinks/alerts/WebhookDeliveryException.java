package io.hearken.sinks.alerts;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

/** An endpoint answered with a status that is not success: retriable (5xx, 408, 429) or not (other 4xx, 3xx). */
public final class WebhookDeliveryException extends HearkenException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public WebhookDeliveryException(int status, String message) {
        super(retriableStatus(status) ? ErrorKind.TRANSIENT : ErrorKind.BAD_INPUT, message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 5xx, 408 Request Timeout and 429 Too Many Requests may pass; any other failure status will not. */
    public static boolean retriableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
