package io.hearken.inference.engine;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of a {@link BatchingPredictor}'s counters since it started.
 *
 * @param batches        session runs
 * @param windows        windows those runs held
 * @param failedWindows  windows whose future completed exceptionally (bad input, failed run, closed)
 * @param batchSizes     histogram: batch size to number of runs of that size
 * @param timings        pre-process, inference and post-process time of this predictor's runs
 * @param queueNanos     total time windows waited between submit and the start of their run
 * @param pending        windows waiting now
 */
public record BatchingStats(long batches, long windows, long failedWindows, SortedMap<Integer, Long> batchSizes,
                            StageTimings timings, long queueNanos, int pending) {

    public BatchingStats {
        batchSizes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(batchSizes));
    }

    public double meanBatchSize() {
        return batches == 0 ? 0.0 : (double) windows / batches;
    }

    public double meanQueueMillis() {
        return windows == 0 ? 0.0 : queueNanos / 1e6 / windows;
    }

    @Override
    public String toString() {
        StringBuilder h = new StringBuilder();
        for (Map.Entry<Integer, Long> e : batchSizes.entrySet()) {
            h.append(h.length() == 0 ? "" : " ").append(e.getKey()).append('x').append(e.getValue());
        }
        return String.format("%d batches, %d windows (mean batch %.1f, sizes %s), %d failed, mean queue %.2f ms, "
                + "%d pending; %s", batches, windows, meanBatchSize(), h, failedWindows, meanQueueMillis(), pending,
                timings);
    }
}
