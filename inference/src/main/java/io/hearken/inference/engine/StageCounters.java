package io.hearken.inference.engine;

import java.util.concurrent.atomic.LongAdder;

/** Thread-safe cumulative counters behind a {@link StageTimings} snapshot. */
final class StageCounters {
    private final Counter pre = new Counter();
    private final Counter infer = new Counter();
    private final Counter post = new Counter();

    static final class Counter {
        private final LongAdder calls = new LongAdder();
        private final LongAdder windows = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void add(int batch, long dt) {
            calls.increment();
            windows.add(batch);
            nanos.add(dt);
        }

        StageTimings.Stage snapshot() {
            return new StageTimings.Stage(calls.sum(), windows.sum(), nanos.sum());
        }
    }

    Counter pre() {
        return pre;
    }

    Counter infer() {
        return infer;
    }

    Counter post() {
        return post;
    }

    StageTimings snapshot() {
        return new StageTimings(pre.snapshot(), infer.snapshot(), post.snapshot());
    }
}
