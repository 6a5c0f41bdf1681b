package io.hearken.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictJsonTest {
    private static final String SOURCE = "tag rules (rules.json)";

    /** A tag-rules shaped reader: what the callers will write. */
    private record Rule(String stream, String label, Optional<Double> threshold) {
    }

    private static List<Rule> readRules(StrictJson.Doc doc) {
        StrictJson.Node root = doc.root().allowOnly("defaults", "streams");
        root.optObject("defaults").ifPresent(d -> {
            d.allowOnly("threshold", "max_not_heard", "min_windows", "labels");
            d.optNumber("threshold", 0, 1);
            d.optDuration("max_not_heard");
            d.optInt("min_windows", 1, 100);
            d.optStringList("labels");
        });
        List<Rule> rules = new ArrayList<>();
        root.objectEntries("streams").forEach((glob, stream) -> {
            stream.allowOnly("labels", "enabled");
            stream.optBoolean("enabled");
            stream.objectEntries("labels").forEach((label, rule) ->
                    rules.add(new Rule(glob, label, rule.allowOnly("threshold").optNumber("threshold", 0, 1))));
        });
        return rules;
    }

    private static String failure(StrictJson.Doc doc) {
        try {
            doc.throwIfErrors();
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("expected errors");
    }

    @Test
    void readsAValidDocument() {
        StrictJson.Doc doc = StrictJson.parse("""
                {"defaults": {"threshold": 0.5, "max_not_heard": "30s", "min_windows": 3, "labels": ["Siren", "Dog"]},
                 "streams": {"factory-*": {"enabled": true, "labels": {"Siren": {"threshold": 0.7}, "Glass break": {}}}}}
                """, SOURCE);
        List<Rule> rules = readRules(doc);
        doc.throwIfErrors();
        assertThat(rules).containsExactly(new Rule("factory-*", "Siren", Optional.of(0.7)), new Rule("factory-*", "Glass break", Optional.empty()));
        StrictJson.Node defaults = doc.root().optObject("defaults").orElseThrow();
        assertThat(defaults.optDuration("max_not_heard")).contains(Duration.ofSeconds(30));
        assertThat(defaults.optInt("min_windows")).contains(3);
        assertThat(defaults.optStringList("labels")).contains(List.of("Siren", "Dog"));
        assertThat(defaults.optString("nothing")).isEmpty();
        assertThat(doc.hasErrors()).isFalse();
    }

    @Test
    void collectsEveryErrorWithItsPath() {
        StrictJson.Doc doc = StrictJson.parse("""
                {"defaults": {"threshold": 1.7, "max_not_heard": "soon", "min_windows": 2.5, "labels": ["Siren", 3]},
                 "streams": {"factory-*": {"enabled": "yes", "labels": {"Siren": {"threshold": "high"}, "Dog": 1}}}}
                """, SOURCE);
        readRules(doc);
        assertThat(doc.errors()).containsExactly(
                SOURCE + ": defaults.threshold: 1.7 is outside [0, 1]",
                SOURCE + ": defaults.max_not_heard: 'soon' is not a duration (" + Durations.SYNTAX + ")",
                SOURCE + ": defaults.min_windows: expected a whole number, got 2.5",
                SOURCE + ": defaults.labels[1]: expected a string, got 3",
                SOURCE + ": streams.factory-*.enabled: expected true or false, got \"yes\"",
                SOURCE + ": streams.factory-*.labels.Dog: expected an object, got 1",
                SOURCE + ": streams.factory-*.labels.Siren.threshold: expected a number, got \"high\"");
        assertThat(failure(doc)).isEqualTo(String.join("\n", doc.errors()));
    }

    @Test
    void unknownKeysNameTheNearestAllowedKey() {
        StrictJson.Doc doc = StrictJson.parse("""
                {"defaults": {"thresold": 0.5, "colour": 1}, "stream": {}}
                """, SOURCE);
        readRules(doc);
        assertThat(doc.errors()).containsExactly(
                SOURCE + ": stream: unknown key (did you mean 'streams'?)",
                SOURCE + ": defaults.thresold: unknown key (did you mean 'threshold'?)",
                SOURCE + ": defaults.colour: unknown key (allowed: threshold, max_not_heard, min_windows, labels)");
    }

    @Test
    void fixedKeysMustBeSnakeCaseButFreeFormKeysNeedNot() {
        StrictJson.Doc doc = StrictJson.parse("""
                {"defaults": {"maxNotHeard": "1s", "Threshold": 0.5, "min-windows": 2},
                 "streams": {"Line A/*.wav": {"labels": {"Glass Break": {"threshold": 0.2}}}}}
                """, SOURCE);
        List<Rule> rules = readRules(doc);
        assertThat(doc.errors()).containsExactly(
                SOURCE + ": defaults.maxNotHeard: keys are snake_case (did you mean 'max_not_heard'?)",
                SOURCE + ": defaults.Threshold: keys are snake_case (did you mean 'threshold'?)",
                SOURCE + ": defaults.min-windows: keys are snake_case (did you mean 'min_windows'?)");
        assertThat(rules).containsExactly(new Rule("Line A/*.wav", "Glass Break", Optional.of(0.2)));
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        assertThatThrownBy(() -> StrictJson.parse("{\n  \"a\": 1,\n  \"b\" 2\n}", SOURCE))
                .isInstanceOf(HearkenException.class)
                .hasMessageStartingWith(SOURCE + ": line 3, column 7: Unexpected character");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 1, \"a\": 2}", SOURCE))
                .hasMessageStartingWith(SOURCE + ": line 1, column 13: Duplicate field 'a'");
        assertThatThrownBy(() -> StrictJson.parse("{} {}", SOURCE)).hasMessageStartingWith(SOURCE + ": line 1");
        assertThatThrownBy(() -> StrictJson.parse("  ", SOURCE)).hasMessage(SOURCE + ": the document is empty");
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 1, // no comments\n}", SOURCE)).hasMessageStartingWith(SOURCE + ": line 1");
    }

    @Test
    void wrongRootTypeAndNullsAndRequiredKeys() {
        StrictJson.Doc array = StrictJson.parse("[1]", SOURCE);
        readRules(array);
        assertThat(array.errors()).containsExactly(SOURCE + ": expected an object, got an array");

        StrictJson.Doc doc = StrictJson.parse("{\"defaults\": {\"threshold\": null}}", SOURCE);
        StrictJson.Node defaults = doc.root().optObject("defaults").orElseThrow();
        assertThat(defaults.optNumber("threshold")).isEmpty();
        assertThat(doc.root().require("defaults", "streams")).isFalse();
        defaults.error("threshold and labels cannot both be empty");
        assertThat(doc.errors()).containsExactly(
                SOURCE + ": defaults.threshold: expected a number, got null",
                SOURCE + ": missing required key 'streams'",
                SOURCE + ": defaults: threshold and labels cannot both be empty");
    }

    @Test
    void customParsersReportAtTheirNode() {
        StrictJson.Doc doc = StrictJson.parse("{\"device\": \"tpu\"}", SOURCE);
        Optional<String> device = doc.root().optString("device").flatMap(doc.root().opt("device").orElseThrow()
                .parsing(SampleSettings.DEVICE::parse));
        assertThat(device).isEmpty();
        assertThat(doc.errors()).containsExactly(SOURCE + ": device: 'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)");
    }

    @Test
    void readsFilesAndNamesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, "{\"defaults\": {\"threshold\": 2}}");
        StrictJson.Doc doc = StrictJson.read(file, "tag rules");
        readRules(doc);
        assertThat(failure(doc)).isEqualTo("tag rules (" + file + "): defaults.threshold: 2 is outside [0, 1]");
        assertThatThrownBy(() -> StrictJson.read(dir.resolve("missing.json"), "alert rules"))
                .isInstanceOf(HearkenException.class).hasMessageStartingWith("alert rules (" + dir.resolve("missing.json") + "): cannot be read");
        assertThat(StrictJson.parse("{}", SOURCE).root().entries()).isEqualTo(Map.of());
    }

    @Test
    void allowedKeysMustThemselvesBeSnakeCase() {
        StrictJson.Doc doc = StrictJson.parse("{}", SOURCE);
        assertThatThrownBy(() -> doc.root().allowOnly("maxNotHeard")).isInstanceOf(IllegalArgumentException.class);
    }
}
