package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import java.util.Locale;

/** How two (standardised) feature vectors are compared. */
public enum DistanceMetric {
    /** Euclidean distance. */
    EUCLIDEAN,
    /** 1 - cosine similarity (0 for the same direction, 2 for opposite ones); 1 when either vector is zero. */
    COSINE;

    public static DistanceMetric parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw HearkenException.config("sinks.anomaly.metric must be euclidean or cosine, got '" + name + "'");
        }
    }

    double distance(float[] a, float[] b) {
        if (this == EUCLIDEAN) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sum += d * d;
            }
            return Math.sqrt(sum);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 1.0;
        }
        return 1.0 - dot / Math.sqrt(na * nb);
    }
}
