package io.hearken.inference.engine;

/** Logistic function, written so that large |x| neither overflows exp nor loses the small tail. */
public final class Sigmoid {
    private Sigmoid() {
    }

    public static float of(float x) {
        // exp of a non-positive argument only: never overflows, and 1/(1+e) keeps full precision for both tails.
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    public static float[] of(float[] xs) {
        float[] out = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = of(xs[i]);
        }
        return out;
    }
}
