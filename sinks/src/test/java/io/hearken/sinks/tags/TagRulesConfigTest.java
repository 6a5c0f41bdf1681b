package io.hearken.sinks.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.Durations;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagRulesConfigTest {
    static final String EXAMPLE = """
            {
              "defaults": {"threshold": 0.3, "min_loudness_dbfs": -60, "onset_windows": 1, "max_not_heard": "1.5s"},
              "inactivity_timeout": "30s",
              "groups": {"dog": ["Dog", "Bark", "Bow-wow", "Growling"]},
              "listen": ["dog", "Siren", "Speech"],
              "labels": {"Speech": {"threshold": 0.5, "onset_windows": 2}, "dog": {"max_not_heard": "3s"}},
              "streams": {
                "kitchen-1": {"listen": ["Speech"]},
                "factory-*": {"defaults": {"min_loudness_dbfs": -40, "threshold": 0.45},
                              "labels": {"Siren": {"threshold": 0.6}},
                              "groups": {"alarm": ["Alarm", "Buzzer", "Beep, bleep"]},
                              "listen": ["alarm", "Siren"],
                              "inactivity_timeout": "PT10S"}
              }
            }
            """;

    @Test
    void parsesTheDocumentedExample() {
        TagRules rules = TagRulesConfig.parse(EXAMPLE);
        assertThat(rules.threshold()).isEqualTo(0.3f);
        assertThat(rules.holdOff()).isEqualTo(Duration.ofMillis(1500));
        assertThat(rules.inactivityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(rules.shortestInactivityTimeout()).isEqualTo(Duration.ofSeconds(10));

        StreamRules home = rules.forStream("home");
        assertThat(home.rule("Speech")).isEqualTo(new LabelRule(0.5f, -60f, 2, Duration.ofMillis(1500)));
        assertThat(home.rule("DOG").maxNotHeard()).isEqualTo(Duration.ofSeconds(3));
        assertThat(home.rule("Cat")).isEqualTo(new LabelRule(0.3f, -60f, 1, Duration.ofMillis(1500)));
        assertThat(home.listensTo("Cat")).isFalse();
        assertThat(home.listensTo("dog")).isTrue();
        assertThat(rules.forStream("kitchen-1").listensTo("Siren")).isFalse();

        StreamRules factory = rules.forStream("factory-3");
        assertThat(factory.override()).isEqualTo("factory-*");
        assertThat(factory.inactivityTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(factory.rule("Siren")).isEqualTo(new LabelRule(0.6f, -40f, 1, Duration.ofMillis(1500)));
        // labels.Speech (global, label-specific) beats streams.factory-*.defaults for the fields it sets
        assertThat(factory.rule("Speech")).isEqualTo(new LabelRule(0.5f, -40f, 2, Duration.ofMillis(1500)));
        assertThat(factory.rule("alarm")).isEqualTo(new LabelRule(0.45f, -40f, 1, Duration.ofMillis(1500)));

        rules.validateLabels(List.of("Dog", "Bark", "Bow-wow", "Growling", "Siren", "Speech", "Alarm", "Buzzer", "Beep, bleep"));
    }

    @Test
    void emptyObjectGivesTheDefaultsButAnEmptyFileIsAMistake() {
        TagRules rules = TagRulesConfig.parse("{}");
        assertThat(rules.forStream("x").rule("Cat")).isEqualTo(TagRules.DEFAULT_RULE);
        assertThat(rules.inactivityTimeout()).isEqualTo(TagRules.DEFAULT_INACTIVITY_TIMEOUT);
        assertThatThrownBy(() -> TagRulesConfig.parse(" ")).isInstanceOf(HearkenException.class)
                .hasMessage("tag rules: the document is empty");
    }

    @Test
    void durationsInTheOneSyntax() {
        TagRules rules = TagRulesConfig.parse("""
                {"defaults": {"max_not_heard": "1500ms"}, "inactivity_timeout": "2m",
                 "labels": {"Dog": {"max_not_heard": "PT0.25S"}, "Cat": {"max_not_heard": "0"}}}
                """);
        assertThat(rules.holdOff()).isEqualTo(Duration.ofMillis(1500));
        assertThat(rules.inactivityTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(rules.forStream("s").rule("Dog").maxNotHeard()).isEqualTo(Duration.ofMillis(250));
        assertThat(rules.forStream("s").rule("Cat").maxNotHeard()).isZero();
    }

    /** The problems of a document that must be refused, one a line. */
    private static List<String> problems(String json) {
        try {
            TagRulesConfig.parse(json);
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return List.of(e.getMessage().split("\n"));
        }
        throw new AssertionError("expected the rules to be refused");
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPath() {
        assertThat(problems("""
                {"defaults": {"treshold": 0.4, "onset_windows": 1.5, "max_not_heard": 1500, "min_loudness_dbfs": 3},
                 "inactivity_timeout": "0s",
                 "groups": {"dog": [], "cat": "Cat", "Pets": ["Cat"], "pets": ["Dog"]},
                 "listen": ["Dog", 3, " "],
                 "labels": {"Dog": {"threshold": 1.5}, "dog": {}, "Cat": {"threshold": "high"}},
                 "streams": {"f-*": {"labels": {"Siren": {"threshold": 0}}, "lisen": [], "inactivity_timeout": "soon"},
                             "": {}}}
                """)).containsExactly(
                "tag rules: defaults.treshold: unknown key (did you mean 'threshold'?)",
                "tag rules: defaults.min_loudness_dbfs: 3 is not a level in dBFS (at most 0)",
                "tag rules: defaults.onset_windows: expected a whole number, got 1.5",
                "tag rules: defaults.max_not_heard: expected a string, got 1500",
                "tag rules: inactivity_timeout: must be more than 0",
                "tag rules: groups.dog: must list at least one label",
                "tag rules: groups.cat: expected an array of strings, got \"Cat\"",
                "tag rules: groups.pets: defines 'Pets' again (names are matched without regard to case)",
                "tag rules: listen[1]: expected a string, got 3",
                "tag rules: listen[2]: an empty name",
                "tag rules: labels.Dog.threshold: 1.5 is outside (0, 1]",
                "tag rules: labels.dog: names 'Dog' again (names are matched without regard to case)",
                "tag rules: labels.Cat.threshold: expected a number, got \"high\"",
                "tag rules: streams.f-*.lisen: unknown key (did you mean 'listen'?)",
                "tag rules: streams.f-*.labels.Siren.threshold: 0 is outside (0, 1]",
                "tag rules: streams.f-*.inactivity_timeout: 'soon' is not a duration (" + Durations.SYNTAX + ")",
                "tag rules: streams.: an empty stream id or pattern");
    }

    @Test
    void camelCaseKeysAreRefusedWithTheSnakeCaseKey() {
        assertThat(problems("""
                {"defaults": {"maxNotHeard": "1s", "minLoudnessDbfs": -60, "onset-windows": 2},
                 "inactivityTimeout": "30s"}
                """)).containsExactly(
                "tag rules: inactivityTimeout: keys are snake_case (did you mean 'inactivity_timeout'?)",
                "tag rules: defaults.maxNotHeard: keys are snake_case (did you mean 'max_not_heard'?)",
                "tag rules: defaults.minLoudnessDbfs: keys are snake_case (did you mean 'min_loudness_dbfs'?)",
                "tag rules: defaults.onset-windows: keys are snake_case (did you mean 'onset_windows'?)");
    }

    @Test
    void syntaxErrorsAndWrongShapes(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TagRulesConfig.parse("{\"defaults\": ")).isInstanceOf(HearkenException.class)
                .hasMessageStartingWith("tag rules: line 1");
        assertThatThrownBy(() -> TagRulesConfig.parse("{\"a\": 1, // no comments\n}")).hasMessageStartingWith("tag rules: line 1");
        assertThat(problems("[1]")).containsExactly("tag rules: expected an object, got an array");
        assertThat(problems("{\"streams\": {\"a\": 1}, \"labels\": []}")).containsExactly(
                "tag rules: labels: expected an object, got an array",
                "tag rules: streams.a: expected an object, got 1");
        Path file = Files.writeString(dir.resolve("rules.json"), "{\"defaults\": {\"threshold\": 2}}");
        assertThatThrownBy(() -> TagRulesConfig.load(file))
                .hasMessage("tag rules (" + file + "): defaults.threshold: 2 is outside (0, 1]");
    }

    @Test
    void labelNamesAreCheckedAgainstTheModelWithASuggestion() {
        List<String> model = List.of("Speech", "Dog", "Bark", "Siren", "Cat");
        TagRules typo = TagRulesConfig.parse("{\"listen\": [\"Dgo\"]}");
        assertThatThrownBy(() -> typo.validateLabels(model)).hasMessageContaining("listen[0]")
                .hasMessageContaining("\"Dgo\"").hasMessageContaining("did you mean \"Dog\"");
        TagRules several = TagRulesConfig.parse("{\"listen\": [\"Dgo\", \"Speech\", \"Sirne\"], \"labels\": {\"Kat\": {}}}");
        assertThatThrownBy(() -> several.validateLabels(model)).hasMessage(String.join("\n",
                "tag rules: labels: \"kat\" is neither a label of the model nor a group (did you mean \"Cat\"?)",
                "tag rules: listen[0]: \"Dgo\" is neither a label of the model nor a group (did you mean \"Dog\"?)",
                "tag rules: listen[2]: \"Sirne\" is neither a label of the model nor a group (did you mean \"Siren\"?)"));
        TagRules member = TagRulesConfig.parse("{\"streams\": {\"s-*\": {\"groups\": {\"pets\": [\"Cat\", \"Parrot\"]}}}}");
        assertThatThrownBy(() -> member.validateLabels(model)).hasMessageContaining("streams.s-*.groups.pets")
                .hasMessageContaining("\"Parrot\"");
        TagRules label = TagRulesConfig.parse("{\"labels\": {\"Sirens\": {\"threshold\": 0.5}}}");
        assertThatThrownBy(() -> label.validateLabels(model)).hasMessageContaining("labels")
                .hasMessageContaining("did you mean \"Siren\"");
        // group names are valid label keys and listen entries
        TagRulesConfig.parse("{\"groups\": {\"dog\": [\"Dog\", \"Bark\"]}, \"listen\": [\"DOG\"], \"labels\": {\"dog\": {\"threshold\": 0.5}}}")
                .validateLabels(model);
    }

    @Test
    void compatibleConstructorKeepsItsMeaning() {
        TagRules rules = new TagRules(0.4f, Duration.ofSeconds(2), Duration.ofSeconds(20));
        assertThat(rules.forStream("any").rule("Cat")).isEqualTo(new LabelRule(0.4f, LabelRule.NO_GATE, 1, Duration.ofSeconds(2)));
        assertThat(rules.inactivityTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> new TagRules(0f, Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new TagRules(0.3f, Duration.ZERO, Duration.ZERO)).hasMessageContaining("inactivity_timeout");
    }
}
