package io.hearken.inference.engine;

import io.hearken.featurizer.LogMelFrontend;
import io.hearken.featurizer.MelFrontend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Front end + model for one window of audio at the model's sample rate: the pre-processing, model and
 * post-processing steps that the streaming job and the offline tagger share, so both see identical numbers. The
 * front end is the one the model's manifest describes ({@link FrontendSpec#toConfig()}).
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
        Integer[] order = IntStream.range(0, probabilities.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed()
                .thenComparingInt(i -> i));
        List<Integer> chosen = new ArrayList<>();
        for (Integer i : order) {
            if (chosen.size() < minTop || probabilities[i] >= floor) {
                chosen.add(i);
            } else {
                break;
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
