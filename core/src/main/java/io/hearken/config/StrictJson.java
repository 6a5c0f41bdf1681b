package io.hearken.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The one strict reader for JSON rule documents (tag rules, alert rules). Parsing rejects syntax errors (with line
 * and column), duplicate keys and trailing content at once. Reading then goes through {@link Node}s, which track the
 * JSON path ({@code streams.factory-*.labels.Siren.threshold}) and <em>collect</em> problems instead of throwing on
 * the first, so a user sees every mistake in one go; {@link Doc#throwIfErrors()} ends the reading.
 *
 * <p>Fixed keys, those listed in {@link Node#allowOnly}, must be snake_case ({@code [a-z0-9_]+}); unknown ones are
 * reported with the nearest allowed key. Free-form keys (label names, stream globs) are read with
 * {@link Node#entries()} and are exempt. A JSON {@code null} is a wrong type, not an absent key.
 *
 * <pre>{@code
 * StrictJson.Doc doc = StrictJson.parse(text, "tag rules (rules.json)");
 * StrictJson.Node root = doc.root().allowOnly("defaults", "streams");
 * Optional<Double> threshold = root.optObject("defaults").flatMap(d -> d.allowOnly("threshold").optNumber("threshold", 0, 1));
 * doc.throwIfErrors();
 * }</pre>
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern SNAKE = Pattern.compile("[a-z0-9_]+");

    private StrictJson() {
    }

    /**
     * Parses {@code text}; {@code source} names it in every message, e.g. {@code tag rules (rules.json)}.
     * Throws a CONFIG {@code HearkenException} on a syntax error, with line and column.
     */
    public static Doc parse(String text, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new HearkenException(ErrorKind.CONFIG, source + ": " + where + firstLine(e.getOriginalMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw HearkenException.config(source + ": the document is empty");
        }
        return new Doc(source, tree);
    }

    /** Reads and parses {@code file}; messages name it as {@code what (file)}, e.g. {@code tag rules (rules.json)}. */
    public static Doc read(Path file, String what) {
        String source = what + " (" + file + ")";
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.CONFIG, source + ": cannot be read: " + e, e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A parsed document and the problems found while reading it. Not thread-safe: read it on one thread. */
    public static final class Doc {
        private final String source;
        private final JsonNode tree;
        private final Set<String> errors = new LinkedHashSet<>();

        private Doc(String source, JsonNode tree) {
            this.source = source;
            this.tree = tree;
        }

        public String source() {
            return source;
        }

        public Node root() {
            return new Node(this, "", tree);
        }

        /** Every problem so far, each {@code SOURCE: PATH: MESSAGE}, in the order found. */
        public List<String> errors() {
            return List.copyOf(errors);
        }

        public boolean hasErrors() {
            return !errors.isEmpty();
        }

        /** Throws one CONFIG {@code HearkenException} listing every problem, one a line, if there is any. */
        public void throwIfErrors() {
            if (!errors.isEmpty()) {
                throw HearkenException.config(String.join("\n", errors));
            }
        }

        private void error(String path, String message) {
            // A set: a node read twice (e.g. a wrong-typed parent) reports its problem once.
            errors.add(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        }
    }

    /** A position in the document: its path and JSON value. Reading a wrong value records a problem and yields empty. */
    public static final class Node {
        private final Doc doc;
        private final String path;
        private final JsonNode json;

        private Node(Doc doc, String path, JsonNode json) {
            this.doc = doc;
            this.path = path;
            this.json = json;
        }

        /** {@code streams.factory-*.labels.Siren}, {@code groups[2]}; empty for the root. */
        public String path() {
            return path;
        }

        public JsonNode json() {
            return json;
        }

        /** Records a problem at this node, for checks only the caller knows (e.g. onset before offset). */
        public void error(String message) {
            doc.error(path, message);
        }

        /**
         * Requires an object whose keys are all among {@code keys}; reports each other key with the nearest allowed
         * one, and a camelCase or kebab-case key as not snake_case. Returns this node, for chaining.
         */
        public Node allowOnly(String... keys) {
            List<String> allowed = Arrays.asList(keys);
            for (String key : allowed) {
                if (!SNAKE.matcher(key).matches()) {
                    throw new IllegalArgumentException("fixed keys are snake_case: " + key);
                }
            }
            if (!expect(JsonNode::isObject, "an object")) {
                return this;
            }
            for (Map.Entry<String, JsonNode> entry : json.properties()) {
                String key = entry.getKey();
                if (allowed.contains(key)) {
                    continue;
                }
                String snake = Texts.snakeCase(key);
                Optional<String> suggestion = allowed.contains(snake) ? Optional.of(snake) : Texts.nearest(key, allowed);
                String hint = suggestion.map(s -> " (did you mean " + Texts.quote(s) + "?)")
                        .orElse(" (allowed: " + String.join(", ", allowed) + ")");
                doc.error(child(key), SNAKE.matcher(key).matches() ? "unknown key" + hint : "keys are snake_case" + hint);
            }
            return this;
        }

        /** Records a problem for each of {@code keys} this object lacks; true when none is missing. */
        public boolean require(String... keys) {
            if (!expect(JsonNode::isObject, "an object")) {
                return false;
            }
            boolean all = true;
            for (String key : keys) {
                if (!json.has(key)) {
                    error("missing required key " + Texts.quote(key));
                    all = false;
                }
            }
            return all;
        }

        /** The child at {@code key}, if this is an object that has it. */
        public Optional<Node> opt(String key) {
            if (!expect(JsonNode::isObject, "an object") || !json.has(key)) {
                return Optional.empty();
            }
            return Optional.of(new Node(doc, child(key), json.get(key)));
        }

        /** The child at {@code key}, which must be an object if present. */
        public Optional<Node> optObject(String key) {
            return opt(key).filter(n -> n.expect(JsonNode::isObject, "an object"));
        }

        public Optional<String> optString(String key) {
            return opt(key).flatMap(Node::asString);
        }

        /** Whole numbers only: {@code 2.5} and {@code 2.0} are errors. */
        public Optional<Integer> optInt(String key) {
            return opt(key).flatMap(Node::asInt);
        }

        public Optional<Integer> optInt(String key, int min, int max) {
            return opt(key).flatMap(n -> n.asInt(min, max));
        }

        public Optional<Double> optNumber(String key) {
            return opt(key).flatMap(Node::asNumber);
        }

        /** A number in {@code [min, max]}, inclusive. */
        public Optional<Double> optNumber(String key, double min, double max) {
            return opt(key).flatMap(n -> n.asNumber(min, max));
        }

        public Optional<Boolean> optBoolean(String key) {
            return opt(key).flatMap(Node::asBoolean);
        }

        /** A string in the {@link Durations} syntax ({@code "30s"}, {@code "PT30S"}). */
        public Optional<Duration> optDuration(String key) {
            return opt(key).flatMap(Node::asDuration);
        }

        public Optional<List<String>> optStringList(String key) {
            return opt(key).flatMap(Node::asStringList);
        }

        /** The object at {@code key} read as a free-form map whose values must be objects; empty when absent. */
        public Map<String, Node> objectEntries(String key) {
            Map<String, Node> out = new LinkedHashMap<>();
            opt(key).map(Node::entries).orElse(Map.of()).forEach((name, node) -> {
                if (node.expect(JsonNode::isObject, "an object")) {
                    out.put(name, node);
                }
            });
            return Collections.unmodifiableMap(out);
        }

        /** This object as a free-form map (keys exempt from snake_case), in document order. */
        public Map<String, Node> entries() {
            Map<String, Node> out = new LinkedHashMap<>();
            if (expect(JsonNode::isObject, "an object")) {
                json.properties().forEach(e -> out.put(e.getKey(), new Node(doc, child(e.getKey()), e.getValue())));
            }
            return Collections.unmodifiableMap(out);
        }

        /** This array's elements, paths {@code path[i]}. */
        public List<Node> elements() {
            List<Node> out = new ArrayList<>();
            if (expect(JsonNode::isArray, "an array")) {
                for (int i = 0; i < json.size(); i++) {
                    out.add(new Node(doc, path + "[" + i + "]", json.get(i)));
                }
            }
            return Collections.unmodifiableList(out);
        }

        public Optional<String> asString() {
            return expect(JsonNode::isTextual, "a string") ? Optional.of(json.textValue()) : Optional.empty();
        }

        public Optional<Integer> asInt() {
            return expect(n -> n.isIntegralNumber() && n.canConvertToInt(), "a whole number") ? Optional.of(json.intValue()) : Optional.empty();
        }

        public Optional<Integer> asInt(int min, int max) {
            return asInt().filter(v -> within(v >= min && v <= max, min, max));
        }

        public Optional<Double> asNumber() {
            return expect(JsonNode::isNumber, "a number") ? Optional.of(json.doubleValue()) : Optional.empty();
        }

        public Optional<Double> asNumber(double min, double max) {
            return asNumber().filter(v -> within(v >= min && v <= max, Texts.number(min), Texts.number(max)));
        }

        public Optional<Boolean> asBoolean() {
            return expect(JsonNode::isBoolean, "true or false") ? Optional.of(json.booleanValue()) : Optional.empty();
        }

        public Optional<Duration> asDuration() {
            return asString().flatMap(parsing(Durations::parse));
        }

        public Optional<List<String>> asStringList() {
            if (!expect(JsonNode::isArray, "an array of strings")) {
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            for (Node element : elements()) {
                element.asString().ifPresent(out::add);
            }
            return out.size() == json.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
        }

        /** Turns a parser's {@link IllegalArgumentException} into a problem at this node. */
        public <T> Function<String, Optional<T>> parsing(Function<String, T> parser) {
            return text -> {
                try {
                    return Optional.of(parser.apply(text));
                } catch (IllegalArgumentException e) {
                    error(e.getMessage());
                    return Optional.empty();
                }
            };
        }

        private boolean within(boolean ok, Object min, Object max) {
            if (!ok) {
                error(json + " is outside [" + min + ", " + max + "]");
            }
            return ok;
        }

        private boolean expect(Predicate<JsonNode> test, String what) {
            if (test.test(json)) {
                return true;
            }
            error("expected " + what + ", got " + describe(json));
            return false;
        }

        private String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private static String describe(JsonNode value) {
            if (value.isObject()) {
                return "an object";
            }
            if (value.isArray()) {
                return "an array";
            }
            String text = value.toString();
            return text.length() > 40 ? text.substring(0, 37) + "..." : text;
        }
    }
}
