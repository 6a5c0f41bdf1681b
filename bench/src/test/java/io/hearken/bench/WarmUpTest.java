package io.hearken.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windows are fed in time order, one a second, as the bench sees them; the questions are asked as time passes. */
class WarmUpTest {
    private static final long S = 1_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final long LATE_MS = 1_000;
    private static final long QUIET_MS = 10_000;

    /** Windows seen at seconds from..to after T0, each {@code lagMillis} late. */
    private static void seen(WarmUp w, long from, long to, long lagMillis) {
        for (long t = from; t <= to; t++) {
            w.windowSeen(T0 + t * S, lagMillis);
        }
    }

    @Test
    void caughtUpTenSecondsAfterTheLastLateWindowWhileWindowsArrive() {
        WarmUp w = new WarmUp(T0, T0, T0 + 300 * S, LATE_MS, QUIET_MS);
        seen(w, 1, 4, 300);
        seen(w, 5, 5, 1_200);
        seen(w, 6, 14, 300);
        assertThat(w.caughtUp(T0 + 15 * S - 1)).isFalse();
        seen(w, 15, 15, 300);
        assertThat(w.caughtUp(T0 + 15 * S)).isTrue();
        // Then windows stop arriving: not caught up (a stalled job emits no late windows either).
        seen(w, 16, 30, 300);
        assertThat(w.caughtUp(T0 + 31 * S - 1)).isTrue();
        assertThat(w.caughtUp(T0 + 31 * S)).isFalse();
    }

    @Test
    void aWindowAtTheLimitIsNotLateAndTheQuietPeriodCountsFromTheStart() {
        WarmUp w = new WarmUp(T0, T0, T0 + 300 * S, LATE_MS, QUIET_MS);
        seen(w, 1, 9, 1_000);
        assertThat(w.caughtUp(T0 + 10 * S - 1)).isFalse();
        seen(w, 10, 10, 1_000);
        assertThat(w.caughtUp(T0 + 10 * S)).isTrue();
        assertThat(new WarmUp(T0, T0, T0, LATE_MS, QUIET_MS).caughtUp(T0 + 20 * S)).as("no window yet").isFalse();
    }

    @Test
    void measuringStartsWhenCaughtUpButNotBeforeTheLeastWarmUp() {
        WarmUp w = new WarmUp(T0, T0 + 20 * S, T0 + 60 * S, LATE_MS, QUIET_MS);
        seen(w, 1, 15, 300);
        assertThat(w.caughtUp(T0 + 15 * S)).isTrue();
        assertThat(w.measuringStarts(T0 + 15 * S)).isFalse();
        seen(w, 16, 20, 300);
        assertThat(w.measuringStarts(T0 + 20 * S)).isTrue();
    }

    @Test
    void measuringStartsAtTheMostWarmUpEvenWhenBehind() {
        WarmUp w = new WarmUp(T0, T0 + 20 * S, T0 + 60 * S, LATE_MS, QUIET_MS);
        seen(w, 1, 59, 5_000);
        assertThat(w.measuringStarts(T0 + 60 * S - 1)).isFalse();
        seen(w, 60, 60, 5_000);
        assertThat(w.measuringStarts(T0 + 60 * S)).isTrue();
        assertThat(w.caughtUp(T0 + 60 * S)).isFalse();
        // A most warm-up below the least one is the least one.
        assertThat(new WarmUp(T0, T0 + 20 * S, T0, LATE_MS, QUIET_MS).measuringStarts(T0 + 20 * S - 1)).isFalse();
    }
}
