package io.hearken.sinks.captions;

import io.hearken.schemas.EventKind;
import io.hearken.schemas.WindowResult;
import io.hearken.sinks.tags.OpenTag;
import io.hearken.sinks.tags.TagRules;
import io.hearken.sinks.tags.TagTracker;
import io.hearken.sinks.tags.TagTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cuts a stream's windows into captioned spans, as plain logic free of Kafka. The tags come from the same
 * {@link TagTracker} lifecycle (and rules) as the tag sink, so captions speak of the tag events users see; windows
 * also give what tag events do not carry: loudness, the audio clock, and end of stream when no tag is open.
 *
 * <p>A span ends (and is returned for captioning) when it holds {@link CaptionSettings#period()} of audio, when a
 * burst ends (a tag closed by its hold-off and none is left open), at end of stream, on inactivity, or when it holds
 * {@value #MAX_ENTRIES} closed tags (bounded state). Spans without any tag are returned only with
 * {@link CaptionSettings#emitEmpty()}. A tag still open at a cut appears in both spans, clipped to each.
 */
public final class CaptionTracker {
    static final int MAX_ENTRIES = 64;

    private final TagTracker tags;
    private final CaptionSettings settings;

    public CaptionTracker(TagRules rules, CaptionSettings settings) {
        this.tags = new TagTracker(rules);
        this.settings = settings;
    }

    public TagRules rules() {
        return tags.rules();
    }

    /** Applies one window; returns the span it completes, if any. At end of stream the state may be dropped. */
    public Optional<TagTimeline> onWindow(CaptionStreamState state, WindowResult window, long wallClockMillis) {
        if (!state.started) {
            state.started = true;
            state.spanStartMicros = window.getWindowStartMicros();
        }
        boolean burstEnded = false;
        for (TagTransition t : tags.onWindow(state.tags, window, wallClockMillis)) {
            if (t.kind() == EventKind.OFFSET) {
                state.closed.add(entry(t.label(), t.tag(), t.offsetMicros(), false));
                burstEnded |= TagTracker.CLOSED_BY_HOLD_OFF.equals(t.closedBy());
            }
        }
        state.loudnessSum += window.getLoudnessDbfs();
        state.windows++;
        burstEnded &= settings.onBurstEnd() && state.tags.open.isEmpty();
        long end = Math.max(window.getWindowEndMicros(), state.spanStartMicros);
        if (window.getEndOfStream() || burstEnded || end - state.spanStartMicros >= settings.periodMicros()
                || state.closed.size() >= MAX_ENTRIES) {
            return cut(state, window.getStreamId(), end);
        }
        return Optional.empty();
    }

    /** Closes a stream that stopped (inactivity): its open tags end and the last span is returned. */
    public Optional<TagTimeline> finish(String streamId, CaptionStreamState state, String closedBy) {
        for (TagTransition t : tags.closeAll(state.tags, closedBy)) {
            state.closed.add(entry(t.label(), t.tag(), t.offsetMicros(), false));
        }
        return cut(state, streamId, Math.max(state.tags.lastWindowEndMicros, state.spanStartMicros));
    }

    public boolean inactive(String streamId, CaptionStreamState state, long nowMillis) {
        return tags.inactive(streamId, state.tags, nowMillis);
    }

    private Optional<TagTimeline> cut(CaptionStreamState state, String streamId, long end) {
        long start = state.spanStartMicros;
        List<TimelineTag> timeline = new ArrayList<>();
        for (TimelineTag t : state.closed) {
            clip(t, start, end, timeline);
        }
        for (Map.Entry<String, OpenTag> open : state.tags.open.entrySet()) {
            OpenTag tag = open.getValue();
            clip(entry(open.getKey(), tag, Math.min(tag.lastAboveEndMicros, end), true), start, end, timeline);
        }
        timeline.sort(Comparator.comparingLong(TimelineTag::onsetMicros).thenComparing(TimelineTag::label));
        float loudness = state.windows == 0 ? Float.NaN : (float) (state.loudnessSum / state.windows);
        state.closed.clear();
        state.loudnessSum = 0;
        state.windows = 0;
        state.spanStartMicros = end;
        if (timeline.isEmpty() && !settings.emitEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TagTimeline(streamId, start, end, timeline, loudness));
    }

    private static void clip(TimelineTag t, long start, long end, List<TimelineTag> out) {
        long onset = Math.max(t.onsetMicros(), start);
        long offset = Math.min(t.offsetMicros(), end);
        if (offset > onset) { // a tag described as ongoing in the previous span and closed since adds nothing
            out.add(new TimelineTag(t.label(), t.classIndex(), onset, offset, t.peakScore(), t.meanScore(),
                    t.loudnessDbfs(), t.windows(), t.ongoing()));
        }
    }

    private static TimelineTag entry(String label, OpenTag tag, long offsetMicros, boolean ongoing) {
        return new TimelineTag(label, tag.classIndex, tag.onsetMicros, offsetMicros, tag.peakScore, tag.meanScore(),
                tag.meanLoudnessDbfs(), tag.windows, ongoing);
    }

    /**
     * The whole timeline of a finite stream in one span (no periodic or burst cuts), as the caption sink's tag
     * lifecycle sees it: for offline use (captioning a file's windows).
     */
    public static TagTimeline wholeTimeline(TagRules rules, List<WindowResult> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows");
        }
        CaptionTracker tracker = new CaptionTracker(rules,
                new CaptionSettings(Duration.ofDays(365), false, true, CaptionSettings.defaults().grammar()));
        CaptionStreamState state = new CaptionStreamState();
        Optional<TagTimeline> span = Optional.empty();
        for (WindowResult w : windows) {
            span = tracker.onWindow(state, w, 0L);
        }
        return span.orElseGet(() -> tracker.finish(windows.get(0).getStreamId(), state, TagTracker.CLOSED_BY_END_OF_STREAM).orElseThrow());
    }
}
