package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalySettingsTest {
    private static AnomalySettings fromMap(Map<String, String> raw) {
        return AnomalySettings.from(HearkenConfig.fromRaw(List.of(AnomalySettings.CONFIG), raw));
    }

    @Test
    void loadsAPropertiesFileWithDurationsAndPatternKeys(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("anomaly.properties"),
                "# enrol on the first 5 s\nsinks.anomaly.enrol.duration=5s\nsinks.anomaly.hold.off=PT0.5S\n"
                        + "sinks.anomaly.group.fan-2=fan\nsinks.anomaly.group.line.3/mic=fan\n");
        AnomalySettings s = AnomalySettings.load(file);
        assertThat(s.enrolDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.holdOff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.groups()).isEqualTo(Map.of("fan-2", "fan", "line.3/mic", "fan"));
        assertThat(s.consecutive()).as("unset keys keep their defaults").isEqualTo(3);
    }

    @Test
    void theOldMillisecondKeysAreRefusedAllAtOnceNamingTheNewOnes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("old.properties"),
                "sinks.anomaly.enrol.duration.ms=5000\nsinks.anomaly.hold.off.ms=2000\nsinks.anomaly.k=0\n"
                        + "sinks.anomaly.enrol.duration=5000\n");
        assertThatThrownBy(() -> AnomalySettings.load(file))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("(4 problems)")
                .hasMessageContaining(file + ":1: unknown setting 'sinks.anomaly.enrol.duration.ms' (did you mean 'sinks.anomaly.enrol.duration'?)")
                .hasMessageContaining(file + ":2: unknown setting 'sinks.anomaly.hold.off.ms' (did you mean 'sinks.anomaly.hold.off'?)")
                .hasMessageContaining(file + ":3: sinks.anomaly.k: '0' must be between 1 and 64")
                .hasMessageContaining(file + ":4: sinks.anomaly.enrol.duration: '5000' needs a unit");
        assertThatThrownBy(() -> AnomalySettings.load(dir.resolve("missing.properties")))
                .isInstanceOf(HearkenException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void defaultsComeFromTheFields() {
        AnomalySettings d = AnomalySettings.defaults();
        assertThat(d.featureName()).isEqualTo("mid").isEqualTo(AnomalySettings.FEATURE.defaultValue().orElseThrow());
        assertThat(d.scorer()).isEqualTo(ScorerConfig.defaults())
                .isEqualTo(new ScorerConfig(1, DistanceMetric.EUCLIDEAN, 0.99, Duration.ofSeconds(1), 2000, 42));
        assertThat(d.consecutive()).isEqualTo(3);
        assertThat(d.enrolWindows()).isZero();
        assertThat(d.enrolDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.holdOff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.inactivityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.profiles()).containsExactly("machine");
        assertThat(d.groupOf("pump-1")).isEqualTo("pump-1");
        assertThat(fromMap(Map.of())).isEqualTo(d);
        assertThat(AnomalySettings.ENROL_DURATION.defaultText()).contains("1m");
        assertThat(AnomalySettings.METRIC.defaultText()).contains("euclidean");
    }

    @Test
    void everyKeyParses() {
        AnomalySettings s = fromMap(Map.ofEntries(
                Map.entry("sinks.anomaly.feature", "embedding"),
                Map.entry("sinks.anomaly.k", "5"),
                Map.entry("sinks.anomaly.metric", "Cosine"),
                Map.entry("sinks.anomaly.threshold.quantile", "0.95"),
                Map.entry("sinks.anomaly.threshold.neighbour.gap", "1.5s"),
                Map.entry("sinks.anomaly.bank.cap", "500"),
                Map.entry("sinks.anomaly.bank.seed", "7"),
                Map.entry("sinks.anomaly.enrol.windows", "120"),
                Map.entry("sinks.anomaly.enrol.duration", "0"),
                Map.entry("sinks.anomaly.consecutive", "4"),
                Map.entry("sinks.anomaly.hold.off", "3000ms"),
                Map.entry("sinks.anomaly.inactivity.timeout", "10s"),
                Map.entry("sinks.anomaly.profiles", "machine, default"),
                Map.entry("sinks.anomaly.group.pump-1", "pumps"),
                Map.entry("sinks.anomaly.group.pump-2", "pumps")));
        assertThat(s.featureName()).isEqualTo("embedding");
        assertThat(s.scorer()).isEqualTo(new ScorerConfig(5, DistanceMetric.COSINE, 0.95, Duration.ofMillis(1500), 500, 7));
        assertThat(s.enrolWindows()).isEqualTo(120);
        assertThat(s.enrolDuration()).isZero();
        assertThat(s.consecutive()).isEqualTo(4);
        assertThat(s.holdOff()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.inactivityTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.profiles()).isEqualTo(Set.of("machine", "default"));
        assertThat(s.groupOf("pump-2")).isEqualTo("pumps");
        assertThat(s.groupOf("fan-1")).isEqualTo("fan-1");
        assertThat(s.monitors("default")).isTrue();
        assertThat(s.monitors("speech")).isFalse();
        assertThat(s.withProfiles(Set.of("*")).monitors("speech")).isTrue();
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKey() {
        assertConfigError(Map.of("sinks.anomaly.k", "two"), "sinks.anomaly.k: 'two' is not an integer");
        assertConfigError(Map.of("sinks.anomaly.metric", "manhattan"), "sinks.anomaly.metric: 'manhattan' is not allowed (allowed: euclidean, cosine)");
        assertConfigError(Map.of("sinks.anomaly.threshold.quantile", "1.5"), "sinks.anomaly.threshold.quantile: '1.5' must be in (0, 1]");
        assertConfigError(Map.of("sinks.anomaly.bank.cap", "1"), "sinks.anomaly.bank.cap: '1' must be between 2 and 100000");
        assertConfigError(Map.of("sinks.anomaly.consecutive", "0"), "sinks.anomaly.consecutive: '0' must be at least 1");
        assertConfigError(Map.of("sinks.anomaly.hold.off", "-1s"), "sinks.anomaly.hold.off: '-1s' must not be negative");
        assertConfigError(Map.of("sinks.anomaly.inactivity.timeout", "0"), "sinks.anomaly.inactivity.timeout: '0' must be more than 0");
        assertConfigError(Map.of("sinks.anomaly.profiles", " , "), "sinks.anomaly.profiles: ',' must be non-empty");
        assertConfigError(Map.of("sinks.anomaly.group.pump-1", " "), "sinks.anomaly.group.pump-1: '' must be non-blank");
        assertConfigError(Map.of("sinks.anomaly.threshold", "3"), "unknown setting 'sinks.anomaly.threshold'");
    }

    @Test
    void settingsBuiltInCodeAreCheckedToo() {
        assertThatThrownBy(() -> AnomalySettings.defaults().withEnrolment(-1, Duration.ZERO))
                .isInstanceOf(HearkenException.class).hasMessageContaining("sinks.anomaly.enrol.windows");
        assertThatThrownBy(() -> AnomalySettings.defaults().withGroups(Map.of("pump-1", "")))
                .isInstanceOf(HearkenException.class).hasMessageContaining("sinks.anomaly.group.pump-1");
        assertThatThrownBy(() -> ScorerConfig.defaults().withK(65))
                .isInstanceOf(HearkenException.class).hasMessageContaining("sinks.anomaly.k");
    }

    private static void assertConfigError(Map<String, String> config, String message) {
        assertThatThrownBy(() -> fromMap(config)).isInstanceOf(HearkenException.class).hasMessageContaining(message);
    }
}
