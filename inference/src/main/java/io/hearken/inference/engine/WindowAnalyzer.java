package io.hearken.inference.engine;

import io.hearken.featurizer.dsp.LogMelFrontend;
import io.hearken.featurizer.dsp.MelFrontend;
import java.util.Arrays;

/**
 * Front end + model for one window of audio at the model's sample rate, and the choice of reported classes the
 * streaming job applies to every window. The front end is the one the model's manifest describes
 * ({@link FrontendSpec#toConfig()}). Files are cut into windows by {@link WindowTranslator}.
 * Not thread-safe (the front end reuses scratch buffers): one per operator instance or thread; the tagger itself
 * may be shared.
 */
public final class WindowAnalyzer {
    private final AudioTagger tagger;
    private final LogMelFrontend frontend;

    public WindowAnalyzer(AudioTagger tagger) {
        this.tagger = tagger;
        this.frontend = new MelFrontend(tagger.manifest().frontend().toConfig());
    }

    public int sampleRate() {
        return frontend.sampleRate();
    }

    public LogMelFrontend frontend() {
        return frontend;
    }

    public AudioTagger tagger() {
        return tagger;
    }

    /** Runs one window; {@code samples} at {@link #sampleRate()}, any length >= 1. */
    public Prediction analyze(float[] samples) {
        float[] mel = frontend.compute(samples, 0, samples.length);
        return tagger.predict(mel, frontend.framesFor(samples.length));
    }

    /**
     * Indices of the classes worth reporting, best first: every class with probability >= floor and at least the
     * {@code minTop} best. Keeps window records small while guaranteeing that an absent class scored below floor.
     */
    public static int[] reportedClasses(float[] probabilities, float floor, int minTop) {
        // Runs for every window: a selection over the classes, not a sort of all of them (boxed sorting of 527
        // classes was most of the inference thread's Java time). Candidates = the minTop best and all at or above
        // floor; only they are ordered.
        int n = probabilities.length;
        int k = Math.min(minTop, n);
        int[] candidates = new int[n];
        int count = 0;
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            if (probabilities[i] >= floor) {
                candidates[count++] = i;
            } else if (k > 0 && (filled < k || ranksBefore(probabilities, i, best[filled - 1]))) {
                int j = filled < k ? filled++ : k - 1;
                while (j > 0 && ranksBefore(probabilities, i, best[j - 1])) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = i;
            }
        }
        // The best below floor only matter while fewer than minTop classes reach it.
        for (int j = 0; j < filled && count < k; j++) {
            candidates[count++] = best[j];
        }
        int[] chosen = Arrays.copyOf(candidates, count);
        for (int i = 1; i < count; i++) { // insertion sort: a handful of classes
            int c = chosen[i];
            int j = i;
            while (j > 0 && ranksBefore(probabilities, c, chosen[j - 1])) {
                chosen[j] = chosen[j - 1];
                j--;
            }
            chosen[j] = c;
        }
        return chosen;
    }

    /** Higher probability first; equal probabilities by class index. */
    private static boolean ranksBefore(float[] p, int a, int b) {
        int c = Double.compare(p[b], p[a]);
        return c < 0 || (c == 0 && a < b);
    }
}
