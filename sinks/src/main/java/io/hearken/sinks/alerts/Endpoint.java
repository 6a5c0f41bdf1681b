package io.hearken.sinks.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A named webhook receiver.
 *
 * @param name          its name in the rules file; also names its consumer group ({@code hearken-alerts.<name>})
 * @param url           where events are POSTed
 * @param headers       extra request headers (e.g. Authorization); never logged
 * @param timeout       per attempt, from connecting to the response headers (default 10 s)
 * @param concurrency   requests in flight at once (default 4)
 * @param queueCapacity deliveries accepted but not yet finished (queued, in flight or waiting to retry) before the
 *                      endpoint's consumer pauses (default 1000)
 * @param retry         retry policy (the file's {@code retry}, field by field overridden by the endpoint's)
 */
public record Endpoint(String name, URI url, Map<String, String> headers, Duration timeout, int concurrency,
                       int queueCapacity, RetryPolicy retry) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;

    public Endpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        if (concurrency < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("concurrency and queueCapacity must be >= 1");
        }
    }

    /** Scheme, host and port only: webhook paths and queries often embed secrets (Slack, Teams). */
    public String redactedUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    /** Names the endpoint as logs and dead letters do: never the headers, the path or the query. */
    public String describe() {
        return "endpoint '" + name + "' (" + redactedUrl() + ")";
    }

    @Override
    public String toString() {
        return "Endpoint[name=" + name + ", url=" + redactedUrl() + "/..., headers=" + headers.keySet()
                + ", timeout=" + timeout + ", concurrency=" + concurrency + ", queueCapacity=" + queueCapacity
                + ", retry=" + retry + "]";
    }
}
