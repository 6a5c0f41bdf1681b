package io.hearken.bench;

import java.util.Collection;

/**
 * Nearest-rank percentiles, as both benchmarks report them: the q-percentile of n values is the value of rank
 * ceil(q·n) in ascending order, so it is always one of the measured values (no interpolation between two runs).
 */
final class Percentiles {
    private Percentiles() {
    }

    /** The nearest-rank {@code q}-percentile (0 &lt; q &le; 1) of {@code values}; NaN when there are none. */
    static double nearestRank(Collection<Long> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
