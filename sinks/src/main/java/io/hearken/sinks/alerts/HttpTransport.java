package io.hearken.sinks.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP POST, asynchronously. The future completes with the response (any status) or exceptionally on a
 * connection error or timeout; it never blocks the caller. One transport per endpoint, so one endpoint's connections
 * and threads are never shared with another's.
 */
public interface HttpTransport extends AutoCloseable {

    CompletableFuture<Response> post(URI url, Map<String, String> headers, byte[] body, Duration timeout);

    @Override
    default void close() {
    }

    /**
     * @param status      HTTP status code
     * @param bodyExcerpt the start of the response body (for dead letters), at most a few hundred characters
     * @param retryAfter  the Retry-After header in seconds form, if the server sent one
     */
    record Response(int status, String bodyExcerpt, Optional<Duration> retryAfter) {
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
