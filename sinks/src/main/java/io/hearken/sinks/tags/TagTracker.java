package io.hearken.sinks.tags;

import io.hearken.schemas.EventKind;
import io.hearken.schemas.WindowResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tag lifecycle of one stream as plain logic, free of Kafka: the tag sink turns its transitions into events, the
 * caption sink into a timeline, and offline tools can run it over a file's windows.
 *
 * <p>A window <em>hears</em> a label when the label's score (for a group: the best member's) is at or above the
 * label's threshold and the window is at least as loud as its gate. An ONSET comes once K consecutive windows heard
 * the label (the onset time is the start of the first of them); the tag then stays open while windows keep hearing
 * it, and an OFFSET closes it once it has not been heard for the hold-off ({@code max_not_heard}, audio time from the
 * end of the last window that heard it), at end of stream, or on inactivity. A window that does not hear a pending
 * label resets its count. Every ONSET is followed by exactly one OFFSET.
 */
public final class TagTracker {
    public static final String CLOSED_BY_HOLD_OFF = "hold-off";
    public static final String CLOSED_BY_END_OF_STREAM = "end-of-stream";
    public static final String CLOSED_BY_INACTIVITY = "inactivity";

    private final TagRules rules;

    public TagTracker(TagRules rules) {
        this.rules = rules;
    }

    public TagRules rules() {
        return rules;
    }

    /**
     * Applies one window of the stream; returns the onsets, then the offsets, it causes. At end of stream every
     * open tag is closed and nothing stays pending: the caller may drop the state.
     */
    public List<TagTransition> onWindow(StreamTagState state, WindowResult window, long wallClockMillis) {
        StreamRules streamRules = rules.forStream(window.getStreamId());
        state.remember(window.getSource());
        state.modelId = window.getModelId();
        state.lastWindowEndMicros = Math.max(state.lastWindowEndMicros, window.getWindowEndMicros());
        state.lastSeenWallClockMillis = wallClockMillis;

        Map<String, StreamRules.Candidate> heard = new TreeMap<>();
        for (StreamRules.Candidate c : streamRules.candidates(window).values()) {
            LabelRule rule = streamRules.rule(c.label());
            if (c.score() >= rule.threshold() && window.getLoudnessDbfs() >= rule.minLoudnessDbfs()) {
                heard.put(c.label(), c);
            }
        }

        List<TagTransition> transitions = new ArrayList<>();
        for (StreamRules.Candidate c : heard.values()) {
            OpenTag tag = state.open.get(c.label());
            if (tag != null) {
                tag.support(window.getWindowEndMicros(), c.score(), window.getLoudnessDbfs(), window.getWindowId(), c.classIndex());
                continue;
            }
            OpenTag pending = state.pending.get(c.label());
            if (pending == null) {
                pending = OpenTag.open(c.classIndex(), window.getWindowStartMicros(), window.getWindowEndMicros(),
                        c.score(), window.getLoudnessDbfs(), window.getWindowId());
            } else {
                pending.support(window.getWindowEndMicros(), c.score(), window.getLoudnessDbfs(), window.getWindowId(), c.classIndex());
            }
            if (pending.windows >= streamRules.rule(c.label()).onsetWindows()) {
                state.pending.remove(c.label());
                state.open.put(c.label(), pending);
                transitions.add(new TagTransition(c.label(), EventKind.ONSET, pending, null, 0L));
            } else {
                state.pending.put(c.label(), pending);
            }
        }
        state.pending.keySet().removeIf(label -> !heard.containsKey(label)); // K must be consecutive

        List<TagTransition> offsets = new ArrayList<>();
        for (Iterator<Map.Entry<String, OpenTag>> it = state.open.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, OpenTag> entry = it.next();
            OpenTag tag = entry.getValue();
            boolean quietLongEnough = !heard.containsKey(entry.getKey())
                    && window.getWindowEndMicros() - tag.lastAboveEndMicros >= streamRules.rule(entry.getKey()).maxNotHeardMicros();
            if (quietLongEnough || window.getEndOfStream()) {
                offsets.add(offset(state, entry.getKey(), tag,
                        quietLongEnough ? CLOSED_BY_HOLD_OFF : CLOSED_BY_END_OF_STREAM));
                it.remove();
            }
        }
        if (window.getEndOfStream()) {
            state.pending.clear();
        }
        transitions.addAll(inOnsetOrder(offsets));
        return transitions;
    }

    /** Closes every open tag of a stream (inactivity, shutdown of a stream); pending onsets are dropped. */
    public List<TagTransition> closeAll(StreamTagState state, String closedBy) {
        List<TagTransition> transitions = new ArrayList<>();
        for (Map.Entry<String, OpenTag> entry : state.open.entrySet()) {
            transitions.add(offset(state, entry.getKey(), entry.getValue(), closedBy));
        }
        state.open.clear();
        state.pending.clear();
        return inOnsetOrder(transitions);
    }

    /** Offsets in the order their tags opened (then by label): the same whatever map the state was read into. */
    private static List<TagTransition> inOnsetOrder(List<TagTransition> offsets) {
        offsets.sort(Comparator.comparingLong((TagTransition t) -> t.tag().onsetMicros).thenComparing(TagTransition::label));
        return offsets;
    }

    /** Whether the stream has been silent (wall clock) for longer than its inactivity timeout. */
    public boolean inactive(String streamId, StreamTagState state, long nowMillis) {
        return nowMillis - state.lastSeenWallClockMillis >= rules.forStream(streamId).inactivityTimeout().toMillis();
    }

    private static TagTransition offset(StreamTagState state, String label, OpenTag tag, String closedBy) {
        return new TagTransition(label, EventKind.OFFSET, tag, closedBy, Math.min(tag.lastAboveEndMicros, state.lastWindowEndMicros));
    }
}
