package io.hearken.sinks.alerts;

import io.hearken.schemas.errors.ErrorClassifier;
import io.hearken.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's deliveries: a bounded set of accepted deliveries ({@code queueCapacity}: queued, in flight or
 * waiting to retry), at most {@code concurrency} requests in flight, retries scheduled on a timer (a delivery waiting
 * for its retry holds no request slot), the dead letter written after the last attempt. Nothing here blocks: the
 * requests are asynchronous, so a slow endpoint only ever holds its own slots.
 */
final class EndpointChannel {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointChannel.class);
    static final int MESSAGE_EXCERPT_CHARS = 300;

    private final Endpoint endpoint;
    private final HttpTransport transport;
    private final DeadLetterSink deadLetters;
    private final ScheduledExecutorService timers;
    private final DoubleSupplier random;
    private final Clock clock;
    private final Semaphore capacity;
    private final Object lock = new Object();
    private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
    private final AtomicInteger pumpWork = new AtomicInteger();
    private int inFlight;
    private volatile boolean closed;

    final AtomicLong delivered = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    EndpointChannel(Endpoint endpoint, HttpTransport transport, DeadLetterSink deadLetters,
                    ScheduledExecutorService timers, DoubleSupplier random, Clock clock) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.deadLetters = deadLetters;
        this.timers = timers;
        this.random = random;
        this.clock = clock;
        this.capacity = new Semaphore(endpoint.queueCapacity());
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Accepted deliveries not yet finished. */
    int pending() {
        return endpoint.queueCapacity() - capacity.availablePermits();
    }

    /** Accepts the delivery unless the endpoint already holds {@code queueCapacity} unfinished ones. Never blocks. */
    boolean offer(AlertEvent event, EventOrigin origin, java.util.function.Supplier<byte[]> render,
                  DeliveryOutcome.Listener listener) {
        if (closed) {
            throw new IllegalStateException(endpoint.describe() + " is closed");
        }
        if (!capacity.tryAcquire()) {
            return false;
        }
        byte[] body;
        try {
            body = render.get(); // only once there is room: a paused consumer offers the same event again and again
        } catch (RuntimeException e) {
            capacity.release();
            throw e;
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>(endpoint.headers());
        headers.put("Content-Type", CloudEvents.CONTENT_TYPE);
        headers.put("Idempotency-Key", event.eventId());
        enqueue(new Delivery(event, origin, body, Map.copyOf(headers), listener, clock.millis()));
        return true;
    }

    void close() {
        closed = true;
        synchronized (lock) {
            ready.clear();
        }
    }

    private void enqueue(Delivery d) {
        synchronized (lock) {
            ready.addLast(d);
        }
        pump();
    }

    /** Starts queued deliveries while request slots are free; re-entrant calls hand their work to the running one. */
    private void pump() {
        if (pumpWork.getAndIncrement() != 0) {
            return;
        }
        do {
            while (true) {
                Delivery next;
                synchronized (lock) {
                    if (closed || inFlight >= endpoint.concurrency() || ready.isEmpty()) {
                        break;
                    }
                    next = ready.pollFirst();
                    inFlight++;
                }
                attempt(next);
            }
        } while (pumpWork.decrementAndGet() != 0);
    }

    private void attempt(Delivery d) {
        d.attempts++;
        attempts.incrementAndGet();
        CompletableFuture<HttpTransport.Response> response;
        try {
            response = transport.post(endpoint.url(), d.headers, d.body, endpoint.timeout());
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((r, err) -> {
            synchronized (lock) {
                inFlight--;
            }
            try {
                onAttemptDone(d, r, err);
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure handling the response for event {}", endpoint.describe(), d.event.eventId(), e);
            } finally {
                pump();
            }
        });
    }

    private void onAttemptDone(Delivery d, HttpTransport.Response r, Throwable err) {
        if (closed) {
            return; // abandoned: not acknowledged, so redelivered after a restart
        }
        if (err == null && r.isSuccess()) {
            delivered.incrementAndGet();
            finish(d, DeliveryOutcome.Status.DELIVERED, "HTTP " + r.status());
            return;
        }
        Throwable cause = unwrap(err);
        boolean retriable;
        if (cause != null) {
            retriable = ErrorClassifier.isRetriable(cause);
            d.lastError = describe(cause);
            d.lastErrorClass = cause.getClass().getName();
        } else {
            d.lastError = "HTTP " + r.status() + (r.bodyExcerpt().isBlank() ? "" : ": " + excerpt(r.bodyExcerpt()));
            retriable = ErrorClassifier.isRetriable(new WebhookDeliveryException(r.status(), d.lastError));
            d.lastErrorClass = WebhookDeliveryException.class.getName();
        }
        int max = endpoint.retry().maxAttempts();
        if (retriable && d.attempts < max) {
            Duration wait = endpoint.retry().backoff(d.attempts, random);
            if (r != null && r.retryAfter().isPresent()) {
                Duration asked = r.retryAfter().get();
                Duration capped = asked.compareTo(endpoint.retry().maxBackoff()) > 0 ? endpoint.retry().maxBackoff() : asked;
                wait = wait.compareTo(capped) < 0 ? capped : wait;
            }
            retries.incrementAndGet();
            LOG.debug("{}: event {} attempt {}/{} failed ({}); retrying in {} ms", endpoint.describe(),
                    d.event.eventId(), d.attempts, max, d.lastError, wait.toMillis());
            schedule(() -> enqueue(d), wait);
            return;
        }
        String why = retriable
                ? "gave up after " + d.attempts + " attempt" + (d.attempts == 1 ? "" : "s") + " over "
                  + String.format(java.util.Locale.ROOT, "%.1f", (clock.millis() - d.acceptedAtMillis) / 1000.0) + " s"
                : "not retriable (attempt " + d.attempts + " of " + max + ")";
        String message = endpoint.describe() + ": " + d.event.type().configName() + " event " + d.event.eventId()
                + " " + why + "; last error: " + d.lastError;
        LOG.warn("dead-lettering: {}", message);
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(d.origin.topic())
                .setOriginalPartition(d.origin.partition())
                .setOriginalOffset(d.origin.offset())
                .setOriginalKey(d.origin.key() == null ? null : ByteBuffer.wrap(d.origin.key()))
                .setOriginalValue(d.origin.value() == null ? null : ByteBuffer.wrap(d.origin.value()))
                .setStage(WebhookAlerter.STAGE)
                .setErrorClass(d.lastErrorClass)
                .setErrorMessage(message)
                .setFailedAtMicros(clock.millis() * 1000L)
                .build();
        publishDeadLetter(d, letter);
    }

    /** The delivery stays unfinished (and unacknowledged) until its dead letter is written; retried until closed. */
    private void publishDeadLetter(Delivery d, DeadLetter letter) {
        CompletableFuture<Void> written;
        try {
            written = deadLetters.publish(d.origin, letter);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, err) -> {
            if (closed) {
                return;
            }
            if (err == null) {
                deadLettered.incrementAndGet();
                finish(d, DeliveryOutcome.Status.DEAD_LETTERED, d.lastError);
            } else {
                Duration wait = endpoint.retry().maxBackoff().isZero() ? Duration.ofMillis(100) : endpoint.retry().maxBackoff();
                LOG.error("{}: cannot write the dead letter for event {} ({}); trying again in {} s",
                        endpoint.describe(), d.event.eventId(), unwrap(err).toString(), wait.toSeconds());
                schedule(() -> publishDeadLetter(d, letter), wait);
            }
        });
    }

    private void finish(Delivery d, DeliveryOutcome.Status status, String detail) {
        capacity.release();
        try {
            d.listener.onComplete(new DeliveryOutcome(endpoint.name(), d.event.eventId(), d.origin, status, d.attempts, detail));
        } catch (RuntimeException e) {
            LOG.error("{}: delivery listener failed for event {}", endpoint.describe(), d.event.eventId(), e);
        }
    }

    private void schedule(Runnable task, Duration wait) {
        try {
            timers.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null && t.getCause() != null && t.getCause().getMessage() != null) {
            m = t.getCause().getMessage(); // HttpClient's ConnectException: "Connection refused" is on the cause
        }
        if (t instanceof java.util.concurrent.TimeoutException && m == null) {
            m = "no complete response within " + endpoint.timeout().toMillis() + " ms";
        }
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + excerpt(m));
    }

    private static String excerpt(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() <= MESSAGE_EXCERPT_CHARS ? flat : flat.substring(0, MESSAGE_EXCERPT_CHARS) + "...";
    }

    private static final class Delivery {
        final AlertEvent event;
        final EventOrigin origin;
        final byte[] body;
        final Map<String, String> headers;
        final DeliveryOutcome.Listener listener;
        final long acceptedAtMillis;
        int attempts;
        String lastError = "";
        String lastErrorClass = "";

        Delivery(AlertEvent event, EventOrigin origin, byte[] body, Map<String, String> headers,
                 DeliveryOutcome.Listener listener, long acceptedAtMillis) {
            this.event = event;
            this.origin = origin;
            this.body = body;
            this.headers = headers;
            this.listener = listener;
            this.acceptedAtMillis = acceptedAtMillis;
        }
    }
}
