package io.hearken.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.error.ErrorKind;
import io.hearken.schemas.errors.ErrorClassifier;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InProcessSchemaRegistryTest {
    private static final String V1 = """
            {"type": "record", "name": "Event", "namespace": "io.hearken.test",
             "fields": [{"name": "id", "type": "string"}, {"name": "score", "type": "double"}]}""";
    private static final String V1_REFORMATTED = """
            {
              "type" : "record",  "name" : "Event", "namespace" : "io.hearken.test",
              "fields" : [ { "name" : "id", "type" : "string" },
                           { "name" : "score", "type" : "double" } ]
            }""";
    private static final String V2_WITH_DEFAULT = """
            {"type": "record", "name": "Event", "namespace": "io.hearken.test",
             "fields": [{"name": "id", "type": "string"}, {"name": "score", "type": "double"},
                        {"name": "label", "type": "string", "default": "none"}]}""";
    private static final String V3_NO_DEFAULT = """
            {"type": "record", "name": "Event", "namespace": "io.hearken.test",
             "fields": [{"name": "id", "type": "string"}, {"name": "score", "type": "double"},
                        {"name": "label", "type": "string", "default": "none"}, {"name": "stream", "type": "string"}]}""";

    private InProcessSchemaRegistry registry;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startRegistry() {
        registry = InProcessSchemaRegistry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void confluentClientRegistersFetchesAndEnforcesBackwardCompatibility() throws Exception {
        String subject = "events-value";
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url(), 100);

        int id = client.register(subject, new AvroSchema(V1));
        assertThat(id).isPositive();

        ParsedSchema fetched = client.getSchemaById(id);
        assertThat(fetched.schemaType()).isEqualTo("AVRO");
        assertThat(fetched.canonicalString()).isEqualTo(new AvroSchema(V1).canonicalString());

        // A fresh client (no cache): the same schema, formatted differently, is the same id and no new version.
        CachedSchemaRegistryClient fresh = new CachedSchemaRegistryClient(registry.url(), 100);
        assertThat(fresh.register(subject, new AvroSchema(V1_REFORMATTED))).isEqualTo(id);
        assertThat(client.register(subject, new AvroSchema(V1))).isEqualTo(id);
        assertThat(fresh.getAllVersions(subject)).containsExactly(1);
        assertThat(fresh.getVersion(subject, new AvroSchema(V1))).isEqualTo(1);

        assertThat(client.updateCompatibility(subject, "BACKWARD")).isEqualTo("BACKWARD");
        assertThat(fresh.getCompatibility(subject)).isEqualTo("BACKWARD");

        assertThat(client.testCompatibility(subject, new AvroSchema(V2_WITH_DEFAULT))).isTrue();
        int id2 = client.register(subject, new AvroSchema(V2_WITH_DEFAULT));
        assertThat(id2).isNotEqualTo(id);
        assertThat(fresh.getLatestSchemaMetadata(subject).getVersion()).isEqualTo(2);
        assertThat(fresh.getLatestSchemaMetadata(subject).getId()).isEqualTo(id2);

        assertThat(client.testCompatibility(subject, new AvroSchema(V3_NO_DEFAULT))).isFalse();
        RestClientException incompatible = catchThrowableOfType(RestClientException.class,
                () -> client.register(subject, new AvroSchema(V3_NO_DEFAULT)));
        assertThat(incompatible.getStatus()).isEqualTo(409);
        assertThat(incompatible.getErrorCode()).isEqualTo(409);
        assertThat(incompatible.getMessage()).contains(subject).contains("stream");
        assertThat(fresh.getAllVersions(subject)).containsExactly(1, 2);

        RestClientException unknown = catchThrowableOfType(RestClientException.class, () -> fresh.getSchemaById(9999));
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getErrorCode()).isEqualTo(40403);

        // The same schema under another subject: same global id, that subject's version 1.
        assertThat(fresh.register("other-value", new AvroSchema(V1_REFORMATTED))).isEqualTo(id);
        assertThat(fresh.getLatestSchemaMetadata("other-value").getVersion()).isEqualTo(1);
        assertThat(fresh.getAllSubjects()).contains(subject, "other-value");
        assertThat(fresh.getAllVersionsById(id)).hasSize(2);

        assertThat(fresh.deleteSubject("other-value")).containsExactly(1);
        assertThat(fresh.getAllSubjects()).doesNotContain("other-value");
    }

    @Test
    void rawHttpErrorsAndConfig() throws Exception {
        HttpResponse<String> malformed = post("/subjects/raw-value/versions", "{\"schema\": \"{not json\"}");
        assertThat(malformed.statusCode()).isEqualTo(422);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
        assertThat(json(malformed).get("error_code").asInt()).isEqualTo(42201);

        HttpResponse<String> malformedBody = post("/subjects/raw-value/versions", "this is not json");
        assertThat(malformedBody.statusCode()).isEqualTo(422);
        assertThat(json(malformedBody).get("error_code").asInt()).isEqualTo(42201);

        HttpResponse<String> notAvro = post("/subjects/raw-value/versions", "{\"schema\": \"{\\\"type\\\": \\\"nonsense\\\"}\"}");
        assertThat(notAvro.statusCode()).isEqualTo(422);

        assertThat(json(get("/config")).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        HttpResponse<String> noSubjectConfig = get("/config/raw-value");
        assertThat(noSubjectConfig.statusCode()).isEqualTo(404);
        assertThat(json(noSubjectConfig).get("error_code").asInt()).isEqualTo(40408);
        assertThat(json(get("/config/raw-value?defaultToGlobal=true")).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        HttpResponse<String> badLevel = put("/config/raw-value", "{\"compatibility\": \"SIDEWAYS\"}");
        assertThat(badLevel.statusCode()).isEqualTo(422);
        assertThat(json(badLevel).get("error_code").asInt()).isEqualTo(42203);

        HttpResponse<String> noSubject = get("/subjects/nobody/versions/latest");
        assertThat(noSubject.statusCode()).isEqualTo(404);
        assertThat(json(noSubject).get("error_code").asInt()).isEqualTo(40401);

        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", V1));
        HttpResponse<String> registered = post("/subjects/raw-value/versions?normalize=false", body);
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = json(registered).get("id").asInt();

        HttpResponse<String> noVersion = get("/subjects/raw-value/versions/7");
        assertThat(noVersion.statusCode()).isEqualTo(404);
        assertThat(json(noVersion).get("error_code").asInt()).isEqualTo(40402);

        JsonNode latest = json(get("/subjects/raw-value/versions/latest"));
        assertThat(latest.get("subject").asText()).isEqualTo("raw-value");
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(new Schema.Parser().parse(V1));

        assertThat(new Schema.Parser().parse(get("/schemas/ids/" + id + "/schema").body()))
                .isEqualTo(new Schema.Parser().parse(V1));
        assertThat(json(get("/schemas/ids/" + id + "?fetchMaxId=false&subject=raw-value")).get("schema").asText())
                .isEqualTo(latest.get("schema").asText());

        JsonNode found = json(post("/subjects/raw-value", JSON.writeValueAsString(JSON.createObjectNode().put("schema", V1_REFORMATTED))));
        assertThat(found.get("id").asInt()).isEqualTo(id);
        assertThat(found.get("version").asInt()).isEqualTo(1);
        HttpResponse<String> notFound = post("/subjects/raw-value", JSON.writeValueAsString(JSON.createObjectNode().put("schema", V2_WITH_DEFAULT)));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).get("error_code").asInt()).isEqualTo(40403);

        // FULL: a new field without a default breaks backward, removing a field without a default breaks forward.
        assertThat(put("/config/raw-value", "{\"compatibility\": \"FULL\"}").statusCode()).isEqualTo(200);
        assertThat(json(get("/config/raw-value")).get("compatibilityLevel").asText()).isEqualTo("FULL");
        String removeScore = """
                {"type": "record", "name": "Event", "namespace": "io.hearken.test", "fields": [{"name": "id", "type": "string"}]}""";
        HttpResponse<String> check = post("/compatibility/subjects/raw-value/versions/latest?verbose=true",
                JSON.writeValueAsString(JSON.createObjectNode().put("schema", removeScore)));
        assertThat(json(check).get("is_compatible").asBoolean()).isFalse();
        assertThat(post("/subjects/raw-value/versions", JSON.writeValueAsString(JSON.createObjectNode().put("schema", removeScore)))
                .statusCode()).isEqualTo(409);
        HttpResponse<String> ok = post("/subjects/raw-value/versions",
                JSON.writeValueAsString(JSON.createObjectNode().put("schema", V2_WITH_DEFAULT)));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(get("/subjects/raw-value/versions")).toString()).isEqualTo("[1,2]");

        assertThat(get("/no/such/path").statusCode()).isEqualTo(404);
        assertThat(List.of(json(get("/subjects")).toString())).anyMatch(s -> s.contains("raw-value"));
    }

    @Test
    void concurrentRegistrationsOfTheSameSchemaGiveOneIdAndOneVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String text = i % 2 == 0 ? V1 : V1_REFORMATTED;
                ids.add(pool.submit(() -> new CachedSchemaRegistryClient(registry.url(), 10)
                        .register("concurrent-value", new AvroSchema(text))));
            }
            int first = ids.get(0).get();
            for (Future<Integer> id : ids) {
                assertThat(id.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new CachedSchemaRegistryClient(registry.url(), 10).getAllVersions("concurrent-value")).containsExactly(1);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).GET());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOutageRefusesConnectionsAndARestartOnTheSamePortServesTheSameSchemas() throws Exception {
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url(), 100);
        int v1 = client.register("events-value", new AvroSchema(V1));
        String url = registry.url();

        registry.stop();

        CachedSchemaRegistryClient duringOutage = new CachedSchemaRegistryClient(url, 100);
        IOException refused = catchThrowableOfType(IOException.class, () -> duringOutage.getSchemaById(v1));
        assertThat(refused).isInstanceOf(ConnectException.class);
        assertThat(ErrorClassifier.classify(refused)).isEqualTo(ErrorKind.TRANSIENT);

        registry.restart();

        assertThat(registry.url()).isEqualTo(url);
        CachedSchemaRegistryClient after = new CachedSchemaRegistryClient(url, 100);
        assertThat(after.getSchemaById(v1).canonicalString()).isEqualTo(new AvroSchema(V1).canonicalString());
        assertThat(after.getAllVersions("events-value")).containsExactly(1);
        int v2 = after.register("events-value", new AvroSchema(V2_WITH_DEFAULT));
        assertThat(v2).as("ids continue where they were").isEqualTo(v1 + 1);
        assertThat(after.getAllVersions("events-value")).containsExactly(1, 2);
        // Compatibility is still enforced against the kept versions.
        RestClientException incompatible = catchThrowableOfType(RestClientException.class,
                () -> after.register("events-value", new AvroSchema(V3_NO_DEFAULT)));
        assertThat(incompatible.getStatus()).isEqualTo(409);
    }
}
