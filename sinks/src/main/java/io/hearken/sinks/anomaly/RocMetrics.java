package io.hearken.sinks.anomaly;

import java.util.Arrays;

/**
 * Area under the ROC curve of anomaly scores (anomalous = positive, higher score = more anomalous), as DCASE Task 2
 * reports it: AUC, and pAUC = the area under the ROC curve over false-positive rates in [0, p], divided by p (so a
 * perfect detector has pAUC 1 and a random one p / 2). The ROC curve is the usual step-free one: a point per
 * distinct score (tied normal and anomalous scores form one diagonal segment), points joined linearly; so AUC equals
 * the Mann-Whitney statistic with ties counted one half. This pAUC is not scikit-learn's {@code max_fpr} value,
 * which applies the McClish correction on top.
 */
public final class RocMetrics {
    public static final double DCASE_MAX_FPR = 0.1;

    private RocMetrics() {
    }

    public static double auc(double[] normal, double[] anomalous) {
        return partialAuc(normal, anomalous, 1.0);
    }

    /** Area under the ROC curve for FPR in [0, maxFpr], divided by maxFpr. */
    public static double partialAuc(double[] normal, double[] anomalous, double maxFpr) {
        if (normal.length == 0 || anomalous.length == 0) {
            throw new IllegalArgumentException("ROC needs normal and anomalous scores, got " + normal.length + " and "
                    + anomalous.length);
        }
        if (!(maxFpr > 0 && maxFpr <= 1)) {
            throw new IllegalArgumentException("maxFpr must be in (0, 1], got " + maxFpr);
        }
        double[] neg = normal.clone();
        double[] pos = anomalous.clone();
        Arrays.sort(neg);
        Arrays.sort(pos);
        // Walk thresholds from the highest score down; (fpr, tpr) after each group of tied scores.
        int i = neg.length - 1;
        int j = pos.length - 1;
        double fpr = 0;
        double tpr = 0;
        double area = 0;
        while (i >= 0 || j >= 0) {
            double t = Math.max(i >= 0 ? neg[i] : Double.NEGATIVE_INFINITY, j >= 0 ? pos[j] : Double.NEGATIVE_INFINITY);
            while (i >= 0 && neg[i] == t) {
                i--;
            }
            while (j >= 0 && pos[j] == t) {
                j--;
            }
            double nextFpr = (neg.length - 1 - i) / (double) neg.length;
            double nextTpr = (pos.length - 1 - j) / (double) pos.length;
            if (nextFpr > fpr) {
                double x1 = Math.min(nextFpr, maxFpr);
                // TPR linear along the segment: its value where the segment is cut at maxFpr.
                double tprAtX1 = tpr + (nextTpr - tpr) * (x1 - fpr) / (nextFpr - fpr);
                area += (x1 - fpr) * (tpr + tprAtX1) / 2;
                if (nextFpr >= maxFpr) {
                    return area / maxFpr;
                }
            }
            fpr = nextFpr;
            tpr = nextTpr;
        }
        return area / maxFpr;
    }

    public static double pauc(double[] normal, double[] anomalous) {
        return partialAuc(normal, anomalous, DCASE_MAX_FPR);
    }
}
