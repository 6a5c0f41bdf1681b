package io.hearken.sinks.anomaly;

import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.common.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * hearken.audio.windows + hearken.control.anomaly → enrolment / monitoring per machine group →
 * hearken.events.anomalies.
 *
 * <p>Windows of the monitored profiles and control records are reduced to {@link AnomalyInput}s, re-keyed by machine
 * group and repartitioned ({@value #REPARTITION} internal topic), so that a group's bank lives in one task even when
 * its streams, or a control record, arrive on different partitions. State: {@value #GROUP_STORE} (phase,
 * standardisation, threshold per group), {@value #BANK_STORE} (the bounded bank, one entry per reservoir slot:
 * key {@code <group>\0<slot>}) and {@value #STREAM_STORE} (event lifecycle per stream); all persistent and
 * changelogged, JSON values.
 */
public final class AnomalyTopology {
    public static final String GROUP_STORE = "anomaly-groups";
    public static final String BANK_STORE = "anomaly-bank";
    public static final String STREAM_STORE = "anomaly-streams";
    /** Name of the repartition step; the internal topic is {@code <application.id>-anomaly-by-group-repartition}. */
    public static final String REPARTITION = "anomaly-by-group";
    private static final String PROCESSOR = "anomaly-lifecycle";

    private AnomalyTopology() {
    }

    public static Topology buildTopology(HearkenTopics topics, AnomalySettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE), Serdes.String(),
                new JsonSerde<>(GroupState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BANK_STORE), Serdes.String(),
                new JsonSerde<>(EnrolmentVector.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STREAM_STORE), Serdes.String(),
                new JsonSerde<>(StreamAnomalyState.class)));

        KStream<String, AnomalyInput> windows = builder
                .stream(topics.windows.name(), Consumed.with(topics.windows.keySerde(), topics.windows.valueSerde())
                        .withName("anomaly-windows-source"))
                .flatMapValues(w -> AnomalyInput.of(w, settings).stream().toList(), Named.as("anomaly-window-input"));
        KStream<String, AnomalyInput> controls = builder
                .stream(topics.anomalyControl.name(), Consumed.with(topics.anomalyControl.keySerde(),
                        topics.anomalyControl.valueSerde()).withName("anomaly-control-source"))
                .flatMapValues(c -> AnomalyInput.of(c, settings).stream().toList(), Named.as("anomaly-control-input"));
        windows.merge(controls, Named.as("anomaly-inputs"))
                .selectKey((key, in) -> in.group, Named.as("anomaly-key-by-group"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(AnomalyInput.class)).withName(REPARTITION))
                .process(() -> new AnomalyProcessor(settings), Named.as(PROCESSOR), GROUP_STORE, BANK_STORE, STREAM_STORE)
                .to(topics.anomalies.name(), Produced.with(topics.anomalies.keySerde(), topics.anomalies.valueSerde())
                        .withName("anomalies-sink"));
        return builder.build();
    }
}
