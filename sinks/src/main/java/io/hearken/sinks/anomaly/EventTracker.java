package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import io.hearken.schemas.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The anomaly event lifecycle of one stream, shared by the topology and the offline evaluation:
 * <ul>
 *   <li>ONSET once {@code consecutive} windows in a row score over the threshold; the event's onset is the start of
 *       the first of them and its window ids start with theirs. One window at or below threshold restarts the count.</li>
 *   <li>While open, windows over threshold extend it; OFFSET once the windows have stayed at or below threshold for
 *       the hold-off (a window's end minus the end of the last window over threshold &gt;= hold-off); the offset time
 *       is the end of the last window over threshold.</li>
 *   <li>The last window of a stream closes an open event (closed by {@value #CLOSED_BY_END_OF_STREAM}) and forgets a
 *       partial run; {@link #close} closes it for other reasons (inactivity, reset).</li>
 * </ul>
 */
public final class EventTracker {
    public static final String CLOSED_BY_HOLD_OFF = "hold-off";
    public static final String CLOSED_BY_END_OF_STREAM = "end-of-stream";
    public static final String CLOSED_BY_INACTIVITY = "inactivity";
    public static final String CLOSED_BY_RESET = "reset";
    /** Keeps an event's state bounded for anomalies that last hours; the first windows are the evidence. */
    static final int MAX_WINDOW_IDS = 32;

    /**
     * What a window changed.
     *
     * @param offsetMicros null for an ONSET
     * @param closedBy     null for an ONSET
     */
    public record Emission(EventKind kind, long onsetMicros, Long offsetMicros, double peakScore, List<String> windowIds,
                           String closedBy) {
    }

    private final int consecutive;
    private final long holdOffMicros;

    public EventTracker(int consecutive, Duration holdOff) {
        if (consecutive < 1) {
            throw HearkenException.config("sinks.anomaly.consecutive must be >= 1, got " + consecutive);
        }
        if (holdOff == null || holdOff.isNegative()) {
            throw HearkenException.config("sinks.anomaly.hold.off.ms must be >= 0, got " + holdOff);
        }
        this.consecutive = consecutive;
        this.holdOffMicros = holdOff.toNanos() / 1000;
    }

    /** Advances {@code state} by one scored window; returns the events it causes (ONSET, OFFSET, or both at end of stream). */
    public List<Emission> step(TrackerState state, String windowId, long startMicros, long endMicros, double score,
                               boolean over, boolean endOfStream) {
        List<Emission> out = new ArrayList<>(2);
        state.lastWindowEndMicros = Math.max(state.lastWindowEndMicros, endMicros);
        if (over) {
            if (state.open) {
                state.lastOverEndMicros = Math.max(state.lastOverEndMicros, endMicros);
                state.peak = Math.max(state.peak, score);
                addId(state.windowIds, windowId);
            } else {
                if (state.overRun == 0) {
                    state.runStartMicros = startMicros;
                    state.runPeak = score;
                }
                state.overRun++;
                state.runPeak = Math.max(state.runPeak, score);
                addId(state.runWindowIds, windowId);
                if (state.overRun >= consecutive) {
                    state.open = true;
                    state.onsetMicros = state.runStartMicros;
                    state.lastOverEndMicros = endMicros;
                    state.peak = state.runPeak;
                    state.windowIds = new ArrayList<>(state.runWindowIds);
                    state.clearRun();
                    out.add(new Emission(EventKind.ONSET, state.onsetMicros, null, state.peak,
                            List.copyOf(state.windowIds), null));
                }
            }
        } else {
            state.clearRun();
            if (state.open && endMicros - state.lastOverEndMicros >= holdOffMicros) {
                out.add(offset(state, CLOSED_BY_HOLD_OFF));
                state.clear();
            }
        }
        if (endOfStream) {
            close(state, CLOSED_BY_END_OF_STREAM).ifPresent(out::add);
            state.clear();
        }
        return out;
    }

    /** Closes an open event now; forgets a partial run either way. */
    public Optional<Emission> close(TrackerState state, String closedBy) {
        Optional<Emission> emission = state.open ? Optional.of(offset(state, closedBy)) : Optional.empty();
        state.clear();
        return emission;
    }

    private static Emission offset(TrackerState state, String closedBy) {
        long offsetMicros = Math.min(state.lastOverEndMicros, state.lastWindowEndMicros);
        return new Emission(EventKind.OFFSET, state.onsetMicros, offsetMicros, state.peak, List.copyOf(state.windowIds),
                closedBy);
    }

    private static void addId(List<String> ids, String id) {
        if (ids.size() < MAX_WINDOW_IDS) {
            ids.add(id);
        }
    }
}
