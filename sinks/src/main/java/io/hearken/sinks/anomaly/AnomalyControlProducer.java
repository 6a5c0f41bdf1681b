package io.hearken.sinks.anomaly;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes control records (enrol vectors, finish enrolment, reset) to the running anomaly sink on
 * {@code hearken.control.anomaly}, keyed by stream id: idempotent, acks=all, each record acknowledged before the
 * next is sent, so records arrive in order and a failure names the point reached.
 */
public final class AnomalyControlProducer implements AutoCloseable {
    private final Producer<String, AnomalyControl> producer;
    private final Topic<String, AnomalyControl> topic;
    private final String bootstrapServers;
    private final Duration timeout;

    AnomalyControlProducer(Producer<String, AnomalyControl> producer, Topic<String, AnomalyControl> topic,
                           String bootstrapServers, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** A producer for the control topic; {@code timeout} bounds the wait for each record's acknowledgement. */
    public static AnomalyControlProducer create(String bootstrapServers, Topic<String, AnomalyControl> topic,
                                                Duration timeout) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hearken-anomaly-control");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try {
            return new AnomalyControlProducer(new KafkaProducer<>(props, topic.keySerde().serializer(),
                    topic.valueSerde().serializer()), topic, bootstrapServers, timeout);
        } catch (KafkaException e) {
            // The constructor does not connect: what fails here is the configuration (unparsable addresses, ...).
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new HearkenException(ErrorKind.CONFIG, "bootstrap servers '" + bootstrapServers + "': "
                    + cause.getMessage(), e);
        }
    }

    public String topicName() {
        return topic.name();
    }

    /** Sends the records in order, waiting for each; TRANSIENT when the broker does not acknowledge in time. */
    public void publish(List<AnomalyControl> records) {
        try {
            for (AnomalyControl record : records) {
                producer.send(new ProducerRecord<>(topic.name(), record.getStreamId(), record))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearkenException(ErrorKind.TRANSIENT, "interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new HearkenException(ErrorKind.TRANSIENT, "cannot publish to " + topic.name() + " at "
                    + bootstrapServers + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
