package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnomalySettingsTest {
    @Test
    void loadsAPropertiesFileAndRejectsKeysWithoutThePrefix(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("anomaly.properties"),
                "# enrol on the first 5 s\nsinks.anomaly.enrol.duration.ms=5000\nsinks.anomaly.group.fan-2=fan\n");
        AnomalySettings s = AnomalySettings.load(file);
        assertThat(s.enrolDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.groupOf("fan-2")).isEqualTo("fan");

        java.nio.file.Path unprefixed = java.nio.file.Files.writeString(dir.resolve("bad.properties"), "enrol.duration.ms=5000\n");
        assertThatThrownBy(() -> AnomalySettings.load(unprefixed)).isInstanceOf(HearkenException.class)
                .hasMessageContaining("bad.properties").hasMessageContaining("enrol.duration.ms")
                .hasMessageContaining("sinks.anomaly.");
        assertThatThrownBy(() -> AnomalySettings.load(dir.resolve("missing.properties")))
                .isInstanceOf(HearkenException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void defaults() {
        AnomalySettings d = AnomalySettings.defaults();
        assertThat(d.featureName()).isEqualTo("mid");
        assertThat(d.scorer()).isEqualTo(ScorerConfig.defaults());
        assertThat(d.scorer().k()).isEqualTo(1);
        assertThat(d.scorer().metric()).isEqualTo(DistanceMetric.EUCLIDEAN);
        assertThat(d.scorer().quantile()).isEqualTo(0.99);
        assertThat(d.scorer().neighbourGap()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.scorer().bankCap()).isEqualTo(2000);
        assertThat(d.consecutive()).isEqualTo(3);
        assertThat(d.enrolWindows()).isZero();
        assertThat(d.enrolDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.profiles()).containsExactly("machine");
        assertThat(d.groupOf("pump-1")).isEqualTo("pump-1");
        assertThat(AnomalySettings.fromMap(Map.of("other.key", "x"))).isEqualTo(d);
    }

    @Test
    void everyKeyParses() {
        AnomalySettings s = AnomalySettings.fromMap(Map.ofEntries(
                Map.entry("sinks.anomaly.feature", "embedding"),
                Map.entry("sinks.anomaly.k", "5"),
                Map.entry("sinks.anomaly.metric", "Cosine"),
                Map.entry("sinks.anomaly.threshold.quantile", "0.95"),
                Map.entry("sinks.anomaly.threshold.neighbour.gap.ms", "1500"),
                Map.entry("sinks.anomaly.bank.cap", "500"),
                Map.entry("sinks.anomaly.bank.seed", "7"),
                Map.entry("sinks.anomaly.enrol.windows", "120"),
                Map.entry("sinks.anomaly.enrol.duration.ms", "0"),
                Map.entry("sinks.anomaly.consecutive", "4"),
                Map.entry("sinks.anomaly.hold.off.ms", "3000"),
                Map.entry("sinks.anomaly.inactivity.timeout.ms", "10000"),
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
        assertConfigError(Map.of("sinks.anomaly.k", "0"), "sinks.anomaly.k");
        assertConfigError(Map.of("sinks.anomaly.k", "two"), "sinks.anomaly.k");
        assertConfigError(Map.of("sinks.anomaly.metric", "manhattan"), "sinks.anomaly.metric");
        assertConfigError(Map.of("sinks.anomaly.threshold.quantile", "1.5"), "sinks.anomaly.threshold.quantile");
        assertConfigError(Map.of("sinks.anomaly.bank.cap", "1"), "sinks.anomaly.bank.cap");
        assertConfigError(Map.of("sinks.anomaly.consecutive", "0"), "sinks.anomaly.consecutive");
        assertConfigError(Map.of("sinks.anomaly.hold.off.ms", "-1"), "sinks.anomaly.hold.off.ms");
        assertConfigError(Map.of("sinks.anomaly.profiles", " , "), "sinks.anomaly.profiles");
        assertConfigError(Map.of("sinks.anomaly.group.pump-1", ""), "sinks.anomaly.group.pump-1");
        assertConfigError(Map.of("sinks.anomaly.threshold", "3"), "unknown setting sinks.anomaly.threshold");
    }

    private static void assertConfigError(Map<String, String> config, String message) {
        assertThatThrownBy(() -> AnomalySettings.fromMap(config)).isInstanceOf(HearkenException.class)
                .hasMessageContaining(message);
    }
}
