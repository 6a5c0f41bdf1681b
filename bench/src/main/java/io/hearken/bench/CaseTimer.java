package io.hearken.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times repeated runs of one benchmark case: {@value #WARMUP_RUNS} untimed runs first (the first runs allocate and
 * plan), then at least {@value #MIN_RUNS} timed ones (enough for a p99 to be one of few runs rather than the worst
 * of a handful) and on until the budget is spent, at most {@value #MAX_RUNS}. The clock is {@code System::nanoTime}
 * in the benchmark; tests give it a fake one to know exactly what was measured.
 */
final class CaseTimer {
    static final int WARMUP_RUNS = 3;
    static final int MIN_RUNS = 20;
    static final int MAX_RUNS = 100_000;

    private final LongSupplier nanoTime;

    CaseTimer(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    static CaseTimer system() {
        return new CaseTimer(System::nanoTime);
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** Runs {@code run} as described above; returns the duration of each timed run in nanoseconds, in order. */
    List<Long> time(Runnable run, Duration budget) {
        for (int i = 0; i < WARMUP_RUNS; i++) {
            run.run();
        }
        List<Long> nanos = new ArrayList<>();
        long budgetNanos = budget.toNanos();
        long start = nanoTime.getAsLong();
        while (nanos.size() < MAX_RUNS && (nanos.size() < MIN_RUNS || nanoTime.getAsLong() - start < budgetNanos)) {
            long t0 = nanoTime.getAsLong();
            run.run();
            nanos.add(nanoTime.getAsLong() - t0);
        }
        return nanos;
    }
}
