package io.hearken.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.config.RawSetting;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestSettingsTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(List.of(IngestOptions.CONFIG));

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDeclaredOnes() {
        IngestOptions options = IngestOptions.defaults();
        assertThat(options.chunkDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.maxChunkBytes()).isEqualTo(512 * 1024);
        assertThat(options.profile()).isEqualTo("default");
        IngestProducers.Settings producer = IngestProducers.Settings.defaults();
        assertThat(producer.linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(producer.batchSizeBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void settingsAreReadThroughTheLoaderFileThenEnvironmentThenFlags() throws Exception {
        Path file = Files.writeString(dir.resolve("hearken.properties"),
                "ingest.chunk.duration=250ms\ningest.profile=machine\ningest.producer.linger=20ms\n");
        HearkenConfig config = LOADER.load(Optional.of(file),
                Map.of("HEARKEN_INGEST_MAX_CHUNK_BYTES", "65536", "HEARKEN_INGEST_PROFILE", "default"),
                List.of(RawSetting.flag("ingest.profile", "machine", "--profile"),
                        RawSetting.flag("ingest.producer.batch.size", "131072", "--batch")));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");

        IngestOptions options = IngestOptions.from(config, start);
        assertThat(options.chunkDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.maxChunkBytes()).isEqualTo(65536);
        assertThat(options.profile()).isEqualTo("machine");
        assertThat(options.captureStart()).isEqualTo(start);
        Properties producer = IngestProducers.properties("localhost:9092", IngestProducers.Settings.from(config));
        assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 131072)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"),
                "ingest.chunk.duration=5ms\ningest.max.chunk.bytes=lots\ningest.profile=two words\n");
        assertThat(LOADER.check(file)).extracting(Object::toString).containsExactly(
                file + ":1: ingest.chunk.duration: '5ms' must be between 10ms and 10s",
                file + ":2: ingest.max.chunk.bytes: 'lots' is not an integer (allowed: at least 1024)",
                file + ":3: ingest.profile: 'two words' must be a name of letters, digits, '.', '_' and '-'");
    }

    @Test
    void programmaticOptionsAreCheckedAgainstTheSameBounds() {
        assertThatThrownBy(() -> new IngestOptions(Duration.ofSeconds(11), 4096, "default", Instant.EPOCH))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("ingest.chunk.duration: '11s' must be between 10ms and 10s");
        assertThatThrownBy(() -> new IngestOptions(Duration.ofSeconds(1), 100, "default", Instant.EPOCH))
                .hasMessage("ingest.max.chunk.bytes: '100' must be at least 1024");
        assertThatThrownBy(() -> new IngestProducers.Settings(Duration.ofSeconds(2), 4096))
                .hasMessage("ingest.producer.linger: '2s' must be at most 1s");
    }
}
