package io.hearken.sinks.tags;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns one stream's windows into tag events: ONSET when a label's probability reaches the threshold, OFFSET once
 * it has stayed below for the hold-off, at end of stream, or when the stream goes silent (inactivity timeout).
 * Every ONSET is eventually closed by exactly one OFFSET.
 */
public final class TagLifecycleProcessor implements Processor<String, WindowResult, String, TagEvent> {
    static final String CLOSED_BY_HOLD_OFF = "hold-off";
    static final String CLOSED_BY_END_OF_STREAM = "end-of-stream";
    static final String CLOSED_BY_INACTIVITY = "inactivity";

    private final TagRules rules;
    private final String storeName;
    private ProcessorContext<String, TagEvent> context;
    private KeyValueStore<String, StreamTagState> store;

    public TagLifecycleProcessor(TagRules rules, String storeName) {
        this.rules = rules;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, TagEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // Checked often enough that a dead stream closes within a few seconds of its timeout.
        long everyMillis = Math.max(1000, rules.inactivityTimeout().toMillis() / 4);
        context.schedule(java.time.Duration.ofMillis(everyMillis), PunctuationType.WALL_CLOCK_TIME, this::closeInactive);
    }

    @Override
    public void process(Record<String, WindowResult> record) {
        WindowResult window = record.value();
        if (window == null) {
            return;
        }
        String streamId = window.getStreamId();
        StreamTagState state = store.get(streamId);
        if (state == null) {
            state = new StreamTagState();
        }
        state.remember(window.getSource());
        state.modelId = window.getModelId();
        state.lastWindowEndMicros = Math.max(state.lastWindowEndMicros, window.getWindowEndMicros());
        state.lastSeenWallClockMillis = context.currentSystemTimeMs();

        Map<String, ClassScore> above = new HashMap<>();
        for (ClassScore score : window.getClassScores()) {
            if (score.getScore() >= rules.threshold()) {
                above.put(score.getLabel(), score);
            }
        }
        for (ClassScore score : above.values()) {
            OpenTag tag = state.open.get(score.getLabel());
            if (tag == null) {
                tag = OpenTag.open(score.getIndex(), window.getWindowStartMicros(), window.getWindowEndMicros(),
                        score.getScore(), window.getWindowId());
                state.open.put(score.getLabel(), tag);
                emit(streamId, state, score.getLabel(), tag, EventKind.ONSET, null);
            } else {
                tag.support(window.getWindowEndMicros(), score.getScore(), window.getWindowId());
            }
        }
        long holdOffMicros = rules.holdOff().toNanos() / 1000;
        for (Iterator<Map.Entry<String, OpenTag>> it = state.open.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, OpenTag> entry = it.next();
            OpenTag tag = entry.getValue();
            boolean quietLongEnough = !above.containsKey(entry.getKey())
                    && window.getWindowEndMicros() - tag.lastAboveEndMicros >= holdOffMicros;
            if (quietLongEnough || window.getEndOfStream()) {
                emit(streamId, state, entry.getKey(), tag, EventKind.OFFSET,
                        window.getEndOfStream() && !quietLongEnough ? CLOSED_BY_END_OF_STREAM : CLOSED_BY_HOLD_OFF);
                it.remove();
            }
        }
        if (window.getEndOfStream()) {
            store.delete(streamId); // a finished stream leaves no state behind
        } else {
            store.put(streamId, state);
        }
    }

    private void closeInactive(long nowMillis) {
        List<KeyValue<String, StreamTagState>> idle = new ArrayList<>();
        try (KeyValueIterator<String, StreamTagState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, StreamTagState> entry = all.next();
                if (nowMillis - entry.value.lastSeenWallClockMillis >= rules.inactivityTimeout().toMillis()) {
                    idle.add(entry);
                }
            }
        }
        for (KeyValue<String, StreamTagState> entry : idle) {
            for (Map.Entry<String, OpenTag> tag : entry.value.open.entrySet()) {
                emit(entry.key, entry.value, tag.getKey(), tag.getValue(), EventKind.OFFSET, CLOSED_BY_INACTIVITY);
            }
            store.delete(entry.key);
        }
    }

    private void emit(String streamId, StreamTagState state, String label, OpenTag tag, EventKind kind, String closedBy) {
        boolean offset = kind == EventKind.OFFSET;
        long offsetMicros = Math.min(tag.lastAboveEndMicros, state.lastWindowEndMicros);
        TagEvent event = TagEvent.newBuilder()
                .setEventId(streamId + "/" + label + "/" + tag.onsetMicros + "/" + kind)
                .setStreamId(streamId)
                .setKind(kind)
                .setLabel(label)
                .setClassIndex(tag.classIndex)
                .setOnsetMicros(tag.onsetMicros)
                .setOffsetMicros(offset ? offsetMicros : null)
                .setPeakScore(tag.peakScore)
                .setMeanScore(tag.meanScore())
                .setWindowIds(List.copyOf(tag.windowIds))
                .setClosedBy(closedBy)
                .setModelId(state.modelId)
                .setSource(state.source())
                .build();
        long timestampMillis = (offset ? offsetMicros : tag.onsetMicros) / 1000;
        context.forward(new Record<>(streamId, event, timestampMillis));
    }
}
