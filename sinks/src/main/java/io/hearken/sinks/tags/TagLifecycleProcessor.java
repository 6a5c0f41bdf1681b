package io.hearken.sinks.tags;

import io.hearken.sinks.common.PerStreamState;
import io.hearken.sinks.common.StoreScans;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns one stream's windows into tag events by {@link TagTracker}: ONSET once a label was heard in K consecutive
 * windows, OFFSET once it has not been heard for the hold-off, at end of stream, or when the stream goes silent
 * (inactivity timeout). Every ONSET is eventually closed by exactly one OFFSET, and a finished stream leaves no state.
 */
public final class TagLifecycleProcessor implements Processor<String, WindowResult, String, TagEvent> {
    static final String CLOSED_BY_HOLD_OFF = TagTracker.CLOSED_BY_HOLD_OFF;
    static final String CLOSED_BY_END_OF_STREAM = TagTracker.CLOSED_BY_END_OF_STREAM;
    static final String CLOSED_BY_INACTIVITY = TagTracker.CLOSED_BY_INACTIVITY;

    private final TagTracker tracker;
    private final String storeName;
    private ProcessorContext<String, TagEvent> context;
    private KeyValueStore<String, StreamTagState> store;

    public TagLifecycleProcessor(TagRules rules, String storeName) {
        this.tracker = new TagTracker(rules);
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, TagEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(inactivityCheckInterval(tracker.rules()), PunctuationType.WALL_CLOCK_TIME, this::closeInactive);
    }

    /** Checked often enough that a dead stream closes within a few seconds of its timeout. */
    public static Duration inactivityCheckInterval(TagRules rules) {
        return Duration.ofMillis(Math.max(1000, rules.shortestInactivityTimeout().toMillis() / 4));
    }

    @Override
    public void process(Record<String, WindowResult> record) {
        WindowResult window = record.value();
        if (window == null) {
            return;
        }
        PerStreamState.update(store, window, StreamTagState::new, state -> {
            for (TagTransition t : tracker.onWindow(state, window, context.currentSystemTimeMs())) {
                emit(window.getStreamId(), state, t);
            }
        });
    }

    private void closeInactive(long nowMillis) {
        List<KeyValue<String, StreamTagState>> idle = StoreScans.matching(store, (id, state) -> tracker.inactive(id, state, nowMillis));
        for (KeyValue<String, StreamTagState> entry : idle) {
            for (TagTransition t : tracker.closeAll(entry.value, CLOSED_BY_INACTIVITY)) {
                emit(entry.key, entry.value, t);
            }
            store.delete(entry.key);
        }
    }

    private void emit(String streamId, StreamTagState state, TagTransition t) {
        TagEvent event = toEvent(streamId, state, t);
        long timestampMillis = (t.kind() == EventKind.OFFSET ? t.offsetMicros() : t.tag().onsetMicros) / 1000;
        context.forward(new Record<>(streamId, event, timestampMillis));
    }

    /** The event of a transition: stable id {@code <stream>/<label>/<onsetMicros>/<kind>}, evidence and source. */
    public static TagEvent toEvent(String streamId, StreamTagState state, TagTransition t) {
        OpenTag tag = t.tag();
        boolean offset = t.kind() == EventKind.OFFSET;
        return TagEvent.newBuilder()
                .setEventId(streamId + "/" + t.label() + "/" + tag.onsetMicros + "/" + t.kind())
                .setStreamId(streamId)
                .setKind(t.kind())
                .setLabel(t.label())
                .setClassIndex(tag.classIndex)
                .setOnsetMicros(tag.onsetMicros)
                .setOffsetMicros(offset ? t.offsetMicros() : null)
                .setPeakScore(tag.peakScore)
                .setMeanScore(tag.meanScore())
                .setWindowIds(List.copyOf(tag.windowIds))
                .setClosedBy(offset ? t.closedBy() : null)
                .setModelId(state.modelId)
                .setSource(state.source())
                .build();
    }
}
