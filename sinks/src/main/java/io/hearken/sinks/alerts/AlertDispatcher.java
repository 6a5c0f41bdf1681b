package io.hearken.sinks.alerts;

import io.hearken.schemas.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The Kafka-free core of webhook alerting: matches events against the rules and delivers them, each endpoint through
 * its own {@link EndpointChannel} (bounded, asynchronous, retried with backoff and full jitter, dead-lettered after
 * the last attempt). Completions are reported per delivery through {@link DeliveryOutcome.Listener}; dead letters go
 * to a {@link DeadLetterSink}. Whoever feeds it decides what to do when an endpoint is full ({@link #offer} returns
 * false and never blocks).
 */
public final class AlertDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private final AlertRules rules;
    private final Map<String, EndpointChannel> channels = new LinkedHashMap<>();
    private final Map<String, HttpTransport> transports = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor timers;
    private final DeadLetterSink deadLetters;
    private volatile boolean closed;

    /** Production: one {@link JdkHttpTransport} per endpoint, system clock, thread-local randomness. */
    public AlertDispatcher(AlertRules rules, DeadLetterSink deadLetters) {
        this(rules, ep -> new JdkHttpTransport(ep.timeout()), deadLetters,
                () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());
    }

    public AlertDispatcher(AlertRules rules, Function<Endpoint, HttpTransport> transportFactory,
                           DeadLetterSink deadLetters, DoubleSupplier random, Clock clock) {
        this.rules = rules;
        this.deadLetters = deadLetters;
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hearken-alerts-retry-timer");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        for (String name : rules.activeEndpoints()) {
            Endpoint ep = rules.endpoint(name);
            HttpTransport transport = transportFactory.apply(ep);
            transports.put(name, transport);
            channels.put(name, new EndpointChannel(ep, transport, deadLetters, timers, random, clock));
        }
    }

    public AlertRules rules() {
        return rules;
    }

    /** Every endpoint this event goes to, with the rules that send it there. */
    public Map<String, List<AlertRule>> route(AlertEvent event) {
        return rules.route(event);
    }

    /** The rules that send this event to the endpoint (empty: it does not go there). */
    public List<AlertRule> matching(String endpoint, AlertEvent event) {
        return rules.matching(endpoint, event);
    }

    /**
     * Accepts the event for delivery to the endpoint, unless that endpoint already holds its {@code queueCapacity}
     * of unfinished deliveries (then false: try again later). Never blocks. Once accepted, the listener is told
     * exactly once, when it is delivered or dead-lettered (not if the dispatcher is closed first).
     *
     * @param matched the rules that matched (named in the CloudEvent), from {@link #matching} or {@link #route}
     */
    public boolean offer(String endpoint, AlertEvent event, List<AlertRule> matched, EventOrigin origin,
                         DeliveryOutcome.Listener listener) {
        EndpointChannel channel = channel(endpoint);
        return channel.offer(event, origin, () -> CloudEvents.render(event, matched), listener);
    }

    /**
     * Writes a dead letter that is not a delivery failure (e.g. an event record that cannot be read), trying again
     * every {@code retryEvery} until written or closed. The future completes once it is written.
     */
    public CompletableFuture<Void> deadLetter(EventOrigin origin, DeadLetter letter, Duration retryEvery) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        publishUntilWritten(origin, letter, retryEvery, done);
        return done;
    }

    private void publishUntilWritten(EventOrigin origin, DeadLetter letter, Duration retryEvery, CompletableFuture<Void> done) {
        CompletableFuture<Void> written;
        try {
            written = deadLetters.publish(origin, letter);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, err) -> {
            if (err == null) {
                done.complete(null);
            } else if (!closed) {
                LOG.error("cannot write the dead letter for {} ({}); trying again in {} ms", origin, err, retryEvery.toMillis());
                try {
                    timers.schedule(() -> publishUntilWritten(origin, letter, retryEvery, done),
                            retryEvery.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    done.completeExceptionally(err);
                }
            } else {
                done.completeExceptionally(err);
            }
        });
    }

    /** Deliveries accepted for the endpoint and not yet finished. */
    public int pending(String endpoint) {
        return channel(endpoint).pending();
    }

    public EndpointStats stats(String endpoint) {
        EndpointChannel c = channel(endpoint);
        return new EndpointStats(endpoint, c.pending(), c.delivered.get(), c.deadLettered.get(), c.attempts.get(),
                c.retries.get());
    }

    /** Counters of one endpoint since start. */
    public record EndpointStats(String endpoint, int pending, long delivered, long deadLettered, long attempts,
                                long retries) {
    }

    private EndpointChannel channel(String endpoint) {
        EndpointChannel c = channels.get(endpoint);
        if (c == null) {
            throw new IllegalArgumentException("no rule sends to endpoint '" + endpoint + "' (active: " + channels.keySet() + ")");
        }
        return c;
    }

    /**
     * Stops: pending retries are dropped and in-flight requests abandoned, unreported. Those events were never
     * acknowledged, so a restarted alerter delivers them again (the receiver dedupes by Idempotency-Key).
     */
    @Override
    public void close() {
        closed = true;
        channels.values().forEach(EndpointChannel::close);
        timers.shutdownNow();
        transports.values().forEach(HttpTransport::close);
    }
}
