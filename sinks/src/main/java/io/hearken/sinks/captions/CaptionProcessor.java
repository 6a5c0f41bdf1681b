package io.hearken.sinks.captions;

import io.hearken.sinks.common.PerStreamState;
import io.hearken.sinks.common.StoreScans;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.sinks.tags.TagLifecycleProcessor;
import io.hearken.sinks.tags.TagTracker;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Windows of each stream → {@link CaptionTracker} spans → one {@link CaptionEvent} per span from the {@link Captioner}. */
public final class CaptionProcessor implements Processor<String, WindowResult, String, CaptionEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptionProcessor.class);

    private final CaptionTracker tracker;
    private final Captioner captioner;
    private final String storeName;
    private ProcessorContext<String, CaptionEvent> context;
    private KeyValueStore<String, CaptionStreamState> store;

    public CaptionProcessor(CaptionTracker tracker, Captioner captioner, String storeName) {
        this.tracker = tracker;
        this.captioner = captioner;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, CaptionEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(TagLifecycleProcessor.inactivityCheckInterval(tracker.rules()), PunctuationType.WALL_CLOCK_TIME,
                this::finishInactive);
    }

    @Override
    public void process(Record<String, WindowResult> record) {
        WindowResult window = record.value();
        if (window == null) {
            return;
        }
        PerStreamState.update(store, window, CaptionStreamState::new,
                state -> tracker.onWindow(state, window, context.currentSystemTimeMs()).ifPresent(t -> emit(state, t)));
    }

    private void finishInactive(long nowMillis) {
        List<KeyValue<String, CaptionStreamState>> idle = StoreScans.matching(store, (id, state) -> tracker.inactive(id, state, nowMillis));
        for (KeyValue<String, CaptionStreamState> entry : idle) {
            tracker.finish(entry.key, entry.value, TagTracker.CLOSED_BY_INACTIVITY).ifPresent(t -> emit(entry.value, t));
            store.delete(entry.key);
        }
    }

    private void emit(CaptionStreamState state, TagTimeline span) {
        String text;
        try {
            text = captioner.caption(span);
        } catch (RuntimeException e) {
            // A captioner (a model, later) that fails on one span must not stop every stream's captions.
            LOG.warn("captioner {} failed on {} [{}, {}]: {}", captioner.name(), span.streamId(), span.startMicros(),
                    span.endMicros(), e.toString());
            return;
        }
        if (text == null || text.isBlank()) {
            return;
        }
        CaptionEvent event = CaptionEvent.newBuilder()
                .setEventId(span.streamId() + "/caption/" + span.startMicros())
                .setStreamId(span.streamId())
                .setStartMicros(span.startMicros())
                .setEndMicros(span.endMicros())
                .setCaption(text)
                .setCaptioner(captioner.name())
                .setSource(state.tags.source())
                .build();
        context.forward(new Record<>(span.streamId(), event, span.endMicros() / 1000));
    }
}
