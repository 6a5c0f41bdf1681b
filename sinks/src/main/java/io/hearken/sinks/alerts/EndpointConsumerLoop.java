package io.hearken.sinks.alerts;

import io.hearken.error.HearkenException;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.errors.ErrorClassifier;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's consumer (its own group, {@code <prefix>.<endpoint>}): reads the event topics its rules watch, hands
 * matching events to the dispatcher, and commits per partition only below the lowest event not yet finished. When
 * the endpoint is full it pauses its partitions and holds the rest of the batch, in order, until slots free up:
 * only this endpoint's consumer stops; every other endpoint has its own and keeps going. Every Kafka call happens on
 * this loop's thread; deliveries report back through a queue.
 */
final class EndpointConsumerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointConsumerLoop.class);

    private final String endpoint;
    private final Collection<String> topics;
    private final Consumer<byte[], byte[]> consumer;
    private final AlertDispatcher dispatcher;
    private final AlertEventDecoder decoder;
    private final WebhookAlerter.Options options;
    private final Clock clock;

    /** Finished work reported from other threads: the origin, and whether it may be acknowledged. */
    private record Done(EventOrigin origin, boolean acknowledged) {
    }

    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** How long a record that failed to be read for a retriable reason waits before it is tried again. */
    static final Duration READ_RETRY = Duration.ofSeconds(1);

    private int outstanding; // handed to the dispatcher (or dead-letter writer), not yet reported back
    private long readRetryAtMillis; // held records are not tried before this (after a retriable read failure)
    private boolean paused;
    private long lastCommitMillis;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    /** A record read but not yet accepted by the dispatcher. */
    private static final class Held {
        final ConsumerRecord<byte[], byte[]> record;
        AlertEvent event;
        List<AlertRule> matched;

        Held(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
        }
    }

    EndpointConsumerLoop(String endpoint, Collection<String> topics, Consumer<byte[], byte[]> consumer,
                         AlertDispatcher dispatcher, AlertEventDecoder decoder, WebhookAlerter.Options options,
                         Clock clock) {
        this.endpoint = endpoint;
        this.topics = List.copyOf(topics);
        this.consumer = consumer;
        this.dispatcher = dispatcher;
        this.decoder = decoder;
        this.options = options;
        this.clock = clock;
    }

    Throwable failure() {
        return failure;
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Asks the loop to stop (it finishes outstanding deliveries for up to the shutdown grace, then commits). */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Closes the consumer of a loop that was never run. */
    void closeUnstarted() {
        consumer.close();
        stopped.countDown();
    }

    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            lastCommitMillis = clock.millis();
            while (running) {
                applyDone();
                drainHeld();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(options.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                if (records.isEmpty() && !options.idleWait().isZero()) {
                    awaitDone(options.idleWait().toMillis());
                }
                maybeCommit(false);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("alerts consumer of endpoint '{}' failed; its alerts stop until restart", endpoint, t);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void shutdown() {
        long deadline = clock.millis() + options.shutdownGrace().toMillis();
        try {
            applyDone();
            while (outstanding > 0 && clock.millis() < deadline) {
                awaitDone(Math.max(1, Math.min(100, deadline - clock.millis())));
            }
            if (outstanding > 0) {
                LOG.info("endpoint '{}': {} deliveries still unfinished at shutdown; they will be redelivered after restart",
                        endpoint, outstanding);
            }
            commitSync(progress.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("endpoint '{}': final offset commit failed: {}", endpoint, e.toString());
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                LOG.warn("endpoint '{}': closing the consumer failed: {}", endpoint, e.toString());
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        progress.computeIfAbsent(tp, k -> new PartitionProgress()).track(r.offset());
        Held h = new Held(r);
        if (!held.isEmpty() || !tryHandOver(h)) {
            held.addLast(h); // keeps this partition's order behind the first record the endpoint could not take
            pause();
        }
    }

    /** True if the record is finished or accepted; false if the endpoint is full. */
    private boolean tryHandOver(Held h) {
        ConsumerRecord<byte[], byte[]> r = h.record;
        EventOrigin origin = new EventOrigin(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        if (h.event == null) {
            if (r.value() == null) {
                finishedNow(origin);
                return true;
            }
            try {
                h.event = decoder.decode(r.topic(), r.value());
                h.matched = dispatcher.matching(endpoint, h.event);
            } catch (RuntimeException e) {
                if (ErrorClassifier.isRetriable(e)) { // e.g. the registry is down: the record is fine, read it later
                    readAgainLater(origin, e);
                    return false;
                }
                if (!ErrorClassifier.isDeadLetter(e)) {
                    throw e; // a deployment problem or a bug: this consumer stops, nothing past it acknowledged
                }
                deadLetter(origin, e, WebhookAlerter.DESERIALIZE_STAGE, "cannot read");
                return true;
            }
        }
        if (h.matched.isEmpty()) {
            finishedNow(origin);
            return true;
        }
        boolean accepted;
        try {
            accepted = dispatcher.offer(endpoint, h.event, h.matched, origin, o -> done.add(new Done(o.origin(), true)));
        } catch (HearkenException e) {
            if (ErrorClassifier.isRetriable(e)) {
                readAgainLater(origin, e);
                return false;
            }
            deadLetter(origin, e, WebhookAlerter.STAGE, "cannot render"); // this event's content: no point retrying
            return true;
        }
        if (accepted) {
            outstanding++;
        }
        return accepted;
    }

    /** Holds the record (and, behind it, the rest of the batch) until {@link #READ_RETRY} has passed. */
    private void readAgainLater(EventOrigin origin, RuntimeException e) {
        if (clock.millis() >= readRetryAtMillis + READ_RETRY.toMillis()) { // once per outage, not per attempt
            LOG.warn("endpoint '{}': cannot read {} now ({}); holding its consumer and trying again every {} ms",
                    endpoint, origin, e.toString(), READ_RETRY.toMillis());
        }
        readRetryAtMillis = clock.millis() + READ_RETRY.toMillis();
    }

    private void deadLetter(EventOrigin origin, RuntimeException e, String stage, String what) {
        LOG.warn("endpoint '{}': {} {} ({}); dead-lettering it", endpoint, what, origin, e.toString());
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(origin.topic())
                .setOriginalPartition(origin.partition())
                .setOriginalOffset(origin.offset())
                .setOriginalKey(origin.key() == null ? null : ByteBuffer.wrap(origin.key()))
                .setOriginalValue(origin.value() == null ? null : ByteBuffer.wrap(origin.value()))
                .setStage(stage)
                .setErrorClass(e.getClass().getName())
                .setErrorMessage("alerts for endpoint '" + endpoint + "': " + e.getMessage())
                .setFailedAtMicros(clock.millis() * 1000L)
                .build();
        outstanding++;
        dispatcher.deadLetter(origin, letter, options.deadLetterRetry())
                .whenComplete((ok, err) -> done.add(new Done(origin, err == null)));
    }

    private void finishedNow(EventOrigin origin) {
        PartitionProgress p = progress.get(new TopicPartition(origin.topic(), origin.partition()));
        if (p != null) {
            p.complete(origin.offset());
        }
    }

    private void applyDone() {
        for (Done d; (d = done.poll()) != null; ) {
            apply(d);
        }
    }

    private void apply(Done d) {
        outstanding--;
        if (d.acknowledged()) {
            finishedNow(d.origin()); // a partition revoked meanwhile is simply no longer tracked
        }
    }

    private void awaitDone(long millis) throws InterruptedException {
        Done d = done.poll(millis, TimeUnit.MILLISECONDS);
        if (d != null) {
            apply(d);
            applyDone();
        }
    }

    private void drainHeld() {
        if (!held.isEmpty() && clock.millis() < readRetryAtMillis) {
            return; // the first held record waits for a dependency (registry) to come back
        }
        while (!held.isEmpty()) {
            Held h = held.peekFirst();
            if (!progress.containsKey(new TopicPartition(h.record.topic(), h.record.partition()))) {
                held.pollFirst(); // its partition was revoked: the new owner reads it again
                continue;
            }
            if (!tryHandOver(h)) {
                return;
            }
            held.pollFirst();
        }
        if (paused) {
            java.util.Set<TopicPartition> resume = new java.util.HashSet<>(consumer.paused());
            resume.retainAll(consumer.assignment()); // a revoked partition cannot be resumed
            consumer.resume(resume);
            paused = false;
            LOG.info("endpoint '{}' has room again; its consumer resumes", endpoint);
        }
    }

    private void pause() {
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.info("endpoint '{}' cannot take more now ({} unfinished deliveries); pausing its consumer", endpoint,
                    dispatcher.pending(endpoint));
        }
    }

    private void maybeCommit(boolean force) {
        long now = clock.millis();
        if (!force && now - lastCommitMillis < options.commitInterval().toMillis()) {
            return;
        }
        lastCommitMillis = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(progress.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, err) -> {
                if (err != null) {
                    LOG.warn("endpoint '{}': offset commit failed (retried at the next commit): {}", endpoint, err.toString());
                } else {
                    committed.forEach((tp, om) -> {
                        PartitionProgress p = progress.get(tp);
                        if (p != null) {
                            p.committed(om.offset());
                        }
                    });
                }
            });
        }
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets); // the wake-up that stopped the loop is spent; the commit still matters
        }
        offsets.forEach((tp, om) -> progress.get(tp).committed(om.offset()));
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            if (p == null) {
                continue;
            }
            long position = p.unfinished() == 0 ? consumer.position(tp) : -1L;
            long point = p.commitPoint(position);
            if (point >= 0) {
                out.put(tp, new OffsetAndMetadata(point));
            }
        }
        return out;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            applyDone();
            try {
                commitSync(List.copyOf(partitions));
            } catch (RuntimeException e) {
                LOG.warn("endpoint '{}': commit on revocation failed: {}", endpoint, e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(progress::remove);
            held.removeIf(h -> partitions.contains(new TopicPartition(h.record.topic(), h.record.partition())));
        }
    }
}
