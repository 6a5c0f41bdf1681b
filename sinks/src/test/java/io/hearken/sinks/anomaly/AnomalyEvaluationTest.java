package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The offline evaluation on synthetic recordings of a periodic machine: window i of a recording has the vector of
 * phase i mod 10 (the same vector again in every period), an anomalous recording the same phases shifted far away.
 */
class AnomalyEvaluationTest {
    private static final int RATE = 16_000;
    private static final long SECOND = 1_000_000L;
    private static final int DIM = 8;
    private static final float[][] PHASES = phases(10, new Random(11));
    private static final EventTracker TRACKER = new EventTracker(3, Duration.ofSeconds(2));

    private static float[][] phases(int n, Random random) {
        float[][] out = new float[n][DIM];
        for (float[] phase : out) {
            for (int d = 0; d < DIM; d++) {
                phase[d] = (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** A 10 s recording in 1 s windows at 0.5 s hop (19 windows), its vectors the phases plus {@code shift}. */
    private static AnomalyEvaluation.Recording recording(String name, float shift) {
        List<EnrolmentVector> windows = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            float[] v = PHASES[i % PHASES.length].clone();
            for (int d = 0; d < DIM; d++) {
                v[d] += shift;
            }
            windows.add(new EnrolmentVector(name, i * SECOND / 2, i * SECOND / 2 + SECOND, v));
        }
        return new AnomalyEvaluation.Recording(name, 10L * RATE, RATE, windows);
    }

    @Test
    void splitEnrolsTheWindowsEndingByTheCutAndTestsTheRestAsTheSinkDoes() {
        AnomalyEvaluation.EvalResult r = AnomalyEvaluation.evaluate(List.of(recording("n.wav", 0)),
                OptionalDouble.of(0.5), List.of(), List.of(recording("a.wav", 10)), ScorerConfig.defaults(), TRACKER);

        // Windows ending by 5 s: 0-1 s ... 4-5 s; the first test window (4.5-5.5 s) straddles the cut.
        assertThat(r.enrolled()).isEqualTo(9);
        assertThat(r.segments()).extracting(AnomalyEvaluation.SegmentOutcome::name)
                .containsExactly("n.wav[50-100%]", "a.wav");
        AnomalyEvaluation.SegmentOutcome normal = r.segments().get(0);
        assertThat(normal.scores()).hasSize(10);
        // Phases 0-8 come again in the second half: each has its own vector in the bank, distance 0.
        assertThat(Arrays.copyOfRange(normal.scores(), 1, 10)).containsOnly(0.0);
        assertThat(normal.raised()).isFalse();

        AnomalyEvaluation.SegmentOutcome anomaly = r.segments().get(1);
        assertThat(anomaly.over()).isEqualTo(19);
        assertThat(anomaly.onsets()).singleElement().satisfies(e -> assertThat(e.onsetMicros()).isZero());
        assertThat(r.auc()).isEqualTo(1.0);
        assertThat(r.pauc()).isEqualTo(1.0);
        assertThat(r.anomalousRaised()).isEqualTo(1);
        assertThat(r.anomalousCount()).isEqualTo(1);
        assertThat(r.normalQuiet()).isEqualTo(1);
        assertThat(r.normalCount()).isEqualTo(1);
        assertThat(r.scorer().threshold()).isPositive();
    }

    @Test
    void withoutASplitTheNormalRecordingsAreEnrolledWhole() {
        AnomalyEvaluation.EvalResult r = AnomalyEvaluation.evaluate(List.of(recording("n1.wav", 0)),
                OptionalDouble.empty(), List.of(recording("n2.wav", 0)), List.of(recording("a.wav", 10)),
                ScorerConfig.defaults(), TRACKER);
        assertThat(r.enrolled()).isEqualTo(19);
        assertThat(r.segments()).extracting(AnomalyEvaluation.SegmentOutcome::name).containsExactly("n2.wav", "a.wav");
        assertThat(r.segments().get(0).scores()).containsOnly(0.0);
        assertThat(r.auc()).isEqualTo(1.0);

        AnomalyEvaluation.EvalResult noAnomalies = AnomalyEvaluation.evaluate(List.of(recording("n1.wav", 0)),
                OptionalDouble.empty(), List.of(recording("n2.wav", 0)), List.of(), ScorerConfig.defaults(), TRACKER);
        assertThat(noAnomalies.auc()).isNaN();
        assertThat(noAnomalies.pauc()).isNaN();
    }

    @Test
    void theBankIsBoundedAsInTheSink() {
        AnomalyEvaluation.EvalResult r = AnomalyEvaluation.evaluate(List.of(recording("n1.wav", 0)),
                OptionalDouble.empty(), List.of(), List.of(recording("a.wav", 10)),
                ScorerConfig.defaults().withBankCap(12), TRACKER);
        assertThat(r.enrolled()).isEqualTo(12);
        assertThat(r.scorer().bankSize()).isEqualTo(12);
    }

    @Test
    void badSplitsAndRecordingsAreNamed() {
        List<AnomalyEvaluation.Recording> anomalous = List.of(recording("a.wav", 10));
        assertThatThrownBy(() -> AnomalyEvaluation.evaluate(List.of(recording("n.wav", 0)), OptionalDouble.of(1.5),
                List.of(), anomalous, ScorerConfig.defaults(), TRACKER))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("(0, 1), got 1.5");
        // A cut at 0.1 s: no 1 s window ends by then.
        assertThatThrownBy(() -> AnomalyEvaluation.evaluate(List.of(recording("n.wav", 0)), OptionalDouble.of(0.01),
                List.of(), anomalous, ScorerConfig.defaults(), TRACKER))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("no enrolment windows in [n.wav]");
        AnomalyEvaluation.Recording one = new AnomalyEvaluation.Recording("short.wav", RATE, RATE,
                List.of(new EnrolmentVector("short.wav", 0, SECOND, PHASES[0])));
        assertThatThrownBy(() -> AnomalyEvaluation.evaluate(List.of(one), OptionalDouble.empty(), List.of(), anomalous,
                ScorerConfig.defaults(), TRACKER))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("cannot fit the scorer on [short.wav]: ");
    }
}
