package io.hearken.inference.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outputs of a model for one window: the class logits (empty for a model without a logits output), every feature
 * output its manifest names (by output name, e.g. {@code embedding}, {@code mid}), and the activation that turns the
 * logits into probabilities. The arrays are owned by this record and not copied on access (hot path); callers must
 * not modify them. Record equality on arrays is identity.
 */
public record Prediction(float[] logits, Map<String, float[]> features, OutputSpec.Activation activation) {

    public Prediction {
        features = Map.copyOf(features);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
    }

    /** Logits with independent sigmoids (multi-label), the AudioSet convention. */
    public Prediction(float[] logits, Map<String, float[]> features) {
        this(logits, features, OutputSpec.Activation.SIGMOID);
    }

    /** Per-class probabilities, by the model's activation (sigmoid: multi-label; softmax: one distribution). */
    public float[] probabilities() {
        return activation.apply(logits);
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
        float[] p = probabilities();
        // Partial selection on the logits (every activation is monotonic in them), O(k * classes): k is small.
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
            out.add(new ScoredLabel(best, labels.label(best), p[best]));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Prediction[logits=" + logits.length + ", features=" + features.keySet() + ", " + activation + "]";
    }
}
