package io.hearken.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.config.RawSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSettingsTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(List.of(PlatformSettings.CONFIG));

    @TempDir
    Path dir;

    @Test
    void defaults() {
        PlatformSettings settings = PlatformSettings.defaults();
        assertThat(settings.partitions()).isEqualTo(4);
        assertThat(settings.kafkaPort()).isZero();
        assertThat(settings.registryPort()).isZero();
        assertThat(settings.dataDir()).isEmpty();
        assertThat(settings.metricsPorts()).contains(new PortRange(9249, 9299));
    }

    @Test
    void readThroughTheLoader() throws Exception {
        Path file = Files.writeString(dir.resolve("p.properties"),
                "platform.partitions=2\nplatform.kafka.port=19092\nplatform.data.dir=" + dir.resolve("data") + "\n");
        HearkenConfig config = LOADER.load(Optional.of(file), Map.of("HEARKEN_PLATFORM_REGISTRY_PORT", "18081"),
                List.of(RawSetting.flag("platform.metrics.port", "none", "--metrics-port")));
        PlatformSettings settings = PlatformSettings.from(config);
        assertThat(settings).isEqualTo(new PlatformSettings(2, 19092, 18081, Optional.of(dir.resolve("data")), Optional.empty()));

        assertThat(PlatformSettings.from(LOADER.load(Optional.empty(), Map.of(), Map.of("platform.metrics.port", "9300")))
                .metricsPorts()).contains(new PortRange(9300, 9300));
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"),
                "platform.metrics.port=abc\nplatform.kafka.port=70000\nplatform.partitons=3\nplatform.registry.port=-1\n");
        assertThat(LOADER.check(file)).extracting(Object::toString).containsExactly(
                file + ":1: platform.metrics.port: 'abc' is not a port or a port range (allowed: a port, a range such as 9249-9299, or none)",
                file + ":2: platform.kafka.port: '70000' must be between 0 and 65535",
                file + ":3: unknown setting 'platform.partitons' (did you mean 'platform.partitions'?)",
                file + ":4: platform.registry.port: '-1' must be between 0 and 65535");
        assertThatThrownBy(() -> PlatformSettings.METRICS_PORT.parse("9300-9249")).hasMessageContaining("'9300-9249' is an empty range");
        assertThatThrownBy(() -> PlatformSettings.METRICS_PORT.parse("0-10")).hasMessageContaining("'0-10' is outside the ports 1-65535");
    }

    @Test
    void programmaticSettingsAreCheckedAgainstTheSameBounds() {
        assertThatThrownBy(() -> new PlatformSettings(0, 0, 0, Optional.empty(), Optional.empty()))
                .hasMessage("platform.partitions: '0' must be between 1 and 256");
    }
}
