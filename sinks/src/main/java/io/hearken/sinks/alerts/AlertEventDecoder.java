package io.hearken.sinks.alerts;

import io.hearken.schemas.topics.HearkenTopics;
import org.apache.kafka.common.errors.SerializationException;

/** Reads an event topic's value bytes (Confluent Avro) into an {@link AlertEvent}. */
final class AlertEventDecoder {
    private final HearkenTopics topics;

    AlertEventDecoder(HearkenTopics topics) {
        this.topics = topics;
    }

    AlertEvent decode(String topic, byte[] value) {
        AlertEventType type = AlertEventType.forTopic(topic)
                .orElseThrow(() -> new SerializationException("topic " + topic + " is not an event topic"));
        switch (type) {
            case TAG:
                return AlertEvent.of(topics.tags.valueSerde().deserializer().deserialize(topic, value));
            case ANOMALY:
                return AlertEvent.of(topics.anomalies.valueSerde().deserializer().deserialize(topic, value));
            case CAPTION:
                return AlertEvent.of(topics.captions.valueSerde().deserializer().deserialize(topic, value));
            default:
                throw new IllegalStateException("unhandled event type " + type);
        }
    }
}
