package io.hearken.sinks.tags;

import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.common.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * hearken.audio.windows → tag lifecycle per stream → hearken.events.tags. Other sinks that read windows (captions)
 * can hang their processors under {@link #SOURCE} of the same topology: a topic has one source per topology.
 */
public final class TagEventTopology {
    public static final String STORE = "tag-open-events";
    public static final String SOURCE = "windows-source";
    private static final String PROCESSOR = "tag-lifecycle";
    private static final String SINK = "tags-sink";

    private TagEventTopology() {
    }

    public static Topology buildTopology(HearkenTopics topics, TagRules rules) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, topics.windows.keySerde().deserializer(), topics.windows.valueSerde().deserializer(),
                topics.windows.name());
        topology.addProcessor(PROCESSOR, () -> new TagLifecycleProcessor(rules, STORE), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(StreamTagState.class)), PROCESSOR);
        topology.addSink(SINK, topics.tags.name(), topics.tags.keySerde().serializer(),
                topics.tags.valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
