package io.hearken.inference.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to one JSON object of a manifest. Every problem is a {@link ErrorKind#MODEL} error that names
 * the source file and the field's path ({@code hearken-model.json: outputs[2].dim must be ...}).
 */
final class JsonFields {
    private final JsonNode node;
    private final String source;
    private final String path;

    JsonFields(JsonNode node, String source, String path) {
        this.node = node;
        this.source = source;
        this.path = path;
        if (node == null || !node.isObject()) {
            throw error(path.isEmpty() ? "the manifest must be a JSON object" : "must be a JSON object");
        }
    }

    String source() {
        return source;
    }

    HearkenException error(String what) {
        return new HearkenException(ErrorKind.MODEL, source + ": " + (path.isEmpty() ? "" : path + " ") + what);
    }

    HearkenException error(String key, String what) {
        return new HearkenException(ErrorKind.MODEL, source + ": " + qualified(key) + " " + what);
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Rejects keys outside {@code known} (typos must not be silently ignored); keys starting "x-" are free. */
    void allowOnly(Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k) && !k.startsWith("x-")) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw error("has unknown field(s) " + unknown + "; known fields: " + new TreeSet<>(known));
        }
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode required(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw error(key, "is missing");
        }
        return v;
    }

    String string(String key) {
        JsonNode v = required(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(key, "must be a non-empty string, got " + v);
        }
        return v.asText().trim();
    }

    Optional<String> optString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    int integer(String key) {
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(key, "must be an integer, got " + v);
        }
        return v.intValue();
    }

    boolean bool(String key) {
        JsonNode v = required(key);
        if (!v.isBoolean()) {
            throw error(key, "must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    double number(String key) {
        JsonNode v = required(key);
        if (!v.isNumber()) {
            throw error(key, "must be a number, got " + v);
        }
        return v.doubleValue();
    }

    /** An ISO-8601 duration string ("PT2S", "PT0.5S") or a number of milliseconds (2000). */
    Duration duration(String key) {
        JsonNode v = required(key);
        Duration d;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            d = Duration.ofMillis(v.longValue());
        } else if (v.isTextual()) {
            try {
                d = Duration.parse(v.asText().trim());
            } catch (DateTimeParseException e) {
                throw error(key, "must be an ISO-8601 duration (e.g. \"PT2S\") or milliseconds, got " + v);
            }
        } else {
            throw error(key, "must be an ISO-8601 duration (e.g. \"PT2S\") or milliseconds, got " + v);
        }
        if (d.isNegative() || d.isZero()) {
            throw error(key, "must be positive, got " + v);
        }
        return d;
    }

    JsonFields object(String key) {
        return new JsonFields(required(key), source, qualified(key));
    }

    List<JsonFields> objects(String key) {
        JsonNode v = required(key);
        if (!v.isArray()) {
            throw error(key, "must be an array, got " + v.getNodeType());
        }
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(new JsonFields(v.get(i), source, qualified(key) + "[" + i + "]"));
        }
        return out;
    }
}
