package io.hearken.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

/** A Kafka topic with the serdes of its key and value: the one place that says how a topic is read and written. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
