package io.hearken.sinks.captions;

import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.common.JsonSerde;
import io.hearken.sinks.tags.TagRules;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * hearken.audio.windows → caption spans per stream → hearken.events.captions.
 *
 * <p>It reads windows, not hearken.events.tags: captions need the windows' loudness, an audio clock that runs when
 * no tag changes ("every 10 s of audio"), and end of stream when no tag is open; none of that is on tag events. It
 * runs the tag sink's own lifecycle ({@link io.hearken.sinks.tags.TagTracker}) with the same {@link TagRules}, so a
 * caption speaks of exactly the tags whose events users see.
 */
public final class CaptionTopology {
    public static final String STORE = "caption-spans";
    private static final String SOURCE = "caption-windows-source";
    private static final String PROCESSOR = "captions";
    private static final String SINK = "captions-sink";

    private CaptionTopology() {
    }

    /** A topology of its own (run it under its own application id, e.g. hearken-sinks-captions). */
    public static Topology buildTopology(HearkenTopics topics, TagRules rules, CaptionSettings settings, Captioner captioner) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, topics.windows.keySerde().deserializer(), topics.windows.valueSerde().deserializer(),
                topics.windows.name());
        return attach(topology, SOURCE, topics, rules, settings, captioner);
    }

    /**
     * Adds the caption processor under an existing source of hearken.audio.windows, e.g.
     * {@link io.hearken.sinks.tags.TagEventTopology#SOURCE}, so tags and captions run in one application.
     */
    public static Topology attach(Topology topology, String windowsSource, HearkenTopics topics, TagRules rules,
                                  CaptionSettings settings, Captioner captioner) {
        CaptionTracker tracker = new CaptionTracker(rules, settings);
        topology.addProcessor(PROCESSOR, () -> new CaptionProcessor(tracker, captioner, STORE), windowsSource);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(CaptionStreamState.class)), PROCESSOR);
        topology.addSink(SINK, topics.captions.name(), topics.captions.keySerde().serializer(),
                topics.captions.valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
