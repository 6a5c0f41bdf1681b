package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import java.time.Duration;

/**
 * How windows are scored against an enrolment bank and where the threshold lies. Read from the
 * {@code sinks.anomaly.*} settings with {@link AnomalySettings#from}; each parameter's setting, with its default and
 * meaning, is the field named below.
 *
 * @param k            {@link AnomalySettings#K}: score = mean distance to the k nearest enrolment vectors
 * @param metric       {@link AnomalySettings#METRIC}: distance after per-dimension standardisation
 * @param quantile     {@link AnomalySettings#THRESHOLD_QUANTILE}: threshold = this quantile of the enrolment scores
 * @param neighbourGap {@link AnomalySettings#NEIGHBOUR_GAP}: two windows of the same segment are temporal neighbours
 *                     when the gap between their time ranges is shorter than this (overlapping windows have a
 *                     negative gap); an enrolment window's own score ignores its neighbours
 * @param bankCap      {@link AnomalySettings#BANK_CAP}: most vectors kept per bank; beyond it a reservoir sample
 * @param seed         {@link AnomalySettings#BANK_SEED}: seed of the reservoir sample
 */
public record ScorerConfig(int k, DistanceMetric metric, double quantile, Duration neighbourGap, int bankCap, long seed) {
    public static final int MAX_K = 64;
    public static final int MAX_BANK_CAP = 100_000;

    public ScorerConfig {
        if (k < 1 || k > MAX_K) {
            throw HearkenException.config(AnomalySettings.K.key() + " must be in 1.." + MAX_K + ", got " + k);
        }
        if (metric == null) {
            throw HearkenException.config(AnomalySettings.METRIC.key() + " must be set");
        }
        if (!(quantile > 0 && quantile <= 1)) {
            throw HearkenException.config(AnomalySettings.THRESHOLD_QUANTILE.key() + " must be in (0, 1], got " + quantile);
        }
        if (neighbourGap == null || neighbourGap.isNegative()) {
            throw HearkenException.config(AnomalySettings.NEIGHBOUR_GAP.key() + " must be >= 0, got " + neighbourGap);
        }
        if (bankCap < 2 || bankCap > MAX_BANK_CAP) {
            throw HearkenException.config(AnomalySettings.BANK_CAP.key() + " must be in 2.." + MAX_BANK_CAP + ", got " + bankCap);
        }
    }

    /** The scorer of {@link AnomalySettings#defaults()}. */
    public static ScorerConfig defaults() {
        return AnomalySettings.defaults().scorer();
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
