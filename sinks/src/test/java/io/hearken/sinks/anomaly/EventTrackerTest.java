package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTrackerTest {
    private static final long SECOND = 1_000_000L;
    private final EventTracker tracker = new EventTracker(3, Duration.ofSeconds(2));
    private final TrackerState state = new TrackerState();
    private int index;

    /** The next 1 s window (0.5 s hop) with this score; over when score > 10. */
    private List<EventTracker.Emission> next(double score) {
        return next(score, false);
    }

    private List<EventTracker.Emission> next(double score, boolean last) {
        long start = index * SECOND / 2;
        int i = index++;
        return tracker.step(state, "w" + i, start, start + SECOND, score, score > 10, last);
    }

    @Test
    void onsetAfterMConsecutiveWindowsOverThreshold() {
        assertThat(next(11)).isEmpty();
        assertThat(next(12)).isEmpty();
        assertThat(next(5)).isEmpty();            // the run breaks
        assertThat(next(11)).isEmpty();           // w3
        assertThat(next(15)).isEmpty();           // w4
        List<EventTracker.Emission> onset = next(13); // w5: third in a row
        assertThat(onset).hasSize(1);
        EventTracker.Emission e = onset.get(0);
        assertThat(e.kind()).isEqualTo(EventKind.ONSET);
        assertThat(e.onsetMicros()).isEqualTo(3 * SECOND / 2); // start of w3
        assertThat(e.peakScore()).isEqualTo(15);
        assertThat(e.windowIds()).containsExactly("w3", "w4", "w5");
        assertThat(e.offsetMicros()).isNull();
        assertThat(next(20)).isEmpty();           // extends the open event
    }

    @Test
    void offsetAfterTheHoldOffBelowThreshold() {
        next(11);
        next(11);
        next(11);                                 // ONSET; w2 = [1, 2) s
        next(30);                                 // w3 = [1.5, 2.5): last over
        assertThat(next(1)).isEmpty();            // end 3.0: 0.5 s below
        assertThat(next(1)).isEmpty();            // 3.5
        assertThat(next(12)).isEmpty();           // a window over again within the hold-off: still one event
        assertThat(next(1)).isEmpty();            // w7 end 4.5, last over ends 4.0
        assertThat(next(1)).isEmpty();            // 5.0
        assertThat(next(1)).isEmpty();            // 5.5
        List<EventTracker.Emission> offset = next(1); // end 6.0 = 4.0 + 2 s hold-off
        assertThat(offset).hasSize(1);
        EventTracker.Emission e = offset.get(0);
        assertThat(e.kind()).isEqualTo(EventKind.OFFSET);
        assertThat(e.offsetMicros()).isEqualTo(4 * SECOND);
        assertThat(e.peakScore()).isEqualTo(30);
        assertThat(e.closedBy()).isEqualTo(EventTracker.CLOSED_BY_HOLD_OFF);
        assertThat(e.windowIds()).containsExactly("w0", "w1", "w2", "w3", "w6");
        assertThat(state.open).isFalse();
    }

    @Test
    void endOfStreamClosesAnOpenEventAndForgetsAPartialRun() {
        next(11);
        next(11);
        List<EventTracker.Emission> both = next(11, true); // ONSET and, as the stream ends, OFFSET
        assertThat(both).extracting(EventTracker.Emission::kind).containsExactly(EventKind.ONSET, EventKind.OFFSET);
        assertThat(both.get(1).closedBy()).isEqualTo(EventTracker.CLOSED_BY_END_OF_STREAM);
        assertThat(both.get(1).offsetMicros()).isEqualTo(2 * SECOND);

        next(11);
        next(11);
        assertThat(next(1, true)).isEmpty();      // two over, then the end: no event
        assertThat(state.overRun).isZero();
    }

    @Test
    void closeReportsTheReasonAndWindowIdsStayBounded() {
        List<EventTracker.Emission> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.addAll(next(11));
        }
        assertThat(all).hasSize(1);
        EventTracker.Emission offset = tracker.close(state, EventTracker.CLOSED_BY_INACTIVITY).orElseThrow();
        assertThat(offset.closedBy()).isEqualTo(EventTracker.CLOSED_BY_INACTIVITY);
        assertThat(offset.windowIds()).hasSize(EventTracker.MAX_WINDOW_IDS);
        assertThat(tracker.close(state, EventTracker.CLOSED_BY_INACTIVITY)).isEmpty();
    }

    @Test
    void mOfOneOpensOnTheFirstWindow() {
        EventTracker one = new EventTracker(1, Duration.ZERO);
        TrackerState s = new TrackerState();
        assertThat(one.step(s, "a", 0, SECOND, 11, true, false)).extracting(EventTracker.Emission::kind)
                .containsExactly(EventKind.ONSET);
        assertThat(one.step(s, "b", SECOND / 2, 3 * SECOND / 2, 1, false, false)).extracting(EventTracker.Emission::kind)
                .containsExactly(EventKind.OFFSET);
    }
}
