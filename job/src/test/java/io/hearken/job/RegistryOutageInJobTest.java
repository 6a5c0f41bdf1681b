package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.errors.ErrorClassifier;
import io.hearken.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job's reading and writing ends when the schema registry cannot answer: a valid record is never dead-lettered
 * or dropped because of an outage; the job fails (retriable) and its restart strategy keeps restarting it.
 */
class RegistryOutageInJobTest {
    private static final Set<String> PROFILES = Set.of(StreamProfile.DEFAULT.name());
    private static String closedPort;

    @BeforeAll
    static void findAClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = "http://127.0.0.1:" + socket.getLocalPort();
        } // closed again: connecting there is refused, as to a registry that is down
    }

    /** Collects what the deserializer emits. */
    private static final class Emitted implements Collector<ChunkEnvelope> {
        final List<ChunkEnvelope> envelopes = new ArrayList<>();

        @Override
        public void collect(ChunkEnvelope record) {
            envelopes.add(record);
        }

        @Override
        public void close() {
        }
    }

    private static ChunkDeserializer deserializer(String registryUrl) {
        ChunkDeserializer deserializer = new ChunkDeserializer(registryUrl, PROFILES);
        deserializer.open(null);
        return deserializer;
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(TopicNames.AUDIO_CHUNKS, 0, 12L, "mic-1".getBytes(StandardCharsets.UTF_8), value);
    }

    /** Wire format naming schema id 1, which a reader has not fetched yet. */
    private static final byte[] NEEDS_THE_REGISTRY = ByteBuffer.allocate(9).put((byte) 0).putInt(1).putInt(0).array();

    @Test
    void aRecordNeedingAnUnreachableRegistryFailsTheJobRetriablyInsteadOfBeingDeadLettered() {
        Emitted out = new Emitted();

        Throwable thrown = catchThrowable(() -> deserializer(closedPort).deserialize(record(NEEDS_THE_REGISTRY), out));

        assertThat(thrown).isInstanceOf(HearkenException.class).hasMessageContaining("schema registry unavailable");
        assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(out.envelopes).as("neither passed on nor dead-lettered").isEmpty();
    }

    @Test
    void bytesThatAreNotARecordAreDeadLetteredEvenWhileTheRegistryIsDown() {
        Emitted out = new Emitted();

        deserializer(closedPort).deserialize(record("garbage".getBytes(StandardCharsets.UTF_8)), out);

        assertThat(out.envelopes).hasSize(1);
        DeadLetterEvent letter = out.envelopes.get(0).deadLetter;
        assertThat(letter.errorMessage).contains("magic byte");
        assertThat(letter.originalOffset).isEqualTo(12L);
    }

    @Test
    void aRegistryRefusalThatNoRestartCanFixStopsTheJobInsteadOfDeadLetteringEveryRecord() throws IOException {
        // Some other server at schema.registry.url: every id "not found" without the registry's error code.
        HttpServer notARegistry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        notARegistry.createContext("/", exchange -> {
            byte[] page = "<html>Not Found</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        notARegistry.start();
        try {
            Emitted out = new Emitted();
            String url = "http://127.0.0.1:" + notARegistry.getAddress().getPort();

            Throwable thrown = catchThrowable(() -> deserializer(url).deserialize(record(NEEDS_THE_REGISTRY), out));

            assertThat(thrown).isInstanceOf(SuppressRestartsException.class)
                    .cause().isInstanceOf(HearkenException.class).hasMessageContaining("refused");
            assertThat(ErrorClassifier.classify(thrown)).isEqualTo(ErrorKind.CONFIG);
            assertThat(out.envelopes).isEmpty();
        } finally {
            notARegistry.stop(0);
        }
    }

    @Test
    void aWindowOrDeadLetterThatCannotBeWrittenFailsTheJobRetriablyInsteadOfBeingDropped() {
        ConfluentRecordSerializer<DeadLetterEvent, DeadLetter> serializer = new ConfluentRecordSerializer<>(
                TopicNames.DEAD_LETTERS, closedPort, DeadLetter.class, DeadLetterEvent::toAvro, d -> d.originalKey,
                d -> d.failedAtMicros / 1000);
        serializer.open(null, null);
        DeadLetterEvent letter = DeadLetterEvent.of(TopicNames.AUDIO_CHUNKS, 0, 1L, null, new byte[] {1}, "test",
                HearkenException.badInput("bad"));

        Throwable thrown = catchThrowable(() -> serializer.serialize(letter, null, null));

        assertThat(thrown).isInstanceOf(HearkenException.class).hasMessageContaining("register the DeadLetter schema");
        assertThat(ErrorClassifier.isRetriable(thrown)).isTrue();
    }

    @Test
    void theJobRestartsWithoutLimitAfterARetriableFailure() {
        Configuration conf = HearkenStreamingJob.flinkConfiguration(JobSettings.defaults(Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
                .resolve("models/efficientat-mn04").toString()));

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(Integer.MAX_VALUE);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(HearkenStreamingJob.RESTART_MAX_BACKOFF);
    }
}
