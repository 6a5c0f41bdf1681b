package io.hearken.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import io.hearken.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker, registry and topics of the platform follow its settings: ports, partitions and data directory. */
class EmbeddedPlatformInfrastructureTest {
    @TempDir
    Path dir;

    @Test
    void portsPartitionsAndDataDirectoryAreTheConfiguredOnes() throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        Path data = dir.resolve("platform");
        PlatformSettings settings = new PlatformSettings(3, kafkaPort, registryPort, Optional.of(data), Optional.empty());

        try (EmbeddedPlatform.Infrastructure infrastructure = EmbeddedPlatform.Infrastructure.start(settings, data)) {
            assertThat(infrastructure.broker().bootstrapServers()).isEqualTo("127.0.0.1:" + kafkaPort);
            assertThat(infrastructure.registry().url()).isEqualTo("http://127.0.0.1:" + registryPort);
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(infrastructure.registry().url() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.body()).contains(TopicNames.AUDIO_CHUNKS + "-value");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.broker().bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(Set.copyOf(TopicNames.ALL)).allTopicNames().get();
                assertThat(topics.values()).isNotEmpty().allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
            }
        }
        // A configured directory is the user's: the broker's logs stay after close.
        assertThat(data.resolve("kafka/kraft-combined-logs/meta.properties")).isRegularFile();
    }

    @Test
    void aTakenKafkaPortIsAConfigErrorNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            HearkenException e = catchThrowableOfType(() -> EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka"))
                    .clientPort(port).start(), HearkenException.class);
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e).hasMessageContaining("port " + port + " on 127.0.0.1 is in use");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
