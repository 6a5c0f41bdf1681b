package io.hearken.sinks.captions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrammarCaptionerTest {
    private static final long S = 1_000_000L;
    private final GrammarCaptioner grammar = new GrammarCaptioner();

    /** A tag from second {@code from} to {@code to} at -25 dBFS. */
    private static TimelineTag tag(String label, double from, double to) {
        return tag(label, from, to, -25f);
    }

    private static TimelineTag tag(String label, double from, double to, float dbfs) {
        return new TimelineTag(label, 0, (long) (from * S), (long) (to * S), 0.8f, 0.6f, dbfs,
                (int) Math.max(1, to - from - 1), false);
    }

    private String caption(double seconds, TimelineTag... tags) {
        return grammar.caption(new TagTimeline("s", 0, (long) (seconds * S), new ArrayList<>(List.of(tags)), -25f));
    }

    @Test
    void theIssuesExample() {
        assertThat(caption(10, tag("Cat", 0, 2), tag("Meow", 3.5, 5.5), tag("Alarm clock", 6, 9.5), tag("Speech", 0, 10)))
                .isEqualTo("A cat meows twice, then an alarm clock rings over speech.");
    }

    @Test
    void overlapReadsWhileAndSequenceReadsThen() {
        assertThat(caption(10, tag("Dog", 0, 4), tag("Car passing by", 1, 5)))
                .isEqualTo("A dog barks while a car passes by.");
        assertThat(caption(12, tag("Dog", 0, 3), tag("Siren", 4, 8), tag("Door", 9, 11)))
                .isEqualTo("A dog barks, then a siren wails, and then a door closes briefly.");
    }

    @Test
    void sameSubjectOverlappingJoinsTheVerbs() {
        assertThat(caption(10, tag("Bark", 0, 5), tag("Growling", 1, 6)))
                .isEqualTo("A dog barks and growls.");
    }

    @Test
    void repetitionAndDuration() {
        assertThat(caption(10, tag("Cough", 0, 2), tag("Cough", 3, 5), tag("Cough", 6, 8)))
                .isEqualTo("Someone coughs repeatedly.");
        assertThat(caption(10, tag("Door", 4, 6))).isEqualTo("A door closes briefly.");
        assertThat(caption(10, tag("Rain", 0, 10))).isEqualTo("Rain falls throughout.");
        assertThat(caption(3, tag("Rain", 0, 3))).as("too short a span for 'throughout'").isEqualTo("Rain falls.");
    }

    @Test
    void loudness() {
        assertThat(caption(10, tag("Siren", 0, 4, -8f))).isEqualTo("A siren wails loudly.");
        assertThat(caption(10, tag("Bird", 0, 2, -52f), tag("Bird", 4, 6, -50f))).isEqualTo("Birds chirp faintly twice.");
    }

    @Test
    void aGenericLabelGivesWayToASpecificOneOfItsFamily() {
        assertThat(caption(10, tag("Animal", 0, 5), tag("Domestic animals, pets", 0, 5), tag("Dog", 1, 4)))
                .isEqualTo("A dog barks.");
        assertThat(caption(10, tag("Speech", 0, 3), tag("Female speech, woman speaking", 0, 3)))
                .isEqualTo("A woman speaks.");
        assertThat(caption(10, tag("Animal", 0, 3))).isEqualTo("An animal makes noises.");
        // the specific sound takes over the generic one's occurrences
        assertThat(caption(12, tag("Speech", 0, 3), tag("Speech", 6, 9), tag("Female speech, woman speaking", 7, 9)))
                .isEqualTo("A woman speaks twice.");
        assertThat(caption(10, tag("Fowl", 0, 2), tag("Goose", 0, 2), tag("Bird", 5, 7)))
                .isEqualTo("A goose honks twice.");
    }

    @Test
    void aRepeatedSoundOverlapsOnlyWhereItsOccurrencesDo() {
        assertThat(caption(12, tag("Cough", 0, 2), tag("Dog", 4, 6), tag("Cough", 8, 10)))
                .isEqualTo("Someone coughs twice, then a dog barks briefly.");
    }

    @Test
    void loudnessCombinesWithRepetitionAndDuration() {
        assertThat(caption(10, tag("Door", 2, 4, -10f))).isEqualTo("A door closes briefly and loudly.");
        assertThat(caption(10, tag("Bark", 0, 2, -10f), tag("Bark", 3, 5, -10f), tag("Bark", 6, 8, -10f)))
                .isEqualTo("A dog barks loudly and repeatedly.");
        assertThat(caption(10, tag("Rain", 0, 10, -60f))).isEqualTo("Rain falls faintly throughout.");
    }

    @Test
    void unknownLabelsAreHeardAndScenesSetTheScene() {
        assertThat(caption(10, tag("Whip", 2, 4))).isEqualTo("Whip is heard briefly.");
        assertThat(caption(10, tag("Zither (string instrument)", 0, 4), tag("Inside, small room", 0, 10)))
                .isEqualTo("In a small room, zither is heard.");
        assertThat(caption(10, tag("Sound effect", 0, 10))).isEqualTo("Nothing distinct is heard.");
        assertThat(caption(10, tag("Silence", 0, 10))).isEqualTo("It is quiet.");
        assertThat(grammar.caption(new TagTimeline("s", 0, 10 * S, List.of(), -70f))).isEqualTo("It is quiet.");
    }

    @Test
    void groupNamesFromTagRulesAreUnderstood() {
        assertThat(caption(10, tag("dog", 0, 2), tag("siren", 3, 6))).isEqualTo("A dog barks briefly, then a siren wails.");
    }

    @Test
    void mostSalientSoundsAreKeptAndTheLabelsAreReported() {
        GrammarCaptioner.Caption c = grammar.describe(new TagTimeline("s", 0, 10 * S, List.of(
                tag("Speech", 0, 10), tag("Music", 0, 10), tag("Dog", 1, 3), tag("Cat", 4, 6), tag("Bird", 7, 9),
                new TimelineTag("Cough", 0, 5 * S, 6 * S, 0.31f, 0.31f, -25f, 1, false)), -25f));
        assertThat(c.text()).doesNotContain("cough").endsWith(" over speech.");
        assertThat(c.labels()).contains("Speech").doesNotContain("Cough");
        assertThat(c.text().split(",|while|then").length).isLessThanOrEqualTo(4);
    }
}
