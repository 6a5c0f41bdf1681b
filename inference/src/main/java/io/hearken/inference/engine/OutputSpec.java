package io.hearken.inference.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One model output named by a manifest. Only the outputs a manifest names are computed and returned.
 *
 * @param name       output name in the ONNX graph; also the feature name in {@link Prediction#features()}
 * @param role       {@link Role#LOGITS} (class scores, at most one per model) or a feature vector
 * @param dim        values per window (the output is [batch, dim])
 * @param activation how logits become probabilities ({@link Activation#NONE} for features)
 * @param labels     the labels file of a logits output (row i names class i); empty for features
 */
public record OutputSpec(String name, Role role, int dim, Activation activation, Optional<String> labels) {
    static final Set<String> FIELDS = Set.of("name", "role", "dim", "activation", "labels");

    /** What an output is. */
    public enum Role {
        /** Class scores before the activation; needs a labels file. */
        LOGITS,
        /** The model's general-purpose clip embedding. */
        EMBEDDING,
        /** Any other feature vector (an intermediate layer, ...). */
        FEATURE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Role parse(String s) {
            for (Role r : values()) {
                if (r.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("role must be one of logits, embedding, feature, got '" + s + "'");
        }
    }

    /** How logits become probabilities. */
    public enum Activation {
        /** Independent per-class sigmoids (multi-label, e.g. AudioSet). */
        SIGMOID,
        /** One distribution over the classes (single-label). */
        SOFTMAX,
        /** The output already is what is reported (features, or probabilities computed in the graph). */
        NONE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Activation parse(String s) {
            for (Activation a : values()) {
                if (a.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("activation must be one of sigmoid, softmax, none, got '" + s + "'");
        }

        /** A new array with the activation applied. */
        public float[] apply(float[] x) {
            switch (this) {
                case SIGMOID:
                    return Sigmoid.of(x);
                case SOFTMAX: {
                    float[] out = new float[x.length];
                    if (x.length == 0) {
                        return out;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : x) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    double[] e = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        e[i] = Math.exp(x[i] - max);
                        sum += e[i];
                    }
                    for (int i = 0; i < x.length; i++) {
                        out[i] = (float) (e[i] / sum);
                    }
                    return out;
                }
                default:
                    return Arrays.copyOf(x, x.length);
            }
        }
    }

    public OutputSpec {
        if (name == null || name.isBlank()) {
            throw new HearkenException(ErrorKind.MODEL, "output name must not be empty");
        }
        if (role == null || activation == null || labels == null) {
            throw new HearkenException(ErrorKind.MODEL, "output '" + name + "': role, activation and labels must not be null");
        }
        if (dim < 1) {
            throw new HearkenException(ErrorKind.MODEL, "output '" + name + "': dim must be >= 1, got " + dim);
        }
        if (role == Role.LOGITS) {
            if (labels.isEmpty()) {
                throw new HearkenException(ErrorKind.MODEL, "output '" + name + "' (logits) needs a labels file");
            }
            ModelManifest.checkFileName(labels.get(), "output '" + name + "' labels");
        } else {
            if (activation != Activation.NONE) {
                throw new HearkenException(ErrorKind.MODEL, "output '" + name + "' (" + role.wireName()
                        + "): an activation applies to logits only");
            }
            if (labels.isPresent()) {
                throw new HearkenException(ErrorKind.MODEL, "output '" + name + "' (" + role.wireName()
                        + "): labels apply to logits only");
            }
        }
    }

    public static OutputSpec logits(String name, int dim, Activation activation, String labels) {
        return new OutputSpec(name, Role.LOGITS, dim, activation, Optional.of(labels));
    }

    public static OutputSpec feature(String name, Role role, int dim) {
        return new OutputSpec(name, role, dim, Activation.NONE, Optional.empty());
    }

    public boolean isLogits() {
        return role == Role.LOGITS;
    }

    /** @param defaultLabels the manifest's top-level labels file, used by a logits output that names none */
    static OutputSpec parse(JsonFields f, Optional<String> defaultLabels) {
        f.allowOnly(FIELDS);
        String name = f.string("name");
        Role role;
        try {
            role = Role.parse(f.string("role"));
        } catch (IllegalArgumentException e) {
            throw f.error("role", e.getMessage().substring("role ".length()));
        }
        int dim = f.integer("dim");
        Activation activation;
        if (f.has("activation")) {
            try {
                activation = Activation.parse(f.string("activation"));
            } catch (IllegalArgumentException e) {
                throw f.error("activation", e.getMessage().substring("activation ".length()));
            }
        } else if (role == Role.LOGITS) {
            throw f.error("activation", "is missing (logits need sigmoid, softmax or none)");
        } else {
            activation = Activation.NONE;
        }
        Optional<String> labels = f.optString("labels");
        if (role == Role.LOGITS && labels.isEmpty()) {
            labels = defaultLabels;
        }
        try {
            return new OutputSpec(name, role, dim, activation, labels);
        } catch (HearkenException e) {
            throw new HearkenException(ErrorKind.MODEL, f.source() + ": " + e.getMessage(), e);
        }
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("role", role.wireName());
        o.put("dim", dim);
        if (role == Role.LOGITS) {
            o.put("activation", activation.wireName());
            o.put("labels", labels.orElseThrow());
        }
        return o;
    }
}
