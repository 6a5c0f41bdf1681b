package io.hearken.sinks.tags;

import io.hearken.config.StrictJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of {@link TagRules}, read by the one strict reader ({@link StrictJson}): every key is optional, keys
 * are snake_case, durations are strings in the one duration syntax ({@code "1500ms"}, {@code "1.5s"}, {@code "2m"},
 * {@code "PT1.5S"}). Every mistake in the document (unknown key, with the nearest allowed one; wrong type;
 * out-of-range value) is reported at once, each with its JSON path.
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
    /** Names the document in messages: {@code tag rules (rules.json): defaults.threshold: ...}. */
    public static final String WHAT = "tag rules";

    private static final String[] TOP_KEYS = {"defaults", "inactivity_timeout", "groups", "listen", "labels", "streams"};
    private static final String[] STREAM_KEYS = {"defaults", "inactivity_timeout", "groups", "listen", "labels"};
    private static final String[] RULE_KEYS = {"threshold", "min_loudness_dbfs", "onset_windows", "max_not_heard"};
    private static final int MAX_ONSET_WINDOWS = 1000;

    private TagRulesConfig() {
    }

    public static TagRules load(Path file) {
        return read(StrictJson.read(file, WHAT));
    }

    public static TagRules parse(String json) {
        return read(StrictJson.parse(json, WHAT));
    }

    private static TagRules read(StrictJson.Doc doc) {
        StrictJson.Node root = doc.root().allowOnly(TOP_KEYS);
        TagRules.Builder b = TagRules.builder();
        root.optObject("defaults").map(TagRulesConfig::rule).ifPresent(b::defaults);
        timeout(root).ifPresent(b::inactivityTimeout);
        groups(root).forEach(b::group);
        listen(root).ifPresent(b::listen);
        labels(root).forEach(b::label);
        root.objectEntries("streams").forEach((pattern, s) -> {
            if (pattern.isBlank()) {
                s.error("an empty stream id or pattern");
            }
            s.allowOnly(STREAM_KEYS);
            b.stream(pattern, new StreamOverride(s.optObject("defaults").map(TagRulesConfig::rule).orElse(null),
                    labels(s), groups(s), listen(s).orElse(null), timeout(s).orElse(null)));
        });
        doc.throwIfErrors();
        return b.build();
    }

    private static LabelRuleOverride rule(StrictJson.Node node) {
        node.allowOnly(RULE_KEYS);
        Float threshold = node.opt("threshold").flatMap(n -> n.asNumber()
                .filter(v -> check(n, v > 0 && v <= 1, n.json() + " is outside (0, 1]"))).map(Double::floatValue).orElse(null);
        Float gate = node.opt("min_loudness_dbfs").flatMap(n -> n.asNumber()
                .filter(v -> check(n, v <= 0, n.json() + " is not a level in dBFS (at most 0)"))).map(Double::floatValue).orElse(null);
        Integer onset = node.optInt("onset_windows", 1, MAX_ONSET_WINDOWS).orElse(null);
        Duration maxNotHeard = node.optDuration("max_not_heard").orElse(null);
        return new LabelRuleOverride(threshold, gate, onset, maxNotHeard);
    }

    private static Map<String, LabelRuleOverride> labels(StrictJson.Node parent) {
        Map<String, LabelRuleOverride> out = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        parent.objectEntries("labels").forEach((label, node) -> {
            String earlier = seen.putIfAbsent(TagRules.lower(label), label);
            if (label.isBlank()) {
                node.error("an empty label name");
            } else if (earlier != null) {
                node.error("names '" + earlier + "' again (names are matched without regard to case)");
            }
            out.put(label, rule(node));
        });
        return out;
    }

    private static Map<String, List<String>> groups(StrictJson.Node parent) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        parent.opt("groups").map(StrictJson.Node::entries).orElse(Map.of()).forEach((name, node) -> {
            String earlier = seen.putIfAbsent(TagRules.lower(name), name);
            if (name.isBlank()) {
                node.error("a group with an empty name");
            } else if (earlier != null) {
                node.error("defines '" + earlier + "' again (names are matched without regard to case)");
            }
            names(node).filter(members -> check(node, !members.isEmpty(), "must list at least one label"))
                    .ifPresent(members -> out.put(name, members));
        });
        return out;
    }

    private static Optional<List<String>> listen(StrictJson.Node parent) {
        return parent.opt("listen").flatMap(TagRulesConfig::names);
    }

    /** A list of non-blank names; each blank one is reported at its index. */
    private static Optional<List<String>> names(StrictJson.Node node) {
        Optional<List<String>> names = node.asStringList();
        List<StrictJson.Node> elements = node.json().isArray() ? node.elements() : List.of();
        boolean blank = false;
        for (StrictJson.Node element : elements) {
            if (element.json().isTextual() && element.json().textValue().isBlank()) {
                element.error("an empty name");
                blank = true;
            }
        }
        return blank ? Optional.empty() : names;
    }

    private static Optional<Duration> timeout(StrictJson.Node parent) {
        return parent.opt("inactivity_timeout").flatMap(n -> n.asDuration()
                .filter(d -> check(n, !d.isZero(), "must be more than 0")));
    }

    /** Records {@code message} at {@code node} unless {@code ok}; returns {@code ok}, for filters. */
    private static boolean check(StrictJson.Node node, boolean ok, String message) {
        if (!ok) {
            node.error(message);
        }
        return ok;
    }
}
