package io.hearken.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(List.of(KafkaSettings.CONFIG));

    @Test
    void readFromTheEnvironmentAndFlags() {
        HearkenConfig config = LOADER.load(Optional.empty(), Map.of("HEARKEN_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,[::1]:9093"),
                Map.of("schema.registry.url", "https://registry.example:8081"));
        assertThat(config.get(KafkaSettings.BOOTSTRAP_SERVERS)).isEqualTo("k1:9092,[::1]:9093");
        assertThat(config.get(KafkaSettings.REGISTRY_URL)).isEqualTo("https://registry.example:8081");
    }

    @Test
    void anExternalConnectionRequiresBoth() {
        assertThatThrownBy(() -> KafkaSettings.connection(LOADER.load(Optional.empty(), Map.of(), Map.of())))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("kafka.bootstrap.servers: required but not set",
                            "HEARKEN_KAFKA_BOOTSTRAP_SERVERS", "schema.registry.url: required but not set");
                });
        assertThatThrownBy(() -> LOADER.load(Optional.empty(), Map.of(),
                Map.of("kafka.bootstrap.servers", "localhost", "schema.registry.url", "registry:8081")))
                .hasMessageContaining("kafka.bootstrap.servers: 'localhost' must be host:port, comma-separated")
                .hasMessageContaining("schema.registry.url: 'registry:8081' must be an http(s):// URL");
    }
}
