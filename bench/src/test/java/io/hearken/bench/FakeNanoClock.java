package io.hearken.bench;

import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so: the durations a benchmark measures are then known. */
final class FakeNanoClock implements LongSupplier {
    private long now = 1_000_000_000L;

    void advance(long nanos) {
        now += nanos;
    }

    @Override
    public long getAsLong() {
        return now;
    }
}
