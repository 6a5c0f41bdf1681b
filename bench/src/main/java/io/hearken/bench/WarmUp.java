package io.hearken.bench;

/**
 * When the stream bench starts measuring: once the job has caught up after its cold start — no window more than
 * {@code lateMillis} behind for {@code caughtUpMillis}, and windows still arriving (a job that emits nothing is not
 * caught up) — but not before {@code earliestMicros}; at {@code latestMicros} it starts regardless, behind or not.
 * Fed with the wall-clock time each window was seen and its lag; holds no clock of its own.
 */
final class WarmUp {
    /** Windows "still arriving": one seen within this long. */
    static final long ARRIVING_MICROS = 1_000_000;

    private final long earliestMicros;
    private final long latestMicros;
    private final long lateMillis;
    private final long caughtUpMicros;
    private long lastLateMicros;
    private long lastWindowMicros = Long.MIN_VALUE;

    /** @param nowMicros when watching begins: the quiet period counts from here, as if a late window had just been seen */
    WarmUp(long nowMicros, long earliestMicros, long latestMicros, long lateMillis, long caughtUpMillis) {
        this.lastLateMicros = nowMicros;
        this.earliestMicros = earliestMicros;
        this.latestMicros = Math.max(earliestMicros, latestMicros);
        this.lateMillis = lateMillis;
        this.caughtUpMicros = caughtUpMillis * 1000;
    }

    void windowSeen(long nowMicros, long lagMillis) {
        lastWindowMicros = nowMicros;
        if (lagMillis > lateMillis) {
            lastLateMicros = nowMicros;
        }
    }

    boolean caughtUp(long nowMicros) {
        return nowMicros - lastLateMicros >= caughtUpMicros && lastWindowMicros != Long.MIN_VALUE
                && nowMicros - lastWindowMicros < ARRIVING_MICROS;
    }

    /** Whether measuring starts at {@code nowMicros} (asked until it does). */
    boolean measuringStarts(long nowMicros) {
        return nowMicros >= earliestMicros && (caughtUp(nowMicros) || nowMicros >= latestMicros);
    }
}
