package io.hearken.sinks.captions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.error.HearkenException;
import io.hearken.sinks.tags.TagRulesConfig;
import java.time.Duration;
import java.util.Set;

/**
 * When the caption sink speaks.
 *
 * @param period     a caption for every this much audio of a stream (default 10 s; {@code period})
 * @param onBurstEnd also caption as soon as a burst of tags ends: the last open tag closed by its hold-off
 *                   ({@code on_burst_end}, default true)
 * @param emitEmpty  caption spans in which no tag was heard too ("Nothing distinct is heard.") instead of skipping
 *                   them ({@code emit_empty}, default false)
 * @param grammar    wording of {@link GrammarCaptioner} ({@code grammar}: {@code loud_dbfs}, {@code faint_dbfs},
 *                   {@code max_clauses})
 */
public record CaptionSettings(Duration period, boolean onBurstEnd, boolean emitEmpty, GrammarCaptioner.Style grammar) {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("period", "on_burst_end", "emit_empty", "grammar");
    private static final Set<String> GRAMMAR_KEYS = Set.of("loud_dbfs", "faint_dbfs", "max_clauses");

    public CaptionSettings {
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw HearkenException.config("captions: period must be at least 1s, got " + period);
        }
        if (grammar == null) {
            grammar = GrammarCaptioner.Style.DEFAULT;
        }
    }

    public static CaptionSettings defaults() {
        return new CaptionSettings(DEFAULT_PERIOD, true, false, GrammarCaptioner.Style.DEFAULT);
    }

    public long periodMicros() {
        return period.toNanos() / 1000;
    }

    /** The captioner these settings describe. */
    public GrammarCaptioner grammarCaptioner() {
        return new GrammarCaptioner(grammar);
    }

    /**
     * {@code {"period": "10s", "on_burst_end": true, "emit_empty": false,
     * "grammar": {"loud_dbfs": -15, "faint_dbfs": -45, "max_clauses": 4}}}, every key optional.
     */
    public static CaptionSettings parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw HearkenException.config("captions: not valid JSON: " + e.getOriginalMessage());
        }
        CaptionSettings d = defaults();
        if (root == null || root.isMissingNode()) {
            return d;
        }
        check(root, "", KEYS);
        Duration period = root.has("period") ? TagRulesConfig.parseDuration(text(root.get("period"), "period"), "captions: period") : d.period();
        boolean burst = root.has("on_burst_end") ? bool(root.get("on_burst_end"), "on_burst_end") : d.onBurstEnd();
        boolean empty = root.has("emit_empty") ? bool(root.get("emit_empty"), "emit_empty") : d.emitEmpty();
        GrammarCaptioner.Style s = d.grammar();
        if (root.has("grammar")) {
            JsonNode g = root.get("grammar");
            check(g, "grammar", GRAMMAR_KEYS);
            s = new GrammarCaptioner.Style(
                    g.has("loud_dbfs") ? (float) number(g.get("loud_dbfs"), "grammar.loud_dbfs") : s.loudDbfs(),
                    g.has("faint_dbfs") ? (float) number(g.get("faint_dbfs"), "grammar.faint_dbfs") : s.faintDbfs(),
                    g.has("max_clauses") ? (int) number(g.get("max_clauses"), "grammar.max_clauses") : s.maxClauses(),
                    s.briefMicros(), s.backgroundCoverage());
        }
        return new CaptionSettings(period, burst, empty, s);
    }

    private static void check(JsonNode node, String path, Set<String> known) {
        if (!node.isObject()) {
            throw HearkenException.config("captions: " + (path.isEmpty() ? "the document" : path) + " must be a JSON object, got " + node);
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw HearkenException.config("captions: unknown key " + (path.isEmpty() ? k : path + "." + k)
                        + " (known here: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    private static String text(JsonNode n, String path) {
        if (!n.isTextual()) {
            throw HearkenException.config("captions: " + path + " must be a duration such as \"10s\", got " + n);
        }
        return n.asText();
    }

    private static boolean bool(JsonNode n, String path) {
        if (!n.isBoolean()) {
            throw HearkenException.config("captions: " + path + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    private static double number(JsonNode n, String path) {
        if (!n.isNumber()) {
            throw HearkenException.config("captions: " + path + " must be a number, got " + n);
        }
        return n.asDouble();
    }
}
