package io.hearken.sinks.tags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hearken.error.HearkenException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of {@link TagRules}. Every key is optional; unknown keys, wrong types and out-of-range values are
 * refused with a message naming the key. Durations are strings: {@code "1500ms"}, {@code "1.5s"}, {@code "2m"} or
 * ISO-8601 ({@code "PT1.5S"}).
 *
 * <pre>{@code
 * {
 *   "defaults": {"threshold": 0.3, "min_loudness_dbfs": -60, "onset_windows": 1, "max_not_heard": "1.5s"},
 *   "inactivity_timeout": "30s",
 *   "groups": {"dog": ["Dog", "Bark", "Bow-wow", "Growling"]},
 *   "listen": ["dog", "Siren", "Speech"],
 *   "labels": {"Speech": {"threshold": 0.5, "onset_windows": 2}, "dog": {"max_not_heard": "3s"}},
 *   "streams": {
 *     "kitchen-1": {"listen": ["Speech"]},
 *     "factory-*": {"defaults": {"min_loudness_dbfs": -40}, "labels": {"Siren": {"threshold": 0.6}},
 *                   "groups": {"alarm": ["Alarm", "Buzzer", "Beep, bleep"]}, "inactivity_timeout": "10s"}
 *   }
 * }
 * }</pre>
 */
public final class TagRulesConfig {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    private static final Set<String> TOP_KEYS = Set.of("defaults", "inactivity_timeout", "groups", "listen", "labels", "streams");
    private static final Set<String> STREAM_KEYS = Set.of("defaults", "inactivity_timeout", "groups", "listen", "labels");
    private static final Set<String> RULE_KEYS = Set.of("threshold", "min_loudness_dbfs", "onset_windows", "max_not_heard");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private TagRulesConfig() {
    }

    public static TagRules load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw HearkenException.config("tag rules: cannot read " + file + ": " + e.getMessage());
        }
    }

    public static TagRules parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw HearkenException.config("tag rules: not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || root.isMissingNode()) {
            return TagRules.defaults();
        }
        object(root, "", TOP_KEYS);
        TagRules.Builder b = TagRules.builder();
        if (root.has("defaults")) {
            b.defaults(rule(root.get("defaults"), "defaults"));
        }
        if (root.has("inactivity_timeout")) {
            b.inactivityTimeout(duration(root.get("inactivity_timeout"), "inactivity_timeout"));
        }
        groups(root.get("groups"), "groups").forEach(b::group);
        if (root.has("listen")) {
            b.listen(names(root.get("listen"), "listen"));
        }
        labels(root.get("labels"), "labels").forEach(b::label);
        if (root.has("streams")) {
            JsonNode streams = object(root.get("streams"), "streams", null);
            for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = TagRules.join("streams", e.getKey());
                JsonNode s = object(e.getValue(), path, STREAM_KEYS);
                b.stream(e.getKey(), new StreamOverride(
                        s.has("defaults") ? rule(s.get("defaults"), TagRules.join(path, "defaults")) : null,
                        labels(s.get("labels"), TagRules.join(path, "labels")),
                        groups(s.get("groups"), TagRules.join(path, "groups")),
                        s.has("listen") ? names(s.get("listen"), TagRules.join(path, "listen")) : null,
                        s.has("inactivity_timeout") ? duration(s.get("inactivity_timeout"), TagRules.join(path, "inactivity_timeout")) : null));
            }
        }
        return b.build();
    }

    private static LabelRuleOverride rule(JsonNode node, String path) {
        object(node, path, RULE_KEYS);
        LabelRuleOverride r = new LabelRuleOverride(
                node.has("threshold") ? (float) number(node.get("threshold"), TagRules.join(path, "threshold")) : null,
                node.has("min_loudness_dbfs") ? (float) number(node.get("min_loudness_dbfs"), TagRules.join(path, "min_loudness_dbfs")) : null,
                node.has("onset_windows") ? whole(node.get("onset_windows"), TagRules.join(path, "onset_windows")) : null,
                node.has("max_not_heard") ? duration(node.get("max_not_heard"), TagRules.join(path, "max_not_heard")) : null);
        r.validate(path);
        return r;
    }

    private static Map<String, LabelRuleOverride> labels(JsonNode node, String path) {
        Map<String, LabelRuleOverride> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        object(node, path, null).fields().forEachRemaining(e -> out.put(e.getKey(), rule(e.getValue(), TagRules.join(path, e.getKey()))));
        return out;
    }

    private static Map<String, List<String>> groups(JsonNode node, String path) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        object(node, path, null).fields().forEachRemaining(e -> out.put(e.getKey(), names(e.getValue(), TagRules.join(path, e.getKey()))));
        return out;
    }

    private static List<String> names(JsonNode node, String path) {
        if (!node.isArray()) {
            throw HearkenException.config("tag rules: " + path + " must be a list of names, got " + node);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw HearkenException.config("tag rules: " + path + "[" + i + "] must be a name (a string), got " + node.get(i));
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    private static JsonNode object(JsonNode node, String path, Set<String> known) {
        if (node == null || !node.isObject()) {
            throw HearkenException.config("tag rules: " + (path.isEmpty() ? "the document" : path)
                    + " must be a JSON object, got " + node);
        }
        if (known != null) {
            node.fieldNames().forEachRemaining(key -> {
                if (!known.contains(key)) {
                    throw HearkenException.config("tag rules: unknown key " + TagRules.join(path, key)
                            + " (known here: " + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            });
        }
        return node;
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw HearkenException.config("tag rules: " + path + " must be a number, got " + node);
        }
        return node.asDouble();
    }

    private static int whole(JsonNode node, String path) {
        if (!node.isNumber() || new BigDecimal(node.asText()).stripTrailingZeros().scale() > 0 || !node.canConvertToInt()) {
            throw HearkenException.config("tag rules: " + path + " must be a whole number, got " + node);
        }
        return node.asInt();
    }

    static Duration duration(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw HearkenException.config("tag rules: " + path + " must be a duration such as \"1.5s\", \"1500ms\" or \"PT1.5S\", got " + node);
        }
        return parseDuration(node.asText(), "tag rules: " + path);
    }

    /**
     * {@code "1500ms"}, {@code "1.5s"}, {@code "2m"}, {@code "1h"} or ISO-8601; an error message starts with
     * {@code what} (the key).
     */
    public static Duration parseDuration(String text, String what) {
        String t = text.trim();
        Matcher m = SIMPLE_DURATION.matcher(t);
        if (m.matches()) {
            BigDecimal amount = new BigDecimal(m.group(1));
            BigDecimal millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount.movePointRight(3);
                case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
                default -> amount.multiply(BigDecimal.valueOf(3_600_000));
            };
            return Duration.ofNanos(millis.movePointRight(6).longValue());
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw HearkenException.config(what + " must be a duration such as \"1.5s\", \"1500ms\" or \"PT1.5S\", got \"" + text + "\"");
        }
    }
}
