package io.hearken.sinks.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which events go to which webhook endpoints, and how deliveries are retried. Read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "retry": {"maxAttempts": 6, "initialBackoffMs": 500, "maxBackoffMs": 60000, "multiplier": 2.0},
 *   "endpoints": {
 *     "ops-pager": {"url": "https://pager.example.com/hooks/hearken",
 *                   "headers": {"Authorization": "Bearer ${env:PAGER_TOKEN}"},
 *                   "timeoutMs": 5000, "concurrency": 4, "queueCapacity": 1000},
 *     "plant-dashboard": {"url": "http://dashboard.local:8080/events", "retry": {"maxAttempts": 3}}
 *   },
 *   "rules": [
 *     {"name": "dogs-on-line-3", "type": "tag", "labels": ["Dog", "Bark"], "streams": ["line-3-*"],
 *      "minScore": 0.6, "endpoint": "ops-pager"},
 *     {"name": "machine-anomalies", "type": "anomaly", "onsetOnly": false, "endpoint": "plant-dashboard"},
 *     {"name": "all-captions", "type": "caption", "endpoint": "plant-dashboard"}
 *   ]
 * }
 * }</pre>
 *
 * Everything but {@code endpoints.*.url} and {@code rules[*].type}/{@code endpoint} has a default. {@code ${env:NAME}}
 * in a URL or header value is replaced by that environment variable, so secrets stay out of the file. Unknown
 * fields are errors (a misspelt {@code minscore} must not silently alert on everything); every problem found is
 * reported at once, each naming the rule or endpoint and the field.
 */
