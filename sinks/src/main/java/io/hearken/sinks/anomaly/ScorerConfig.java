package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import java.time.Duration;

/**
 * How windows are scored against an enrolment bank and where the threshold lies.
 *
 * @param k               score = mean distance to the k nearest enrolment vectors ({@code sinks.anomaly.k}, 1..64,
 *                        default 1: the nearest neighbour, as the reference method)
 * @param metric          distance after per-dimension standardisation ({@code sinks.anomaly.metric}, euclidean | cosine,
 *                        default euclidean)
 * @param quantile        threshold = this quantile of the enrolment scores ({@code sinks.anomaly.threshold.quantile},
 *                        (0, 1], default 0.99)
 * @param neighbourGap    two windows of the same segment are temporal neighbours when the gap between their time
 *                        ranges is shorter than this (overlapping windows have a negative gap); an enrolment window's
 *                        own score ignores its neighbours ({@code sinks.anomaly.threshold.neighbour.gap.ms},
 *                        default 1 s: with 1 s windows and 0.5 s hop a window and the three on each side)
 * @param bankCap         most vectors kept per bank ({@code sinks.anomaly.bank.cap}, default 2,000: 2 MB of
 *                        256-float {@code mid} vectors); beyond it a reservoir sample is kept
 * @param seed            seed of the reservoir sample ({@code sinks.anomaly.bank.seed}, default 42): the same
 *                        windows in the same order always give the same bank
 */
public record ScorerConfig(int k, DistanceMetric metric, double quantile, Duration neighbourGap, int bankCap, long seed) {
    public static final int DEFAULT_K = 1;
    public static final int MAX_K = 64;
    public static final DistanceMetric DEFAULT_METRIC = DistanceMetric.EUCLIDEAN;
    public static final double DEFAULT_QUANTILE = 0.99;
    public static final Duration DEFAULT_NEIGHBOUR_GAP = Duration.ofSeconds(1);
    public static final int DEFAULT_BANK_CAP = 2000;
    public static final int MAX_BANK_CAP = 100_000;
    public static final long DEFAULT_SEED = 42;

    public ScorerConfig {
        if (k < 1 || k > MAX_K) {
            throw HearkenException.config("sinks.anomaly.k must be in 1.." + MAX_K + ", got " + k);
        }
        if (metric == null) {
            throw HearkenException.config("sinks.anomaly.metric must be set");
        }
        if (!(quantile > 0 && quantile <= 1)) {
            throw HearkenException.config("sinks.anomaly.threshold.quantile must be in (0, 1], got " + quantile);
        }
        if (neighbourGap == null || neighbourGap.isNegative()) {
            throw HearkenException.config("sinks.anomaly.threshold.neighbour.gap.ms must be >= 0, got " + neighbourGap);
        }
        if (bankCap < 2 || bankCap > MAX_BANK_CAP) {
            throw HearkenException.config("sinks.anomaly.bank.cap must be in 2.." + MAX_BANK_CAP + ", got " + bankCap);
        }
    }

    public static ScorerConfig defaults() {
        return new ScorerConfig(DEFAULT_K, DEFAULT_METRIC, DEFAULT_QUANTILE, DEFAULT_NEIGHBOUR_GAP, DEFAULT_BANK_CAP,
                DEFAULT_SEED);
    }

    public ScorerConfig withK(int newK) {
        return new ScorerConfig(newK, metric, quantile, neighbourGap, bankCap, seed);
    }

    public ScorerConfig withMetric(DistanceMetric m) {
        return new ScorerConfig(k, m, quantile, neighbourGap, bankCap, seed);
    }

    public ScorerConfig withQuantile(double q) {
        return new ScorerConfig(k, metric, q, neighbourGap, bankCap, seed);
    }

    public ScorerConfig withNeighbourGap(Duration gap) {
        return new ScorerConfig(k, metric, quantile, gap, bankCap, seed);
    }

    public ScorerConfig withBankCap(int cap) {
        return new ScorerConfig(k, metric, quantile, neighbourGap, cap, seed);
    }

    long neighbourGapMicros() {
        return neighbourGap.toNanos() / 1000;
    }
}
