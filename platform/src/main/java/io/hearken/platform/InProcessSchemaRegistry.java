package io.hearken.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-Schema-Registry-compatible HTTP server holding Avro schemas in memory, for the laptop ("embedded")
 * deployment of Hearken and for tests. It speaks enough of the Schema Registry REST API for the Confluent
 * {@code CachedSchemaRegistryClient} (and so the Confluent Avro serdes and Flink's {@code avro-confluent} format):
 * registering and looking up schemas under subjects, fetching them by global id, subject and version listings,
 * global and per-subject compatibility levels, compatibility checks and subject deletion.
 *
 * <p>Schemas are compared by their parsed canonical form (Avro's {@code Schema.toString()}), so whitespace or
 * formatting differences neither create new ids nor new versions. Registering enforces the subject's compatibility
 * level (default {@code BACKWARD}) with Avro's own {@link SchemaCompatibility}. Only the {@code AVRO} schema type is
 * supported. Nothing is persisted: the registry is empty after each start; {@link #stop()} and {@link #restart()}
 * simulate an outage, keeping the schemas.
 *
 * <p>Thread-safe: the state is guarded by one lock; requests are served by a small thread pool.
 */
public final class InProcessSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessSchemaRegistry.class);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String AVRO = "AVRO";

    // Confluent Schema Registry error codes.
    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    static final int INCOMPATIBLE_SCHEMA = 409;
    static final int INVALID_SCHEMA = 42201;
    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    static final int INTERNAL_ERROR = 50001;

    /** The compatibility levels of the Confluent Schema Registry. */
    public enum Compatibility {
        NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

        boolean transitive() {
            return name().endsWith("_TRANSITIVE");
        }

        boolean backward() {
            return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        }

        boolean forward() {
            return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        }

        static Compatibility parse(String value) {
            if (value == null) {
                return null;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final int port;
    private final String url;
    private final Store store = new Store();
    /** The listener and its request threads while serving; null while stopped. Guarded by {@code this}. */
    private Listener listener;
    private boolean closed;

    private record Listener(HttpServer server, ExecutorService executor) {
        void stop() {
            server.stop(0);
            executor.shutdown();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private InProcessSchemaRegistry(int port) {
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
    }

    /** Starts a registry on a free loopback port. */
    public static InProcessSchemaRegistry start() {
        return start(0);
    }

    /** Starts a registry on the given loopback port (0: a free one). */
    public static InProcessSchemaRegistry start(int port) {
        HttpServer http = bind(port);
        InProcessSchemaRegistry registry = new InProcessSchemaRegistry(http.getAddress().getPort());
        registry.serve(http);
        LOG.info("in-process schema registry listening at {}", registry.url);
        return registry;
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.TRANSIENT,
                    "in-process schema registry: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private synchronized void serve(HttpServer http) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "hearken-schema-registry-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
        listener = new Listener(http, executor);
    }

    /** The base URL for {@code schema.registry.url}, e.g. {@code http://127.0.0.1:40123}; the same across restarts. */
    public String url() {
        return url;
    }

    /**
     * Stops serving but keeps every schema, subject and setting, as a registry outage would (its data lives in
     * Kafka): connecting is refused until {@link #restart()}. No-op when already stopped.
     */
    public synchronized void stop() {
        if (listener != null) {
            stopListening();
            LOG.info("in-process schema registry at {} stopped (its schemas are kept)", url);
        }
    }

    private void stopListening() {
        listener.stop();
        listener = null;
    }

    /** Serves again, on the same port, with the same schemas. No-op when serving. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (listener == null) {
            serve(bind(port));
            LOG.info("in-process schema registry listening again at {}", url);
        }
    }

    /** Stops serving for good; the schemas are lost. */
    @Override
    public synchronized void close() {
        closed = true;
        if (listener != null) {
            stopListening();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP

    /** A failed request: HTTP status, Schema Registry error code and message. */
    static final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final int errorCode;

        ApiError(int status, int errorCode, String message) {
            super(message, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    private record Response(int status, Object body) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = route(exchange);
            } catch (ApiError e) {
                response = error(e.status, e.errorCode, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("in-process schema registry: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = error(500, INTERNAL_ERROR, "Internal error: " + e);
            }
            byte[] bytes = response.body instanceof String raw
                    ? raw.getBytes(StandardCharsets.UTF_8)
                    : json.writeValueAsBytes(response.body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(response.status, -1);
            } else {
                exchange.sendResponseHeaders(response.status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private Response error(int status, int code, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        return new Response(status, body);
    }

    private Response route(HttpExchange exchange) throws ApiError, IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        List<String> path = pathSegments(uri.getRawPath());
        Map<String, String> query = queryParams(uri.getRawQuery());
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";

        if (n == 0) {
            return ok(json.createObjectNode());
        }
        switch (first) {
            case "subjects" -> {
                if (n == 1) {
                    requireMethod(method, "GET");
                    return ok(store.subjects(bool(query, "deleted")));
                }
                String subject = path.get(1);
                if (n == 2) {
                    return switch (method) {
                        case "POST" -> ok(lookup(subject, readBody(exchange), bool(query, "deleted")));
                        case "DELETE" -> ok(store.deleteSubject(subject, bool(query, "permanent")));
                        default -> throw methodNotAllowed(method);
                    };
                }
                if (!"versions".equals(path.get(2))) {
                    break;
                }
                if (n == 3) {
                    return switch (method) {
                        case "GET" -> ok(store.versions(subject, bool(query, "deleted")));
                        case "POST" -> ok(register(subject, readBody(exchange)));
                        default -> throw methodNotAllowed(method);
                    };
                }
                String version = path.get(3);
                if (n == 4) {
                    return switch (method) {
                        case "GET" -> ok(subjectVersionJson(store.version(subject, version, bool(query, "deleted"))));
                        case "DELETE" -> ok(store.deleteVersion(subject, version, bool(query, "permanent")));
                        default -> throw methodNotAllowed(method);
                    };
                }
                if (n == 5 && "schema".equals(path.get(4))) {
                    requireMethod(method, "GET");
                    return ok(store.version(subject, version, bool(query, "deleted")).schema().text());
                }
                if (n == 5 && "referencedby".equals(path.get(4))) {
                    requireMethod(method, "GET");
                    return ok(store.referencedBy(subject, version));
                }
            }
            case "schemas" -> {
                if (n == 2 && "types".equals(path.get(1))) {
                    requireMethod(method, "GET");
                    return ok(List.of(AVRO));
                }
                if (n >= 3 && "ids".equals(path.get(1))) {
                    requireMethod(method, "GET");
                    int id = parseId(path.get(2));
                    StoredSchema schema = store.schemaById(id);
                    if (n == 3) {
                        ObjectNode body = schemaJson(json.createObjectNode(), schema);
                        if (bool(query, "fetchMaxId")) {
                            body.put("maxId", store.maxId());
                        }
                        return ok(body);
                    }
                    if (n == 4 && "schema".equals(path.get(3))) {
                        return ok(schema.text());
                    }
                    if (n == 4 && "subjects".equals(path.get(3))) {
                        return ok(store.subjectVersionsOf(id).stream().map(SubjectVersion::subject).distinct().toList());
                    }
                    if (n == 4 && "versions".equals(path.get(3))) {
                        ArrayNode body = json.createArrayNode();
                        for (SubjectVersion sv : store.subjectVersionsOf(id)) {
                            body.addObject().put("subject", sv.subject()).put("version", sv.version());
                        }
                        return ok(body);
                    }
                }
            }
            case "config" -> {
                if (n == 1) {
                    return switch (method) {
                        case "GET" -> ok(configJson(store.globalCompatibility()));
                        case "PUT" -> ok(updateConfig(null, readBody(exchange)));
                        default -> throw methodNotAllowed(method);
                    };
                }
                if (n == 2) {
                    String subject = path.get(1);
                    return switch (method) {
                        case "GET" -> ok(configJson(store.subjectCompatibility(subject, bool(query, "defaultToGlobal"))));
                        case "PUT" -> ok(updateConfig(subject, readBody(exchange)));
                        case "DELETE" -> ok(configJson(store.deleteSubjectCompatibility(subject)));
                        default -> throw methodNotAllowed(method);
                    };
                }
            }
            case "compatibility" -> {
                if (n >= 4 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3)) && n <= 5) {
                    requireMethod(method, "POST");
                    String subject = path.get(2);
                    String version = n == 5 ? path.get(4) : null;
                    return ok(checkCompatibility(subject, version, readBody(exchange), bool(query, "verbose")));
                }
            }
            case "mode" -> {
                if (n <= 2 && "GET".equals(method)) {
                    ObjectNode body = json.createObjectNode();
                    body.put("mode", "READWRITE");
                    return ok(body);
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new ApiError(404, 404, "HTTP 404 Not Found: " + method + " " + uri.getRawPath());
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    private static void requireMethod(String method, String expected) throws ApiError {
        if (!expected.equals(method)) {
            throw methodNotAllowed(method);
        }
    }

    private static ApiError methodNotAllowed(String method) {
        return new ApiError(405, 405, "HTTP 405 Method Not Allowed: " + method);
    }

    private JsonNode readBody(HttpExchange exchange) throws ApiError, IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            bytes = buffer.toByteArray();
        }
        if (bytes.length == 0) {
            throw new ApiError(422, 422, "Unprocessable entity: empty request body");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiError(422, 422, "Unprocessable entity: the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiError(422, INVALID_SCHEMA, "Invalid JSON in request body: " + e.getOriginalMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Operations

    private ObjectNode register(String subject, JsonNode body) throws ApiError {
        ParsedSchema parsed = parseRequestSchema(body);
        int id = store.register(subject, parsed);
        ObjectNode response = json.createObjectNode();
        response.put("id", id);
        return response;
    }

    private ObjectNode lookup(String subject, JsonNode body, boolean includeDeleted) throws ApiError {
        ParsedSchema parsed = parseRequestSchema(body);
        return subjectVersionJson(store.lookup(subject, parsed, includeDeleted));
    }

    private ObjectNode updateConfig(String subject, JsonNode body) throws ApiError {
        JsonNode value = body.hasNonNull("compatibility") ? body.get("compatibility") : body.get("compatibilityLevel");
        Compatibility level = value == null ? null : Compatibility.parse(value.asText());
        if (level == null) {
            throw new ApiError(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level. Valid values are "
                    + Arrays.toString(Compatibility.values()));
        }
        store.setCompatibility(subject, level);
        ObjectNode response = json.createObjectNode();
        response.put("compatibility", level.name());
        return response;
    }

    private ObjectNode checkCompatibility(String subject, String version, JsonNode body, boolean verbose) throws ApiError {
        ParsedSchema parsed = parseRequestSchema(body);
        List<String> problems = store.checkCompatibility(subject, version, parsed);
        ObjectNode response = json.createObjectNode();
        response.put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = response.putArray("messages");
            problems.forEach(messages::add);
        }
        return response;
    }

    private ParsedSchema parseRequestSchema(JsonNode body) throws ApiError {
        String type = body.hasNonNull("schemaType") ? body.get("schemaType").asText() : AVRO;
        if (!AVRO.equalsIgnoreCase(type)) {
            throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: unsupported schema type '" + type
                    + "'; this registry holds only AVRO schemas");
        }
        JsonNode schemaNode = body.get("schema");
        if (schemaNode == null || !schemaNode.isTextual() || schemaNode.asText().isBlank()) {
            throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: the request has no \"schema\" string");
        }
        List<Reference> references = new ArrayList<>();
        JsonNode refs = body.get("references");
        if (refs != null && refs.isArray()) {
            for (JsonNode ref : refs) {
                if (!ref.hasNonNull("name") || !ref.hasNonNull("subject") || !ref.hasNonNull("version")) {
                    throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: a reference needs name, subject and version");
                }
                references.add(new Reference(ref.get("name").asText(), ref.get("subject").asText(), ref.get("version").asInt()));
            }
        }
        return store.parse(schemaNode.asText(), references);
    }

    private ObjectNode subjectVersionJson(VersionEntry entry) {
        ObjectNode body = json.createObjectNode();
        body.put("subject", entry.subject());
        body.put("version", entry.version());
        body.put("id", entry.schema().id());
        return schemaJson(body, entry.schema());
    }

    private ObjectNode schemaJson(ObjectNode body, StoredSchema schema) {
        // Like the Confluent registry: schemaType only when not AVRO, references only when there are some.
        body.put("schema", schema.text());
        if (!schema.references().isEmpty()) {
            ArrayNode refs = body.putArray("references");
            for (Reference r : schema.references()) {
                refs.addObject().put("name", r.name()).put("subject", r.subject()).put("version", r.version());
            }
        }
        return body;
    }

    private ObjectNode configJson(Compatibility level) {
        ObjectNode body = json.createObjectNode();
        body.put("compatibilityLevel", level.name()); // what GET /config answers in the Confluent registry
        body.put("compatibility", level.name());
        return body;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State

    private record Reference(String name, String subject, int version) {
    }

    /** A registered schema: global id, canonical text, references. */
    private record StoredSchema(int id, String text, List<Reference> references) {
    }

    /** A schema from a request, parsed. {@code key} identifies it (canonical form and references). */
    private record ParsedSchema(Schema schema, String canonical, List<Reference> references) {
        String key() {
            return references.isEmpty() ? canonical : canonical + "\u0000" + references;
        }
    }

    private record VersionEntry(String subject, int version, StoredSchema schema, Schema parsed, boolean deleted) {
        VersionEntry markDeleted() {
            return new VersionEntry(subject, version, schema, parsed, true);
        }
    }

    private record SubjectVersion(String subject, int version) {
    }

    /** All state, guarded by {@code this}. */
    private static final class Store {
        private final Map<Integer, StoredSchema> byId = new HashMap<>();
        private final Map<String, StoredSchema> byKey = new HashMap<>();
        private final Map<String, List<VersionEntry>> subjects = new TreeMap<>();
        private final Map<String, Compatibility> subjectCompatibility = new HashMap<>();
        private Compatibility globalCompatibility = Compatibility.BACKWARD;
        private int nextId = 1;

        /** Parses (outside any request state change) a schema with its references resolved from the registry. */
        synchronized ParsedSchema parse(String text, List<Reference> references) throws ApiError {
            Schema.Parser parser = new Schema.Parser();
            for (Reference ref : references) {
                VersionEntry referenced;
                try {
                    referenced = version(ref.subject(), Integer.toString(ref.version()), false);
                } catch (ApiError e) {
                    throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: reference '" + ref.name() + "' to subject '"
                            + ref.subject() + "' version " + ref.version() + " not found");
                }
                parseInto(parser, referenced.schema().text());
            }
            Schema schema = parseInto(parser, text);
            return new ParsedSchema(schema, schema.toString(), List.copyOf(references));
        }

        private static Schema parseInto(Schema.Parser parser, String text) throws ApiError {
            try {
                return parser.parse(text);
            } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
                throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
            } catch (RuntimeException e) {
                // Avro wraps Jackson parse errors of malformed JSON in unchecked exceptions of various types.
                throw new ApiError(422, INVALID_SCHEMA, "Invalid schema: " + e);
            }
        }

        synchronized int register(String subject, ParsedSchema parsed) throws ApiError {
            List<VersionEntry> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
            for (VersionEntry v : versions) {
                if (!v.deleted() && keyOf(v.schema()).equals(parsed.key())) {
                    return v.schema().id();
                }
            }
            List<String> problems = incompatibilities(subject, live(versions), parsed.schema(), true);
            if (!problems.isEmpty()) {
                if (versions.isEmpty()) {
                    subjects.remove(subject);
                }
                throw new ApiError(409, INCOMPATIBLE_SCHEMA, "Schema being registered is incompatible with an earlier "
                        + "schema for subject \"" + subject + "\" (compatibility " + compatibilityOf(subject) + "), details: "
                        + problems);
            }
            StoredSchema stored = byKey.get(parsed.key());
            if (stored == null) {
                stored = new StoredSchema(nextId++, parsed.canonical(), parsed.references());
                byKey.put(parsed.key(), stored);
                byId.put(stored.id(), stored);
            }
            int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
            versions.add(new VersionEntry(subject, version, stored, parsed.schema(), false));
            return stored.id();
        }

        synchronized VersionEntry lookup(String subject, ParsedSchema parsed, boolean includeDeleted) throws ApiError {
            List<VersionEntry> versions = subjectVersions(subject, includeDeleted);
            for (VersionEntry v : versions) {
                if ((includeDeleted || !v.deleted()) && keyOf(v.schema()).equals(parsed.key())) {
                    return v;
                }
            }
            throw new ApiError(404, SCHEMA_NOT_FOUND, "Schema not found");
        }

        synchronized List<String> checkCompatibility(String subject, String version, ParsedSchema parsed) throws ApiError {
            List<VersionEntry> live = live(subjectVersions(subject, false));
            if (version == null || "latest".equals(version) || "-1".equals(version)) {
                // Like the Confluent registry: against the latest (or all, for a transitive level) versions.
                return incompatibilities(subject, live, parsed.schema(), true);
            }
            VersionEntry one = version(subject, version, false);
            return incompatibilities(subject, List.of(one), parsed.schema(), false);
        }

        /**
         * What makes {@code candidate} incompatible with the existing versions (oldest first) under the subject's
         * level: all of them for a transitive level (when {@code honourTransitive}), else the latest one.
         */
        private List<String> incompatibilities(String subject, List<VersionEntry> existing, Schema candidate,
                                               boolean honourTransitive) {
            Compatibility level = compatibilityOf(subject);
            if (level == Compatibility.NONE || existing.isEmpty()) {
                return List.of();
            }
            List<VersionEntry> against = honourTransitive && level.transitive()
                    ? existing
                    : List.of(existing.get(existing.size() - 1));
            List<String> problems = new ArrayList<>();
            for (VersionEntry previous : against) {
                if (level.backward()) {
                    describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous.parsed()).getResult(),
                            "new schema cannot read data written with version " + previous.version(), problems);
                }
                if (level.forward()) {
                    describe(SchemaCompatibility.checkReaderWriterCompatibility(previous.parsed(), candidate).getResult(),
                            "version " + previous.version() + " cannot read data written with the new schema", problems);
                }
            }
            return problems;
        }

        private static void describe(SchemaCompatibilityResult result, String what, List<String> problems) {
            if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
                return;
            }
            List<Incompatibility> incompatibilities = result.getIncompatibilities();
            if (incompatibilities.isEmpty()) {
                problems.add(what);
            }
            for (Incompatibility i : incompatibilities) {
                problems.add(what + ": {errorType:'" + i.getType() + "', description:'" + i.getMessage()
                        + "', location:'" + i.getLocation() + "'}");
            }
        }

        synchronized List<String> subjects(boolean includeDeleted) {
            List<String> names = new ArrayList<>();
            subjects.forEach((name, versions) -> {
                if (versions.stream().anyMatch(v -> includeDeleted || !v.deleted())) {
                    names.add(name);
                }
            });
            return names;
        }

        synchronized List<Integer> versions(String subject, boolean includeDeleted) throws ApiError {
            return subjectVersions(subject, includeDeleted).stream()
                    .filter(v -> includeDeleted || !v.deleted())
                    .map(VersionEntry::version)
                    .toList();
        }

        synchronized VersionEntry version(String subject, String version, boolean includeDeleted) throws ApiError {
            List<VersionEntry> versions = subjectVersions(subject, includeDeleted);
            List<VersionEntry> visible = versions.stream().filter(v -> includeDeleted || !v.deleted()).toList();
            if ("latest".equals(version) || "-1".equals(version)) {
                if (visible.isEmpty()) {
                    throw new ApiError(404, VERSION_NOT_FOUND, "Version latest not found.");
                }
                return visible.get(visible.size() - 1);
            }
            int number = parseVersion(version);
            for (VersionEntry v : visible) {
                if (v.version() == number) {
                    return v;
                }
            }
            throw new ApiError(404, VERSION_NOT_FOUND, "Version " + number + " not found.");
        }

        synchronized List<Integer> referencedBy(String subject, String version) throws ApiError {
            VersionEntry target = version(subject, version, false);
            List<Integer> ids = new ArrayList<>();
            for (StoredSchema s : byId.values()) {
                if (s.references().stream().anyMatch(r -> r.subject().equals(subject) && r.version() == target.version())) {
                    ids.add(s.id());
                }
            }
            ids.sort(null);
            return ids;
        }

        synchronized List<Integer> deleteSubject(String subject, boolean permanent) throws ApiError {
            List<VersionEntry> versions = subjectVersions(subject, permanent);
            List<Integer> deleted = new ArrayList<>();
            if (permanent) {
                versions.forEach(v -> deleted.add(v.version()));
                subjects.remove(subject);
                subjectCompatibility.remove(subject);
                return deleted;
            }
            versions.replaceAll(v -> {
                if (!v.deleted()) {
                    deleted.add(v.version());
                }
                return v.markDeleted();
            });
            if (deleted.isEmpty()) {
                throw new ApiError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
            }
            return deleted;
        }

        synchronized int deleteVersion(String subject, String version, boolean permanent) throws ApiError {
            VersionEntry target = version(subject, version, permanent);
            List<VersionEntry> versions = subjects.get(subject);
            if (permanent) {
                versions.remove(target);
                if (versions.isEmpty()) {
                    subjects.remove(subject);
                }
            } else {
                versions.set(versions.indexOf(target), target.markDeleted());
            }
            return target.version();
        }

        synchronized StoredSchema schemaById(int id) throws ApiError {
            StoredSchema schema = byId.get(id);
            if (schema == null) {
                throw new ApiError(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
            }
            return schema;
        }

        synchronized List<SubjectVersion> subjectVersionsOf(int id) throws ApiError {
            schemaById(id);
            List<SubjectVersion> result = new ArrayList<>();
            subjects.forEach((name, versions) -> versions.stream()
                    .filter(v -> !v.deleted() && v.schema().id() == id)
                    .forEach(v -> result.add(new SubjectVersion(name, v.version()))));
            return result;
        }

        synchronized int maxId() {
            return nextId - 1;
        }

        synchronized Compatibility globalCompatibility() {
            return globalCompatibility;
        }

        synchronized Compatibility subjectCompatibility(String subject, boolean defaultToGlobal) throws ApiError {
            Compatibility level = subjectCompatibility.get(subject);
            if (level != null) {
                return level;
            }
            if (defaultToGlobal) {
                return globalCompatibility;
            }
            throw new ApiError(404, SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '" + subject + "' does not have subject-level compatibility configured");
        }

        synchronized Compatibility deleteSubjectCompatibility(String subject) throws ApiError {
            Compatibility previous = subjectCompatibility.remove(subject);
            if (previous == null) {
                throw new ApiError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
            }
            return previous;
        }

        synchronized void setCompatibility(String subject, Compatibility level) {
            if (subject == null) {
                globalCompatibility = level;
            } else {
                subjectCompatibility.put(subject, level);
            }
        }

        private Compatibility compatibilityOf(String subject) {
            return subjectCompatibility.getOrDefault(subject, globalCompatibility);
        }

        private List<VersionEntry> subjectVersions(String subject, boolean includeDeleted) throws ApiError {
            List<VersionEntry> versions = subjects.get(subject);
            if (versions == null || versions.isEmpty()
                    || (!includeDeleted && versions.stream().allMatch(VersionEntry::deleted))) {
                throw new ApiError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
            }
            return versions;
        }

        private static List<VersionEntry> live(List<VersionEntry> versions) {
            return versions.stream().filter(v -> !v.deleted()).toList();
        }

        private static String keyOf(StoredSchema s) {
            return s.references().isEmpty() ? s.text() : s.text() + "\u0000" + s.references();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parsing helpers

    private static int parseId(String text) throws ApiError {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiError(404, SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static int parseVersion(String text) throws ApiError {
        try {
            int version = Integer.parseInt(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ApiError(422, INVALID_VERSION, "The specified version '" + text + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static boolean bool(Map<String, String> query, String name) {
        return Boolean.parseBoolean(query.get(name));
    }

    static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        if (rawPath == null) {
            return segments;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(percentDecode(s));
            }
        }
        return segments;
    }

    static Map<String, String> queryParams(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1).replace('+', ' '));
            params.putIfAbsent(key, value);
        }
        return params;
    }

    /** Decodes %XX escapes (UTF-8); unlike URLDecoder, leaves '+' alone, as path segments require. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write((hi << 4) | lo);
                    i += 3;
                    continue;
                }
            }
            int codePoint = s.codePointAt(i);
            byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            i += Character.charCount(codePoint);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "InProcessSchemaRegistry[" + url + "]";
    }
}
