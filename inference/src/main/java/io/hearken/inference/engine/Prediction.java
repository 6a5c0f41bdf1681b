package io.hearken.inference.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outputs of the tagger for one window: the class logits and the named feature vectors
 * ({@code embedding}, {@code mid}, {@code late}, {@code hidden}). The arrays are owned by this record and not copied
 * on access (hot path); callers must not modify them. Record equality on arrays is identity.
 */
public record Prediction(float[] logits, Map<String, float[]> features) {

    public Prediction {
        features = Map.copyOf(features);
    }

    /** Per-class probabilities (multi-label: independent sigmoids, not a softmax). */
    public float[] probabilities() {
        return Sigmoid.of(logits);
    }

    public float[] feature(String name) {
        float[] f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no feature output '" + name + "'; have " + features.keySet());
        }
        return f;
    }

    /** The {@code k} most probable classes, most probable first (ties: lower index first). */
    public List<ScoredLabel> top(int k, Labels labels) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0: " + k);
        }
        int n = Math.min(k, logits.length);
        // Partial selection on logits (sigmoid is monotonic), O(k * classes): k is small, classes ~500.
        boolean[] taken = new boolean[logits.length];
        List<ScoredLabel> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int i = 0; i < logits.length; i++) {
                if (!taken[i] && (best < 0 || logits[i] > logits[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new ScoredLabel(best, labels.label(best), Sigmoid.of(logits[best])));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Prediction[logits=" + logits.length + ", features=" + features.keySet() + "]";
    }
}
