package io.hearken.sinks.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * {@link HttpTransport} over {@link java.net.http.HttpClient} (HTTP/1.1, no redirects). The attempt's timeout
 * bounds the connect and the wait for the response headers (HttpClient's request timeout) and, with a little slack,
 * the whole exchange including the body. Only the first {@value #EXCERPT_BYTES} bytes of a response body are kept.
 */
public final class JdkHttpTransport implements HttpTransport {
    static final int EXCERPT_BYTES = 512;
    private static final Duration BODY_SLACK = Duration.ofSeconds(1);

    private final HttpClient client;

    public JdkHttpTransport(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public CompletableFuture<Response> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(req::header);
        return client.sendAsync(req.build(), info -> HttpResponse.BodySubscribers.mapping(
                        new ExcerptSubscriber(EXCERPT_BYTES), bytes -> new String(bytes, StandardCharsets.UTF_8)))
                .thenApply(r -> new Response(r.statusCode(), r.body(), retryAfter(r)))
                .orTimeout(timeout.plus(BODY_SLACK).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty(); // HTTP-date form: ignored, the backoff applies
            }
        });
    }

    /** Keeps the first {@code limit} bytes of the body, reads and drops the rest. */
    private static final class ExcerptSubscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final byte[] buffer;
        private int length;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();

        ExcerptSubscriber(int limit) {
            this.limit = limit;
            this.buffer = new byte[limit];
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), limit - length);
                if (n > 0) {
                    b.get(buffer, length, n);
                    length += n;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(java.util.Arrays.copyOf(buffer, length));
        }
    }
}
