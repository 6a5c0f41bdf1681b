package io.hearken.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.featurizer.dsp.EfficientAtFrontend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pre-processing + model path the job and the offline tagger use, against the reference implementation:
 * golden 32 kHz waveform → our front end (mel within 5e-4) → ONNX Runtime (every output within 1e-3).
 */
class WindowAnalyzerGoldenTest {
    private static AudioTagger tagger;

    @BeforeAll
    static void load() {
        tagger = AudioTagger.load(Fixtures.modelDir(), 1);
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    @Test
    void waveformToOutputsMatchesTheReference() {
        for (String clip : Fixtures.clips()) {
            float[] wave = Fixtures.golden(clip, "32k");
            float[] mel = new EfficientAtFrontend().compute(wave, 0, wave.length);
            assertThat(maxAbsDiff(mel, Fixtures.golden(clip, "mel"))).as("%s mel", clip).isLessThanOrEqualTo(5e-4);

            Prediction p = new WindowAnalyzer(tagger).analyze(wave);
            assertThat(maxAbsDiff(p.logits(), Fixtures.golden(clip, "logits"))).as("%s logits", clip).isLessThanOrEqualTo(1e-3);
            for (String output : List.of("embedding", "mid", "late", "hidden")) {
                assertThat(maxAbsDiff(p.feature(output), Fixtures.golden(clip, output))).as("%s %s", clip, output)
                        .isLessThanOrEqualTo(1e-3);
            }
        }
    }

    @Test
    void reportedClassesAreEveryClassAboveFloorAndAtLeastTheTopFew() {
        float[] probabilities = {0.01f, 0.9f, 0.06f, 0.2f, 0.04f, 0.02f, 0.03f, 0.001f};
        assertThat(WindowAnalyzer.reportedClasses(probabilities, 0.05f, 2)).containsExactly(1, 3, 2);
        assertThat(WindowAnalyzer.reportedClasses(probabilities, 0.05f, 5)).containsExactly(1, 3, 2, 4, 6);
    }

    @Test
    void reportedClassesEqualAFullSortForRandomScoresWithTies() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(trial < 1000 ? 12 : 527);
            float[] p = new float[n];
            for (int i = 0; i < n; i++) { // coarse values: many ties, some exactly at the floor
                p[i] = random.nextInt(4) == 0 ? 0.05f : random.nextInt(40) / 400f;
            }
            int minTop = random.nextInt(8);
            assertThat(WindowAnalyzer.reportedClasses(p, 0.05f, minTop)).as("trial %d", trial)
                    .containsExactly(bySorting(p, 0.05f, minTop));
        }
    }

    /** The definition: all classes by probability (ties by index), taken while fewer than minTop or at floor. */
    private static int[] bySorting(float[] p, float floor, int minTop) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble((Integer i) -> p[i]).reversed()
                .thenComparingInt(i -> i));
        java.util.List<Integer> chosen = new java.util.ArrayList<>();
        for (Integer i : order) {
            if (chosen.size() < minTop || p[i] >= floor) {
                chosen.add(i);
            } else {
                break;
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        return Fixtures.maxAbsDiff(a, b);
    }
}
