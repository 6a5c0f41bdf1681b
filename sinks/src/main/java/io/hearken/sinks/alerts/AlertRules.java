package io.hearken.sinks.alerts;

import io.hearken.config.Durations;
import io.hearken.config.StrictJson;
import io.hearken.error.HearkenException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which events go to which webhook endpoints, and how deliveries are retried. Read from a JSON file by the one strict
 * reader ({@link StrictJson}: snake_case keys, durations as strings such as {@code "500ms"} or {@code "60s"}):
 *
 * <pre>{@code
 * {
 *   "retry": {"max_attempts": 6, "initial_backoff": "500ms", "max_backoff": "60s", "multiplier": 2.0},
 *   "endpoints": {
 *     "ops-pager": {"url": "https://pager.example.com/hooks/hearken",
 *                   "headers": {"Authorization": "Bearer ${env:PAGER_TOKEN}"},
 *                   "timeout": "5s", "concurrency": 4, "queue_capacity": 1000},
 *     "plant-dashboard": {"url": "http://dashboard.local:8080/events", "retry": {"max_attempts": 3}}
 *   },
 *   "rules": [
 *     {"name": "dogs-on-line-3", "type": "tag", "labels": ["Dog", "Bark"], "streams": ["line-3-*"],
 *      "min_score": 0.6, "endpoint": "ops-pager"},
 *     {"name": "machine-anomalies", "type": "anomaly", "onset_only": false, "endpoint": "plant-dashboard"},
 *     {"name": "all-captions", "type": "caption", "endpoint": "plant-dashboard"}
 *   ]
 * }
 * }</pre>
 *
 * Everything but {@code endpoints.*.url} and {@code rules[*].type}/{@code endpoint} has a default. {@code ${env:NAME}}
 * in a URL or header value is replaced by that environment variable, so secrets stay out of the file. Unknown keys
 * are errors (a misspelt {@code minscore} must not silently alert on everything), reported with the nearest allowed
 * key; every problem found is reported at once, each with its JSON path ({@code rules[1].min_score}).
 */
public record AlertRules(RetryPolicy retry, Map<String, Endpoint> endpoints, List<AlertRule> rules) {
    /** Names the document in messages: {@code alert rules (alerts.json): endpoints.ops.url: ...}. */
    public static final String WHAT = "alert rules";

    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    /** Set by the alerter itself, or refused by java.net.http. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "idempotency-key", "content-length",
            "connection", "expect", "host", "upgrade");
    private static final String[] TOP_KEYS = {"retry", "endpoints", "rules"};
    private static final String[] RETRY_KEYS = {"max_attempts", "initial_backoff", "max_backoff", "multiplier"};
    private static final String[] ENDPOINT_KEYS = {"url", "headers", "timeout", "concurrency", "queue_capacity", "retry"};
    private static final String[] RULE_KEYS = {"name", "type", "labels", "streams", "min_score", "onset_only", "endpoint"};
    private static final Duration MAX_INITIAL_BACKOFF = Duration.ofHours(1);
    private static final Duration MAX_BACKOFF = Duration.ofDays(1);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

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
        return load(file, System::getenv);
    }

    /** @param env resolves {@code ${env:NAME}}; returns null for an unset variable */
    public static AlertRules load(Path file, UnaryOperator<String> env) {
        return new Reader(StrictJson.read(file, WHAT), env).read();
    }

    public static AlertRules parse(String json) {
        return parse(json, System::getenv, WHAT);
    }

