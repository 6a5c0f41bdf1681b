package io.hearken.platform;

import io.hearken.schemas.topics.Topic;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Consumers that read a whole topic as observers: every partition assigned (no group), from the beginning. */
public final class TopicReaders {
    private TopicReaders() {
    }

    /** @param isolation {@code read_committed} (what applications see) or {@code read_uncommitted} */
    public static <V> KafkaConsumer<String, V> fromBeginning(String bootstrapServers, Topic<String, V> topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        // Assigned, not subscribed: no group rebalance to wait for, and nothing committed on anyone's behalf.
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
