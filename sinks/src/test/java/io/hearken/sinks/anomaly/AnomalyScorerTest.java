package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyScorerTest {
    private static final long SECOND = 1_000_000L;

    private static EnrolmentVector v(String segment, double startSeconds, float... values) {
        long start = Math.round(startSeconds * SECOND);
        return new EnrolmentVector(segment, start, start + SECOND, values);
    }

    /** 1 s windows at 0.5 s hop of a slowly drifting random signal: overlapping windows have similar vectors. */
    private static List<EnrolmentVector> drifting(String segment, int windows, int dim, long seed) {
        Random random = new Random(seed);
        float[] state = new float[dim];
        List<EnrolmentVector> out = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            float[] x = new float[dim];
            for (int d = 0; d < dim; d++) {
                state[d] += (float) random.nextGaussian();
                x[d] = state[d] + 0.1f * (float) random.nextGaussian();
            }
            out.add(v(segment, i * 0.5, x));
        }
        return out;
    }

    @Test
    void neighbourRuleIsAboutTimeRangesWithinOneSegment() {
        long gap = SECOND;
        EnrolmentVector w0 = v("s", 0.0, 1f);
        // 1 s windows: the gap between [0, 1) and [t, t + 1) is t - 1 s; neighbours while it is under 1 s.
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 0.0, 1f), gap)).isTrue();
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 0.5, 1f), gap)).isTrue();   // overlapping
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 1.5, 1f), gap)).isTrue();   // 0.5 s apart
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 1.99, 1f), gap)).isTrue();
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 2.0, 1f), gap)).isFalse();  // 1 s apart
        assertThat(AnomalyScorer.areNeighbours(v("s", 2.0, 1f), w0, gap)).isFalse();  // symmetric
        assertThat(AnomalyScorer.areNeighbours(w0, v("other", 0.0, 1f), gap)).isFalse();
        // Gap 0: only overlapping windows (and the window itself).
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 0.5, 1f), 0)).isTrue();
        assertThat(AnomalyScorer.areNeighbours(w0, v("s", 1.0, 1f), 0)).isFalse();
        assertThat(AnomalyScorer.areNeighbours(w0, w0, 0)).isTrue();
    }

    @Test
    void scoresAreNearestNeighbourDistancesAfterStandardisation() {
        // Dimension 0 varies 100 times more than dimension 1; standardisation makes them count alike.
        List<EnrolmentVector> bank = List.of(v("a", 0, -100f, -1f), v("b", 0, 100f, 1f), v("c", 0, -100f, 1f),
                v("d", 0, 100f, -1f));
        AnomalyScorer scorer = AnomalyScorer.fit(bank, ScorerConfig.defaults());
        assertThat(scorer.mean()).containsExactly(0f, 0f);
        assertThat(scorer.scale()).containsExactly(100f, 1f);
        // (0, 3) standardises to (0, 3): nearest bank vectors (+-1, 1) at distance sqrt(1 + 4).
        assertThat(scorer.score(new float[] {0f, 3f})).isCloseTo(Math.sqrt(5), within(1e-6));
        // k = 2: mean of the two nearest.
        AnomalyScorer k2 = AnomalyScorer.fit(bank, ScorerConfig.defaults().withK(2));
        assertThat(k2.score(new float[] {100f, 3f})).isCloseTo((2 + Math.sqrt(4 + 4)) / 2, within(1e-6));
        // Cosine: 1 - cos between standardised vectors.
        AnomalyScorer cosine = AnomalyScorer.fit(bank, ScorerConfig.defaults().withMetric(DistanceMetric.COSINE));
        assertThat(cosine.score(new float[] {200f, 2f})).isCloseTo(0.0, within(1e-6));
        assertThat(cosine.score(new float[] {-200f, -2f})).isCloseTo(0.0, within(1e-6));
        assertThat(cosine.score(new float[] {0f, 5f})).isCloseTo(1 - 1 / Math.sqrt(2), within(1e-6));
    }

    @Test
    void constantDimensionsKeepScaleOne() {
        List<EnrolmentVector> bank = List.of(v("a", 0, 1f, 5f), v("b", 0, 3f, 5f));
        AnomalyScorer scorer = AnomalyScorer.fit(bank, ScorerConfig.defaults());
        assertThat(scorer.scale()).containsExactly(1f, 1f);
        assertThat(scorer.score(new float[] {2f, 5.5f})).isCloseTo(Math.sqrt(1 + 0.25), within(1e-6));
    }

    @Test
    void thresholdIsTheQuantileOfLeaveNeighboursOutScores() {
        List<EnrolmentVector> bank = drifting("s", 40, 16, 7);
        ScorerConfig config = ScorerConfig.defaults();
        AnomalyScorer scorer = AnomalyScorer.fit(bank, config);
        double[] scores = scorer.enrolmentScores();
        assertThat(scores).hasSize(40);
        double[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        assertThat(scorer.threshold()).isEqualTo(AnomalyScorer.quantile(sorted, 0.99));

        // Leaving out only the window itself (a gap of zero leaves out the overlapping neighbours; plain
        // leave-one-out would be lower still) gives a far lower threshold than leaving out 1 s of neighbours: the
        // neighbours are near copies.
        AnomalyScorer overlapOnly = AnomalyScorer.fit(bank, config.withNeighbourGap(Duration.ZERO));
        assertThat(scorer.threshold()).isGreaterThan(1.3 * overlapOnly.threshold());

        // Normal windows from later in the same signal mostly stay under the threshold.
        List<EnrolmentVector> all = drifting("s", 80, 16, 7);
        int over = 0;
        for (EnrolmentVector w : all.subList(40, 44)) {
            over += scorer.isAnomalous(scorer.score(w.values())) ? 1 : 0;
        }
        assertThat(over).isLessThanOrEqualTo(1);
    }

    @Test
    void enrolmentScoresLeaveTheVectorOutOfTheStandardisation() {
        // Two far-apart clusters of two; each vector's nearest non-neighbour is the other vector of its cluster.
        List<EnrolmentVector> bank = List.of(v("a", 0, 0f, 0f), v("b", 0, 1f, 0f), v("c", 0, 0f, 10f), v("d", 0, 1f, 10f));
        AnomalyScorer scorer = AnomalyScorer.fit(bank, ScorerConfig.defaults().withQuantile(1.0));
        // Without vector a: dimension 0 has values 1, 0, 1 (mean 2/3, std sqrt(2)/3); a and b differ by 1 there and
        // not in dimension 1, so a's score is 1 / (sqrt(2) / 3).
        double expected = 3 / Math.sqrt(2);
        for (double s : scorer.enrolmentScores()) {
            assertThat(s).isCloseTo(expected, within(1e-5));
        }
        assertThat(scorer.threshold()).isCloseTo(expected, within(1e-5));
    }

    @Test
    void otherSegmentsAreNeverNeighbours() {
        // Two files with identical content: each window's nearest non-neighbour is its twin in the other file.
        List<EnrolmentVector> bank = new ArrayList<>(drifting("file:a", 6, 4, 3));
        for (EnrolmentVector w : drifting("file:a", 6, 4, 3)) {
            bank.add(new EnrolmentVector("file:b", w.startMicros(), w.endMicros(), w.values()));
        }
        AnomalyScorer scorer = AnomalyScorer.fit(bank, ScorerConfig.defaults());
        assertThat(scorer.enrolmentScores()).hasSize(12);
        for (double s : scorer.enrolmentScores()) {
            assertThat(s).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void aBankOfNothingButNeighboursCannotBeFitted() {
        List<EnrolmentVector> bank = drifting("s", 3, 4, 1); // 0-1, 0.5-1.5, 1-2 s: all neighbours
        assertThatThrownBy(() -> AnomalyScorer.fit(bank, ScorerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neighbours");
        assertThatThrownBy(() -> AnomalyScorer.fit(bank.subList(0, 1), ScorerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        List<EnrolmentVector> mixed = List.of(v("s", 0, 1f, 2f), v("t", 0, 1f));
        assertThatThrownBy(() -> AnomalyScorer.fit(mixed, ScorerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
    }

    @Test
    void aRestoredScorerScoresAsTheFittedOne() {
        List<EnrolmentVector> bank = drifting("s", 30, 8, 11);
        ScorerConfig config = ScorerConfig.defaults().withK(3);
        AnomalyScorer fitted = AnomalyScorer.fit(bank, config);
        AnomalyScorer restored = AnomalyScorer.restore(bank, fitted.mean(), fitted.scale(), fitted.threshold(), config);
        for (EnrolmentVector w : drifting("t", 10, 8, 12)) {
            assertThat(restored.score(w.values())).isEqualTo(fitted.score(w.values()));
        }
        assertThat(restored.threshold()).isEqualTo(fitted.threshold());
    }

    @Test
    void quantileInterpolatesLinearlyLikeNumpy() {
        double[] sorted = {1, 2, 3, 4, 10};
        assertThat(AnomalyScorer.quantile(sorted, 0.5)).isEqualTo(3);
        assertThat(AnomalyScorer.quantile(sorted, 1.0)).isEqualTo(10);
        assertThat(AnomalyScorer.quantile(sorted, 0.99)).isCloseTo(9.76, within(1e-9)); // 4 + 0.96 * 6
        assertThat(AnomalyScorer.quantile(new double[] {5}, 0.99)).isEqualTo(5);
    }
}
