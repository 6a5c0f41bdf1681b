package io.hearken.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.errors.ErrorClassifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the real Confluent REST client reports when the registry is down, failing or answering "unknown", and what
 * {@link ConfluentAvroSerde} and {@link ErrorClassifier} make of it. The registry is a scripted HTTP server: each
 * path answers the status and body a test sets.
 */
class RegistryFailureTest {
    private static final String TOPIC = "hearken.audio.chunks";
    private static final String SUBJECT_PATH = "/subjects/" + TOPIC + "-value/versions";

    private record Reply(int status, String body) {
    }

    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply = replies.getOrDefault(exchange.getRequestURI().getPath(), error(404, 404, "HTTP 404 Not Found"));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Reply error(int status, int code, String message) {
        return new Reply(status, "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}");
    }

    private static Reply schema(String text) {
        return new Reply(200, "{\"schema\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private ConfluentAvroSerde<AudioChunk> serde(String registryUrl) {
        return ConfluentAvroSerde.forValues(new CachedSchemaRegistryClient(registryUrl, 10), AudioChunk.class);
    }

    /** A record in the wire format naming {@code id}; the body does not matter when the id cannot be resolved. */
    private static byte[] recordWithSchemaId(int id) {
        return ByteBuffer.allocate(9).put((byte) 0).putInt(id).putInt(0).array();
    }

    private Throwable readingSchemaId(int id) {
        return catchThrowable(() -> serde(url).deserialize(TOPIC, recordWithSchemaId(id)));
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsBadInput() {
        replies.put("/schemas/ids/77", error(404, RegistryFailures.SCHEMA_NOT_FOUND, "Schema 77 not found"));

        Throwable thrown = readingSchemaId(77);

        assertThat(thrown).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 77").hasMessageContaining(TOPIC);
        assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.BAD_INPUT);
        assertThat(ErrorClassifier.isDeadLetter(thrown)).isTrue();
    }

    @Test
    void anUnreachableRegistryIsTransientForReadingAndWriting() throws IOException {
        String closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = "http://127.0.0.1:" + socket.getLocalPort();
        } // closed: nothing listens there now, so connecting is refused

        Throwable reading = catchThrowable(() -> serde(closedPort).deserialize(TOPIC, recordWithSchemaId(1)));
        Throwable writing = catchThrowable(() -> serde(closedPort).serialize(TOPIC, ConfluentAvroSerdeTest.chunk()));

        for (Throwable thrown : new Throwable[] {reading, writing}) {
            assertThat(thrown).isInstanceOf(HearkenException.class).hasRootCauseInstanceOf(ConnectException.class)
                    .hasMessageContaining("schema registry unavailable");
            assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(ErrorClassifier.isDeadLetter(thrown)).isFalse();
        }
        assertThat(reading).hasMessageContaining("writer schema id 1");
        assertThat(writing).hasMessageContaining("register the AudioChunk schema");
    }

    @Test
    void registryServerErrorsAreTransient() {
        replies.put("/schemas/ids/5", error(500, 50001, "Error in the backend data store"));
        replies.put("/schemas/ids/6", new Reply(503, "<html>Service Unavailable</html>")); // a proxy's page, not JSON
        replies.put(SUBJECT_PATH, error(500, 50002, "Operation timed out"));

        Throwable writing = catchThrowable(() -> serde(url).serialize(TOPIC, ConfluentAvroSerdeTest.chunk()));

        for (Throwable thrown : new Throwable[] {readingSchemaId(5), readingSchemaId(6), writing}) {
            assertThat(thrown).isInstanceOf(HearkenException.class).hasMessageContaining("schema registry unavailable");
            assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.TRANSIENT);
        }
    }

    @Test
    void otherRefusalsAreConfigurationErrorsNotDeadLetters() {
        replies.put("/schemas/ids/8", error(401, 40101, "Unauthorized"));
        replies.put(SUBJECT_PATH, error(409, 409, "Schema being registered is incompatible"));
        // A 404 that is not the registry's "no such schema" (e.g. schema.registry.url names some other server).
        replies.put("/schemas/ids/9", new Reply(404, "<html>Not Found</html>"));

        Throwable writing = catchThrowable(() -> serde(url).serialize(TOPIC, ConfluentAvroSerdeTest.chunk()));

        for (Throwable thrown : new Throwable[] {readingSchemaId(8), readingSchemaId(9), writing}) {
            assertThat(thrown).isInstanceOf(HearkenException.class).hasMessageContaining("refused");
            assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.CONFIG);
            assertThat(ErrorClassifier.isDeadLetter(thrown)).isFalse();
        }
    }

    @Test
    void aRecordThatFailedDuringAnOutageIsReadOnceTheRegistryIsBack() {
        ConfluentAvroSerde<AudioChunk> writer = ConfluentAvroSerde.forValues(
                RegistryClients.create("mock://RegistryFailureTest"), AudioChunk.class);
        try {
            byte[] bytes = writer.serialize(TOPIC, ConfluentAvroSerdeTest.chunk());
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            ConfluentAvroSerde<AudioChunk> reader = serde(url);
            replies.put("/schemas/ids/" + id, new Reply(503, "<html>Service Unavailable</html>"));

            assertThat(ErrorClassifier.classify(catchThrowable(() -> reader.deserialize(TOPIC, bytes))))
                    .isEqualTo(ErrorKind.TRANSIENT);

            replies.put("/schemas/ids/" + id, schema(AudioChunk.getClassSchema().toString()));
            assertThat(reader.deserialize(TOPIC, bytes)).isEqualTo(ConfluentAvroSerdeTest.chunk());
        } finally {
            RegistryClients.dropMockScope("mock://RegistryFailureTest");
        }
    }
}