    /**
     * @param env    resolves {@code ${env:NAME}}; returns null for an unset variable
     * @param source names the document in error messages, e.g. {@code alert rules (alerts.json)}
     */
    public static AlertRules parse(String json, UnaryOperator<String> env, String source) {
        return new Reader(StrictJson.parse(json, source), env).read();
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

    /** Reads a document, collecting every problem in it; fails once with all of them. */
    private static final class Reader {
        private final StrictJson.Doc doc;
        private final UnaryOperator<String> env;

        Reader(StrictJson.Doc doc, UnaryOperator<String> env) {
            this.doc = doc;
            this.env = env;
        }

        AlertRules read() {
            StrictJson.Node root = doc.root().allowOnly(TOP_KEYS);
            root.require("endpoints", "rules");
            RetryPolicy retry = root.optObject("retry").map(n -> retry(n, RetryPolicy.defaults())).orElse(RetryPolicy.defaults());

            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            Optional<StrictJson.Node> endpointsNode = root.optObject("endpoints");
            Map<String, StrictJson.Node> declared = endpointsNode.map(StrictJson.Node::entries).orElse(Map.of());
            endpointsNode.filter(n -> declared.isEmpty()).ifPresent(n -> n.error("must name at least one endpoint ({\"name\": {\"url\": ...}})"));
            declared.forEach((name, node) -> endpoint(name, node, retry).ifPresent(e -> endpoints.put(name, e)));

            List<AlertRule> rules = new ArrayList<>();
            Set<String> names = new HashSet<>();
            root.opt("rules").ifPresent(rulesNode -> {
                List<StrictJson.Node> elements = rulesNode.elements();
                if (rulesNode.json().isArray() && elements.isEmpty()) {
                    rulesNode.error("must list at least one rule");
                }
                for (int i = 0; i < elements.size(); i++) {
                    rule(i, elements.get(i), declared.keySet(), names).ifPresent(rules::add);
                }
            });
            doc.throwIfErrors();
            return new AlertRules(retry, endpoints, rules);
        }

        /** {@code base} with the fields {@code node} sets; {@code base} itself when any of them is wrong. */
        private RetryPolicy retry(StrictJson.Node node, RetryPolicy base) {
            int before = errorCount();
            node.allowOnly(RETRY_KEYS);
            int maxAttempts = node.optInt("max_attempts", 1, 1000).orElse(base.maxAttempts());
            Duration initial = optDuration(node, "initial_backoff", Duration.ZERO, MAX_INITIAL_BACKOFF).orElse(base.initialBackoff());
            Duration max = optDuration(node, "max_backoff", Duration.ZERO, MAX_BACKOFF).orElse(base.maxBackoff());
            double multiplier = node.optNumber("multiplier", 1, 100).orElse(base.multiplier());
            if (errorCount() == before && max.compareTo(initial) < 0) {
                node.error("max_backoff (" + Durations.format(max) + ") is below initial_backoff ("
                        + Durations.format(initial) + ")");
            }
            return errorCount() == before ? new RetryPolicy(maxAttempts, initial, max, multiplier) : base;
        }

        private Optional<Endpoint> endpoint(String name, StrictJson.Node node, RetryPolicy fileRetry) {
            int before = errorCount();
            if (!ENDPOINT_NAME.matcher(name).matches()) {
                node.error("an endpoint name must be 1-100 letters, digits, '.', '_' or '-' (it names a consumer group)");
            }
            node.allowOnly(ENDPOINT_KEYS);
            node.require("url");
            Optional<URI> url = node.opt("url").flatMap(this::url);
            Map<String, String> headers = new LinkedHashMap<>();
            node.optObject("headers").map(StrictJson.Node::entries).orElse(Map.of())
                    .forEach((header, value) -> header(header, value).ifPresent(v -> headers.put(header, v)));
            Duration timeout = optDuration(node, "timeout", Duration.ofMillis(1), MAX_TIMEOUT).orElse(Endpoint.DEFAULT_TIMEOUT);
            int concurrency = node.optInt("concurrency", 1, 256).orElse(Endpoint.DEFAULT_CONCURRENCY);
            int capacity = node.optInt("queue_capacity", 1, 1_000_000).orElse(Endpoint.DEFAULT_QUEUE_CAPACITY);
            RetryPolicy retry = node.optObject("retry").map(n -> retry(n, fileRetry)).orElse(fileRetry);
            if (errorCount() > before || url.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Endpoint(name, url.get(), headers, timeout, concurrency, capacity, retry));
        }

        private Optional<URI> url(StrictJson.Node node) {
            Optional<String> text = node.asString().flatMap(t -> substitute(node, t));
            if (text.isEmpty()) {
                return Optional.empty();
            }
            URI url;
            try {
                url = new URI(text.get());
            } catch (URISyntaxException e) {
                node.error("not a valid URL: " + e.getReason());
                return Optional.empty();
            }
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
                node.error("expected an http:// or https:// URL with a host, got '" + redact(text.get()) + "'");
                return Optional.empty();
            }
            return Optional.of(url);
        }

        private Optional<String> header(String name, StrictJson.Node value) {
            if (!HEADER_NAME.matcher(name).matches()) {
                value.error("not a valid HTTP header name");
                return Optional.empty();
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                value.error("set by the alerter or the HTTP client, cannot be configured");
                return Optional.empty();
            }
            Optional<String> text = value.asString().flatMap(t -> substitute(value, t));
            if (text.isPresent() && (text.get().indexOf('\r') >= 0 || text.get().indexOf('\n') >= 0)) {
                value.error("the value must not contain line breaks");
                return Optional.empty();
            }
            return text;
        }

        private Optional<AlertRule> rule(int index, StrictJson.Node node, Set<String> endpointNames, Set<String> names) {
            int before = errorCount();
            node.allowOnly(RULE_KEYS);
            node.require("type", "endpoint");
            String name = node.opt("name").flatMap(n -> nonBlank(n, "a rule name")).orElse("rules[" + index + "]");
            if (!names.add(name)) {
                node.opt("name").ifPresent(n -> n.error("another rule is also named '" + name + "'"));
            }
            Optional<AlertEventType> type = node.opt("type").flatMap(n -> n.asString().flatMap(t -> {
                Optional<AlertEventType> known = AlertEventType.fromConfigName(t);
                if (known.isEmpty()) {
                    n.error("unknown event type '" + t + "' (allowed: tag, anomaly, caption)");
                }
                return known;
            }));
            List<String> labels = nonBlankList(node, "labels");
            if (!labels.isEmpty() && type.isPresent() && type.get() != AlertEventType.TAG) {
                node.opt("labels").orElseThrow().error("only tag rules have labels, not " + type.get().configName() + " rules");
            }
            List<StreamPattern> streams = nonBlankList(node, "streams").stream().map(StreamPattern::of).toList();
            Float minScore = node.opt("min_score").flatMap(n -> n.asNumber().filter(v -> type.map(t -> t.hasScore()
                    || fail(n, t.configName() + " events have no score")).orElse(true))).map(Double::floatValue).orElse(null);
            Optional<Boolean> onsetOnly = node.opt("onset_only").flatMap(n -> n.asBoolean().filter(v -> type.map(t -> t.hasKind()
                    || fail(n, t.configName() + " events have no onset or offset")).orElse(true)));
            Optional<String> endpoint = node.opt("endpoint").flatMap(n -> nonBlank(n, "an endpoint name")).filter(e -> {
                if (endpointNames.contains(e)) {
                    return true;
                }
                return fail(node.opt("endpoint").orElseThrow(), "no endpoint named '" + e + "' (known: "
                        + String.join(", ", endpointNames) + ")");
            });
            if (errorCount() > before || type.isEmpty() || endpoint.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new AlertRule(name, type.get(), new LinkedHashSet<>(labels), streams, minScore,
                    onsetOnly.orElse(type.get().hasKind()), endpoint.get()));
        }

        private List<String> nonBlankList(StrictJson.Node node, String key) {
            List<String> values = node.optStringList(key).orElse(List.of());
            node.opt(key).filter(n -> n.json().isArray()).ifPresent(n -> n.elements().stream()
                    .filter(e -> e.json().isTextual() && e.json().textValue().isBlank())
                    .forEach(e -> e.error("expected a non-empty string")));
            return values.stream().filter(v -> !v.isBlank()).toList();
        }

        private static Optional<String> nonBlank(StrictJson.Node node, String what) {
            return node.asString().filter(s -> !s.isBlank() || fail(node, "expected " + what + ", got an empty string"));
        }

        /** A duration in {@code [min, max]}. */
        private static Optional<Duration> optDuration(StrictJson.Node node, String key, Duration min, Duration max) {
            return node.opt(key).flatMap(n -> n.asDuration().filter(d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0
                    || fail(n, "'" + Durations.format(d) + "' is outside ["
                    + Durations.format(min) + ", " + Durations.format(max) + "]")));
        }

        /** Replaces each {@code ${env:NAME}}; empty (with a problem per unset variable) when one is not set. */
        private Optional<String> substitute(StrictJson.Node node, String value) {
            Matcher m = ENV_REF.matcher(value);
            StringBuilder out = new StringBuilder();
            boolean ok = true;
            while (m.find()) {
                String v = env.apply(m.group(1));
                if (v == null) {
                    node.error("environment variable " + m.group(1) + " is not set");
                    ok = false;
                    v = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            return ok ? Optional.of(out.toString()) : Optional.empty();
        }

        private int errorCount() {
            return doc.errors().size();
        }

        /** Records {@code message} at {@code node}; false, for filters. */
        private static boolean fail(StrictJson.Node node, String message) {
            node.error(message);
            return false;
        }

        private static String redact(String url) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q) + "?...";
        }
    }
}
