package io.hearken.bench;

import io.hearken.bench.StreamBench.LagPercentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lags of the measured windows (milliseconds from a window's end to when the bench saw it), kept per stream: the
 * percentiles over all windows, and how many streams stayed real time by their own p99.
 */
final class StreamLags {
    private final Map<String, List<Long>> byStream = new LinkedHashMap<>();
    private final List<Long> all = new ArrayList<>();

    void add(String stream, long lagMillis) {
        byStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(lagMillis);
        all.add(lagMillis);
    }

    long windows() {
        return all.size();
    }

    /** p50 and p99 over every window of every stream. */
    LagPercentiles percentiles() {
        return new LagPercentiles(Percentiles.nearestRank(all, 0.50), Percentiles.nearestRank(all, 0.99));
    }

    /**
     * Streams whose own p99 lag is at most {@code p99LimitMillis}. One stream that falls behind is not hidden by
     * the others, as it would be in the p99 over all windows; a stream with no measured window does not count.
     */
    int realtimeStreams(long p99LimitMillis) {
        return (int) byStream.values().stream().filter(l -> Percentiles.nearestRank(l, 0.99) <= p99LimitMillis).count();
    }
}
