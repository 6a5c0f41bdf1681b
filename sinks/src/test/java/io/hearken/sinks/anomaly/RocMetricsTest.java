package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RocMetricsTest {
    @Test
    void perfectInvertedAndTiedScores() {
        double[] normal = {1, 2, 3};
        double[] anomalous = {4, 5};
        assertThat(RocMetrics.auc(normal, anomalous)).isEqualTo(1.0);
        assertThat(RocMetrics.pauc(normal, anomalous)).isEqualTo(1.0);
        assertThat(RocMetrics.auc(anomalous, normal)).isEqualTo(0.0);
        assertThat(RocMetrics.pauc(anomalous, normal)).isEqualTo(0.0);
        assertThat(RocMetrics.auc(new double[] {1, 1}, new double[] {1, 1})).isEqualTo(0.5);
        // All tied: the ROC curve is the diagonal, whose area over [0, 0.1] is 0.005, i.e. pAUC 0.05.
        assertThat(RocMetrics.pauc(new double[] {1, 1}, new double[] {1, 1})).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void aucIsTheMannWhitneyStatistic() {
        Random random = new Random(5);
        double[] normal = new double[37];
        double[] anomalous = new double[23];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = Math.round(random.nextGaussian() * 4) / 4.0; // with ties
        }
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = Math.round((random.nextGaussian() + 0.8) * 4) / 4.0;
        }
        double u = 0;
        for (double a : anomalous) {
            for (double n : normal) {
                u += a > n ? 1 : a == n ? 0.5 : 0;
            }
        }
        assertThat(RocMetrics.auc(normal, anomalous)).isCloseTo(u / (normal.length * anomalous.length), within(1e-12));
    }

    @Test
    void partialAucIntegratesTheCurveUpToMaxFprDividedByIt() {
        // Normal 0.1 .. 1.0 (10 values), anomalous {0.95, 0.55, 0.05}.
        double[] normal = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        double[] anomalous = {0.95, 0.55, 0.05};
        // ROC: (0,0) -> 1.0 normal: (0.1, 0) -> 0.95 anomalous: (0.1, 1/3) -> ... Over FPR [0, 0.1] the TPR is 0.
        assertThat(RocMetrics.pauc(normal, anomalous)).isEqualTo(0.0);
        // Over [0, 0.2]: TPR 1/3 on (0.1, 0.2]: area 1/30, divided by 0.2.
        assertThat(RocMetrics.partialAuc(normal, anomalous, 0.2)).isCloseTo((1 / 30.0) / 0.2, within(1e-12));
        // AUC: 0.95 beats 9 normals, 0.55 beats 5, 0.05 none: 14 / 30.
        assertThat(RocMetrics.auc(normal, anomalous)).isCloseTo(14 / 30.0, within(1e-12));
    }

    @Test
    void partialAucCutsASegmentThatCrossesMaxFpr() {
        // Few normals: the first ROC step goes from FPR 0 to 0.25; pAUC interpolates along the straight segment.
        double[] normal = {1, 2, 3, 10};
        double[] anomalous = {10, 11};
        // ROC: (0, 0) -> 11: (0, 0.5) -> tie at 10: (0.25, 1.0) -> ... At FPR 0.1 the TPR is 0.5 + 0.5 * 0.4 = 0.7.
        double area = 0.1 * (0.5 + 0.7) / 2;
        assertThat(RocMetrics.pauc(normal, anomalous)).isCloseTo(area / 0.1, within(1e-12));
    }
}
