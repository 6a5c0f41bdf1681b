package io.hearken.sinks.alerts;

/**
 * Where an event was read: its topic, partition and offset (the consumer commits by these) and its original key and
 * value bytes (carried into a dead letter so it can be replayed). Key and value may be null outside Kafka.
 */
public record EventOrigin(String topic, int partition, long offset, byte[] key, byte[] value) {

    public static EventOrigin of(String topic, int partition, long offset) {
        return new EventOrigin(topic, partition, offset, null, null);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
