package io.hearken.sinks.alerts;

import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.topics.HearkenTopics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Dead letters on hearken.dlq, keyed by the original record's key bytes, the value in the registry's Avro format.
 * {@code send} can block (metadata, a full buffer), so it runs on a thread of its own: never on an endpoint's HTTP
 * thread or the shared retry timer.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink, AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final HearkenTopics topics;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hearken-alerts-dlq");
        t.setDaemon(true);
        return t;
    });

    public KafkaDeadLetterSink(Producer<byte[], byte[]> producer, HearkenTopics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    @Override
    public CompletableFuture<Void> publish(EventOrigin origin, DeadLetter letter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    String topic = topics.deadLetters.name();
                    byte[] value = topics.deadLetters.valueSerde().serializer().serialize(topic, letter);
                    producer.send(new ProducerRecord<>(topic, origin.key(), value), (meta, err) -> {
                        if (err == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(err);
                        }
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) { // rejected: closed
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Stops taking dead letters and flushes those sent; does not close the producer (its owner does). */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }
}
