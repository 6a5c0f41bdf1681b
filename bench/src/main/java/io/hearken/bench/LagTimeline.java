package io.hearken.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Processing lags by period of window end since the streams started, warm-up included: how a cold start falls behind
 * and catches up, and whether the lag afterwards is steady, drifts or spikes. Period k holds the windows ending in
 * [start + k·period, start + (k+1)·period).
 */
final class LagTimeline {
    private final long startMicros;
    private final long periodMicros;
    private final TreeMap<Long, List<Long>> byPeriod = new TreeMap<>();

    LagTimeline(long startMicros, long periodMicros) {
        this.startMicros = startMicros;
        this.periodMicros = periodMicros;
    }

    void add(long windowEndMicros, long lagMillis) {
        long period = Math.max(0, windowEndMicros - startMicros) / periodMicros;
        byPeriod.computeIfAbsent(period, k -> new ArrayList<>()).add(lagMillis);
    }

    /** The p99 lag of each period from the first to the last with a window; NaN for a period without one. */
    List<Double> p99ByPeriod() {
        List<Double> p99 = new ArrayList<>();
        long last = byPeriod.isEmpty() ? -1 : byPeriod.lastKey();
        for (long k = 0; k <= last; k++) {
            p99.add(Percentiles.nearestRank(byPeriod.getOrDefault(k, List.of()), 0.99));
        }
        return p99;
    }

    /**
     * The timeline as printed: the p99s in whole milliseconds, with " | " before the first period holding measured
     * windows (all or some), i.e. the period in which warm-up ended; no mark when measuring began at the start or
     * never began (NaN).
     */
    static String render(List<Double> p99ByPeriodMs, double warmupSeconds, long periodSeconds) {
        long markBefore = Double.isNaN(warmupSeconds) ? -1 : (long) Math.floor(warmupSeconds / periodSeconds);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < p99ByPeriodMs.size(); i++) {
            if (i > 0) {
                s.append(i == markBefore ? " | " : " ");
            }
            s.append(String.format(Locale.ROOT, "%.0f", p99ByPeriodMs.get(i)));
        }
        return s.toString();
    }
}