public record AlertRules(RetryPolicy retry, Map<String, Endpoint> endpoints, List<AlertRule> rules) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    /** Set by the alerter itself, or refused by java.net.http. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "idempotency-key", "content-length",
            "connection", "expect", "host", "upgrade");
    private static final Set<String> TOP_FIELDS = Set.of("retry", "endpoints", "rules");
    private static final Set<String> RETRY_FIELDS = Set.of("maxAttempts", "initialBackoffMs", "maxBackoffMs", "multiplier");
    private static final Set<String> ENDPOINT_FIELDS = Set.of("url", "headers", "timeoutMs", "concurrency",
            "queueCapacity", "retry");
    private static final Set<String> RULE_FIELDS = Set.of("name", "type", "labels", "streams", "minScore",
            "onsetOnly", "endpoint");

    public AlertRules {
        Objects.requireNonNull(retry, "retry");
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        rules = List.copyOf(rules);
        for (AlertRule r : rules) {
            if (!endpoints.containsKey(r.endpoint())) {
                throw HearkenException.config("alert rule '" + r.name() + "' sends to unknown endpoint '" + r.endpoint() + "'");
            }
        }
    }

    /** Reads the rules file; {@code ${env:NAME}} references are resolved from the process environment. */
    public static AlertRules load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.CONFIG, "cannot read alert rules " + file + ": " + e.getMessage(), e);
        }
        return parse(json, System::getenv, file.toString());
    }

    public static AlertRules parse(String json) {
        return parse(json, System::getenv, "alert rules");
    }

    /**
     * @param env    resolves {@code ${env:NAME}}; returns null for an unset variable
     * @param origin names the source in error messages (a file name)
     */
    public static AlertRules parse(String json, UnaryOperator<String> env, String origin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HearkenException(ErrorKind.CONFIG, origin + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
        return new Parser(env, origin).parse(root);
    }

    /** The rules that send this event to the given endpoint (empty: it does not go there). */
    public List<AlertRule> matching(String endpoint, AlertEvent event) {
        List<AlertRule> out = new ArrayList<>(1);
        for (AlertRule r : rules) {
            if (r.endpoint().equals(endpoint) && r.matches(event)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every endpoint this event goes to, with the rules that send it there. */
    public Map<String, List<AlertRule>> route(AlertEvent event) {
        Map<String, List<AlertRule>> out = new LinkedHashMap<>();
        for (AlertRule r : rules) {
            if (r.matches(event)) {
                out.computeIfAbsent(r.endpoint(), k -> new ArrayList<>(1)).add(r);
            }
        }
        return out;
    }

    /** Endpoints at least one rule sends to (the others get no consumer). */
    public Set<String> activeEndpoints() {
        Set<String> out = new LinkedHashSet<>();
        for (AlertRule r : rules) {
            out.add(r.endpoint());
        }
        return out;
    }

    /** The event streams whose rules send to this endpoint: the topics its consumer subscribes to. */
    public Set<AlertEventType> typesFor(String endpoint) {
        Set<AlertEventType> out = new LinkedHashSet<>();
        for (AlertRule r : rules) {
            if (r.endpoint().equals(endpoint)) {
                out.add(r.type());
            }
        }
        return out;
    }

    public Endpoint endpoint(String name) {
        Endpoint e = endpoints.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown endpoint '" + name + "'");
        }
        return e;
    }

    /** Collects every problem, then fails once with all of them. */
    private static final class Parser {
        private final UnaryOperator<String> env;
        private final String origin;
        private final List<String> errors = new ArrayList<>();

        Parser(UnaryOperator<String> env, String origin) {
            this.env = env;
            this.origin = origin;
        }

        AlertRules parse(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw HearkenException.config(origin + ": expected a JSON object with \"endpoints\" and \"rules\"");
            }
            unknownFields(root, TOP_FIELDS, "top level");
            RetryPolicy retry = retry(root.get("retry"), RetryPolicy.defaults(), "retry");

            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            JsonNode eps = root.get("endpoints");
            if (eps == null || !eps.isObject() || eps.isEmpty()) {
                errors.add("endpoints: required, an object of named endpoints ({\"name\": {\"url\": ...}})");
            } else {
                for (Map.Entry<String, JsonNode> e : eps.properties()) {
                    Endpoint ep = endpoint(e.getKey(), e.getValue(), retry);
                    if (ep != null) {
                        endpoints.put(ep.name(), ep);
                    }
                }
            }

            List<AlertRule> rules = new ArrayList<>();
            JsonNode rs = root.get("rules");
            if (rs == null || !rs.isArray() || rs.isEmpty()) {
                errors.add("rules: required, a non-empty array of rules");
            } else {
                Set<String> names = new HashSet<>();
                for (int i = 0; i < rs.size(); i++) {
                    AlertRule r = rule(i, rs.get(i), eps == null ? Set.of() : fieldNames(eps));
                    if (r != null) {
                        if (!names.add(r.name())) {
                            errors.add("rule '" + r.name() + "' (rules[" + i + "]): field 'name': another rule has the same name");
                        }
                        rules.add(r);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw HearkenException.config(origin + " are invalid:\n  - " + String.join("\n  - ", errors));
            }
            return new AlertRules(retry, endpoints, rules);
        }

        private RetryPolicy retry(JsonNode node, RetryPolicy base, String where) {
            if (node == null) {
                return base;
            }
            if (!node.isObject()) {
                errors.add(where + ": expected an object");
                return base;
            }
            unknownFields(node, RETRY_FIELDS, where);
            int before = errors.size();
            int maxAttempts = intField(node, "maxAttempts", base.maxAttempts(), 1, 1000, where);
            long initial = longField(node, "initialBackoffMs", base.initialBackoff().toMillis(), 0, 3_600_000, where);
            long max = longField(node, "maxBackoffMs", base.maxBackoff().toMillis(), 0, 86_400_000, where);
            double multiplier = base.multiplier();
            JsonNode m = node.get("multiplier");
            if (m != null) {
                if (!m.isNumber() || !(m.asDouble() >= 1.0) || m.asDouble() > 100) {
                    errors.add(where + ": field 'multiplier': expected a number in [1, 100], got " + m);
                } else {
                    multiplier = m.asDouble();
                }
            }
            if (errors.size() == before && max < initial) {
                errors.add(where + ": field 'maxBackoffMs': " + max + " is below initialBackoffMs " + initial);
            }
            if (errors.size() > before) {
                return base;
            }
            return new RetryPolicy(maxAttempts, Duration.ofMillis(initial), Duration.ofMillis(max), multiplier);
        }

        private Endpoint endpoint(String name, JsonNode node, RetryPolicy retryDefaults) {
            String where = "endpoint '" + name + "'";
            if (!ENDPOINT_NAME.matcher(name).matches()) {
                errors.add(where + ": the name must be 1-100 letters, digits, '.', '_' or '-' (it names a consumer group)");
                return null;
            }
            if (!node.isObject()) {
                errors.add(where + ": expected an object with at least \"url\"");
                return null;
            }
            int before = errors.size();
            unknownFields(node, ENDPOINT_FIELDS, where);
            URI url = null;
            JsonNode u = node.get("url");
            if (u == null || !u.isTextual() || u.asText().isBlank()) {
                errors.add(where + ": field 'url': required, an http:// or https:// URL");
            } else {
                String text = substitute(u.asText(), where + ": field 'url'");
                if (text != null) {
                    try {
                        url = new URI(text);
                        if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                                || url.getHost() == null) {
                            errors.add(where + ": field 'url': expected an http:// or https:// URL with a host, got '"
                                    + redact(text) + "'");
                        }
                    } catch (URISyntaxException e) {
                        errors.add(where + ": field 'url': not a valid URL: " + e.getReason());
                    }
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode h = node.get("headers");
            if (h != null) {
                if (!h.isObject()) {
                    errors.add(where + ": field 'headers': expected an object of header names to string values");
                } else {
                    for (Map.Entry<String, JsonNode> e : h.properties()) {
                        String field = where + ": header '" + e.getKey() + "'";
                        if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                            errors.add(field + ": not a valid HTTP header name");
                        } else if (RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                            errors.add(field + ": set by the alerter or the HTTP client, cannot be configured");
                        } else if (!e.getValue().isTextual()) {
                            errors.add(field + ": expected a string value");
                        } else {
                            String v = substitute(e.getValue().asText(), field);
                            if (v != null) {
                                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                                    errors.add(field + ": the value must not contain line breaks");
                                } else {
                                    headers.put(e.getKey(), v);
                                }
                            }
                        }
                    }
                }
            }
            long timeoutMs = longField(node, "timeoutMs", Endpoint.DEFAULT_TIMEOUT.toMillis(), 1, 600_000, where);
            int concurrency = intField(node, "concurrency", Endpoint.DEFAULT_CONCURRENCY, 1, 256, where);
            int capacity = intField(node, "queueCapacity", Endpoint.DEFAULT_QUEUE_CAPACITY, 1, 1_000_000, where);
            RetryPolicy retry = retry(node.get("retry"), retryDefaults, where + ": retry");
            if (errors.size() > before) {
                return null;
            }
            return new Endpoint(name, url, headers, Duration.ofMillis(timeoutMs), concurrency, capacity, retry);
        }

        private AlertRule rule(int index, JsonNode node, Set<String> endpointNames) {
            String name = "rules[" + index + "]";
            if (node == null || !node.isObject()) {
                errors.add(name + ": expected an object");
                return null;
            }
            JsonNode n = node.get("name");
            if (n != null) {
                if (n.isTextual() && !n.asText().isBlank()) {
                    name = n.asText();
                } else {
                    errors.add(name + ": field 'name': expected a non-empty string");
                }
            }
            String where = name.equals("rules[" + index + "]") ? name : "rule '" + name + "' (rules[" + index + "])";
            int before = errors.size();
            unknownFields(node, RULE_FIELDS, where);

            AlertEventType type = null;
            JsonNode t = node.get("type");
            if (t == null || !t.isTextual()) {
                errors.add(where + ": field 'type': required, one of tag, anomaly, caption");
            } else {
                type = AlertEventType.fromConfigName(t.asText()).orElse(null);
                if (type == null) {
                    errors.add(where + ": field 'type': unknown event type '" + t.asText()
                            + "' (expected tag, anomaly or caption)");
                }
            }
            List<String> labels = stringList(node, "labels", where);
            if (!labels.isEmpty() && type != null && type != AlertEventType.TAG) {
                errors.add(where + ": field 'labels': only tag rules have labels, this is a " + type.configName() + " rule");
            }
            List<StreamPattern> streams = new ArrayList<>();
            for (String s : stringList(node, "streams", where)) {
                streams.add(StreamPattern.of(s));
            }
            Float minScore = null;
            JsonNode ms = node.get("minScore");
            if (ms != null && !ms.isNull()) {
                if (!ms.isNumber() || !Double.isFinite(ms.asDouble())) {
                    errors.add(where + ": field 'minScore': expected a number, got " + ms);
                } else if (type != null && !type.hasScore()) {
                    errors.add(where + ": field 'minScore': " + type.configName() + " events have no score");
                } else {
                    minScore = (float) ms.asDouble();
                }
            }
            boolean onsetOnly = type == null || type.hasKind();
            JsonNode oo = node.get("onsetOnly");
            if (oo != null) {
                if (!oo.isBoolean()) {
                    errors.add(where + ": field 'onsetOnly': expected true or false, got " + oo);
                } else if (type != null && !type.hasKind()) {
                    errors.add(where + ": field 'onsetOnly': " + type.configName() + " events have no onset or offset");
                } else {
                    onsetOnly = oo.asBoolean();
                }
            }
            String endpoint = null;
            JsonNode ep = node.get("endpoint");
            if (ep == null || !ep.isTextual() || ep.asText().isBlank()) {
                errors.add(where + ": field 'endpoint': required, the name of an endpoint");
            } else if (!endpointNames.contains(ep.asText())) {
                errors.add(where + ": field 'endpoint': no endpoint named '" + ep.asText() + "' (known: "
                        + String.join(", ", endpointNames) + ")");
            } else {
                endpoint = ep.asText();
            }
            if (errors.size() > before) {
                return null;
            }
            return new AlertRule(name, type, new LinkedHashSet<>(labels), streams, minScore, onsetOnly, endpoint);
        }

        private List<String> stringList(JsonNode node, String field, String where) {
            JsonNode a = node.get(field);
            if (a == null || a.isNull()) {
                return List.of();
            }
            if (!a.isArray()) {
                errors.add(where + ": field '" + field + "': expected an array of strings (empty = any)");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (!v.isTextual() || v.asText().isBlank()) {
                    errors.add(where + ": field '" + field + "'[" + i + "]: expected a non-empty string, got " + v);
                } else {
                    out.add(v.asText());
                }
            }
            return out;
        }

        private int intField(JsonNode node, String field, int dflt, int min, int max, String where) {
            return (int) longField(node, field, dflt, min, max, where);
        }

        private long longField(JsonNode node, String field, long dflt, long min, long max, String where) {
            JsonNode v = node.get(field);
            if (v == null) {
                return dflt;
            }
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                errors.add(where + ": field '" + field + "': expected an integer in [" + min + ", " + max + "], got " + v);
                return dflt;
            }
            return v.asLong();
        }

        private void unknownFields(JsonNode node, Set<String> known, String where) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!known.contains(f)) {
                    errors.add(where + ": unknown field '" + f + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                }
            }
        }

        private String substitute(String value, String where) {
            Matcher m = ENV_REF.matcher(value);
            StringBuilder out = new StringBuilder();
            boolean ok = true;
            while (m.find()) {
                String v = env.apply(m.group(1));
                if (v == null) {
                    errors.add(where + ": environment variable " + m.group(1) + " is not set");
                    ok = false;
                    v = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            return ok ? out.toString() : null;
        }

        private static Set<String> fieldNames(JsonNode node) {
            Set<String> out = new LinkedHashSet<>();
            node.fieldNames().forEachRemaining(out::add);
            return out;
        }

        private static String redact(String url) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q) + "?...";
        }
    }
}
