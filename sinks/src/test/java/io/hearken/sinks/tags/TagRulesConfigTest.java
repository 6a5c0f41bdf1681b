package io.hearken.sinks.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void emptyDocumentGivesTheDefaults() {
        TagRules rules = TagRulesConfig.parse("{}");
        assertThat(rules.forStream("x").rule("Cat")).isEqualTo(TagRules.DEFAULT_RULE);
        assertThat(TagRulesConfig.parse("").inactivityTimeout()).isEqualTo(TagRules.DEFAULT_INACTIVITY_TIMEOUT);
    }

    @Test
    void durationsInSeveralSpellings() {
        assertThat(TagRulesConfig.parseDuration("1500ms", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(TagRulesConfig.parseDuration("1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(TagRulesConfig.parseDuration("2m", "x")).isEqualTo(Duration.ofMinutes(2));
        assertThat(TagRulesConfig.parseDuration("PT0.25S", "x")).isEqualTo(Duration.ofMillis(250));
    }

    private static void refused(String json, String... fragments) {
        assertThatThrownBy(() -> TagRulesConfig.parse(json)).isInstanceOf(HearkenException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void mistakesAreRefusedNamingTheKey() {
        refused("{\"defaults\": {\"treshold\": 0.4}}", "unknown key defaults.treshold", "threshold");
        refused("{\"labels\": {\"Dog\": {\"threshold\": 1.5}}}", "labels.Dog.threshold", "(0, 1]", "1.5");
        refused("{\"streams\": {\"f-*\": {\"labels\": {\"Siren\": {\"threshold\": 0}}}}}", "streams.f-*.labels.Siren.threshold");
        refused("{\"defaults\": {\"onset_windows\": 0}}", "defaults.onset_windows");
        refused("{\"defaults\": {\"onset_windows\": 1.5}}", "defaults.onset_windows must be a whole number");
        refused("{\"defaults\": {\"max_not_heard\": 1500}}", "defaults.max_not_heard must be a duration");
        refused("{\"defaults\": {\"max_not_heard\": \"soon\"}}", "defaults.max_not_heard", "\"soon\"");
        refused("{\"defaults\": {\"max_not_heard\": \"-PT1S\"}}", "defaults.max_not_heard must be >= 0");
        refused("{\"defaults\": {\"min_loudness_dbfs\": 3}}", "defaults.min_loudness_dbfs");
        refused("{\"defaults\": {\"threshold\": \"high\"}}", "defaults.threshold must be a number");
        refused("{\"inactivity_timeout\": \"0s\"}", "inactivity_timeout must be > 0");
        refused("{\"streams\": {\"a\": {\"inactivity_timeout\": \"0s\"}}}", "streams.a.inactivity_timeout must be > 0");
        refused("{\"groups\": {\"dog\": []}}", "groups.dog must list at least one label");
        refused("{\"groups\": {\"dog\": \"Dog\"}}", "groups.dog must be a list of names");
        refused("{\"listen\": [\"Dog\", 3]}", "listen[1] must be a name");
        refused("{\"listen\": [\"Dog\", \" \"]}", "listen[1] is empty");
        refused("{\"labels\": {\"Dog\": {}, \"dog\": {}}}", "names \"dog\" twice");
        refused("{\"streams\": {\"a\": {\"lisen\": []}}}", "unknown key streams.a.lisen");
        refused("{\"thresold\": 0.3}", "unknown key thresold");
        refused("{\"defaults\": ", "not valid JSON", "line");
        refused("[1]", "the document must be a JSON object");
    }

    @Test
    void labelNamesAreCheckedAgainstTheModelWithASuggestion() {
        List<String> model = List.of("Speech", "Dog", "Bark", "Siren", "Cat");
        TagRules typo = TagRulesConfig.parse("{\"listen\": [\"Dgo\"]}");
        assertThatThrownBy(() -> typo.validateLabels(model)).hasMessageContaining("listen[0]")
                .hasMessageContaining("\"Dgo\"").hasMessageContaining("did you mean \"Dog\"");
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
