package io.hearken.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigLoader;
import io.hearken.config.ConfigReference;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.sinks.alerts.AlertSettings;
import io.hearken.sinks.alerts.WebhookAlerter;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.captions.CaptionSettings;
import io.hearken.sinks.captions.GrammarCaptioner;
import io.hearken.sinks.tags.TagRules;
import io.hearken.sinks.tags.TagSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksSettingsTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(SinksSettings.GROUPS);

    private static HearkenConfig load(Path file, Map<String, String> env) {
        return LOADER.load(Optional.of(file), env, Map.of());
    }

    @Test
    void everyGroupKeepsItsKeysUnderItsNameAndTheReferenceDocumentsThem() {
        String reference = ConfigReference.markdown(SinksSettings.GROUPS);
        for (ConfigGroup group : SinksSettings.GROUPS) {
            for (Field<?> field : group.fields()) {
                assertThat(field.key()).startsWith(group.name() + ".");
                assertThat(field.description()).as(field.key()).isNotBlank();
                assertThat(reference).contains("`" + field.key() + "`");
            }
        }
        assertThat(reference).contains("| `sinks.anomaly.enrol.duration` <br> `HEARKEN_SINKS_ANOMALY_ENROL_DURATION` | duration | `1m` |");
    }

    @Test
    void theDefaultsAreTheEmbeddedPlatformsAndTheRecordsDefaults() {
        HearkenConfig config = HearkenConfig.fromRaw(SinksSettings.GROUPS, Map.of());
        Properties props = SinksApp.streamsConfig(config, "kafka:9092", "http://registry:8081", "app");
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(props.get(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))).isEqualTo("earliest");
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
        assertThat(props).doesNotContainKey(StreamsConfig.STATE_DIR_CONFIG);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("app");

        TagSettings tags = TagSettings.from(config);
        assertThat(tags.applicationId()).isEqualTo("hearken-sinks-tags").isEqualTo(SinksApp.DEFAULT_APPLICATION_ID);
        assertThat(tags.rules().defaultRule()).isEqualTo(TagRules.DEFAULT_RULE);
        assertThat(CaptionSettings.from(config)).isEqualTo(CaptionSettings.defaults())
                .isEqualTo(new CaptionSettings(Duration.ofSeconds(10), true, false,
                        new GrammarCaptioner.Style(-15f, -45f, 4, 2_500_000L, 0.7)));
        assertThat(AnomalySettings.from(config)).isEqualTo(AnomalySettings.defaults());
        assertThat(config.get(AnomalySettings.APPLICATION_ID)).isEqualTo(SinksApp.ANOMALY_APPLICATION_ID);
        AlertSettings alerts = AlertSettings.from(config);
        assertThat(alerts.rules()).isEmpty();
        assertThat(alerts.options()).isEqualTo(WebhookAlerter.Options.defaults())
                .isEqualTo(new WebhookAlerter.Options("hearken-alerts", "latest", Duration.ofMillis(100), Duration.ZERO,
                        Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)));
    }

    @Test
    void aPropertiesFileSetsEveryComponentWithDurationsAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path tagRules = Files.writeString(dir.resolve("tags.json"), "{\"defaults\": {\"threshold\": 0.5}}");
        Path alertRules = Files.writeString(dir.resolve("alerts.json"), """
                {"endpoints": {"ops": {"url": "https://pager.example.com/${env:PAGER_PATH}"}},
                 "rules": [{"type": "anomaly", "endpoint": "ops"}]}
                """);
        Path file = Files.writeString(dir.resolve("hearken.properties"), String.join("\n",
                "sinks.tags.rules=" + tagRules,
                "sinks.tags.application.id=tags-line-3",
                "sinks.captions.period=30s",
                "sinks.captions.emit.empty=true",
                "sinks.captions.grammar.loud.dbfs=-10",
                "sinks.anomaly.enrol.duration=5s",
                "sinks.anomaly.group.fan-2=fans",
                "sinks.alerts.rules=" + alertRules,
                "sinks.alerts.auto.offset.reset=earliest",
                "sinks.alerts.commit.interval=250ms",
                "sinks.streams.replication.factor=2",
                "sinks.streams.auto.offset.reset=latest",
                "sinks.streams.commit.interval=1.5s",
                "sinks.streams.state.dir=" + dir.resolve("state"),
                "sinks.streams.threads=2", ""));
        HearkenConfig config = load(file, Map.of("HEARKEN_SINKS_STREAMS_REPLICATION_FACTOR", "3", "PAGER_PATH", "p"));

        TagSettings tags = TagSettings.from(config);
        assertThat(tags.rules().threshold()).isEqualTo(0.5f);
        assertThat(tags.applicationId()).isEqualTo("tags-line-3");
        CaptionSettings captions = CaptionSettings.from(config);
        assertThat(captions.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(captions.emitEmpty()).isTrue();
        assertThat(captions.grammar().loudDbfs()).isEqualTo(-10f);
        AnomalySettings anomalies = AnomalySettings.from(config);
        assertThat(anomalies.enrolDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(anomalies.groupOf("fan-2")).isEqualTo("fans");
        AlertSettings alerts = AlertSettings.from(config, Map.of("PAGER_PATH", "p")::get);
        assertThat(alerts.rules().orElseThrow().endpoint("ops").url().toString()).isEqualTo("https://pager.example.com/p");
        assertThat(alerts.options().autoOffsetReset()).isEqualTo("earliest");
        assertThat(alerts.options().commitInterval()).isEqualTo(Duration.ofMillis(250));

        Properties props = SinksApp.streamsConfig(config, "kafka:9092", "http://registry:8081", tags.applicationId());
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).as("the environment wins over the file").isEqualTo(3);
        assertThat(props.get(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))).isEqualTo("latest");
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(1500L);
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(dir.resolve("state").toString());
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("tags-line-3");
    }

    @Test
    void mistakesAcrossGroupsAreReportedTogether(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("hearken.properties"), String.join("\n",
                "sinks.streams.replication.factor=0",
                "sinks.streams.auto.offset.reset=newest",
                "sinks.streams.commit.interval.ms=200",
                "sinks.captions.period=500ms",
                "sinks.alerts.poll.timeout=100", ""));
        assertThatThrownBy(() -> load(file, Map.of()))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("(5 problems)")
                .hasMessageContaining(file + ":1: sinks.streams.replication.factor: '0' must be at least 1")
                .hasMessageContaining(file + ":2: sinks.streams.auto.offset.reset: 'newest' is not allowed (allowed: earliest, latest)")
                .hasMessageContaining(file + ":3: unknown setting 'sinks.streams.commit.interval.ms' (did you mean 'sinks.streams.commit.interval'?)")
                .hasMessageContaining(file + ":4: sinks.captions.period: '500ms' must be at least 1s")
                .hasMessageContaining(file + ":5: sinks.alerts.poll.timeout: '100' needs a unit");
    }

    @Test
    void theTestOverloadKeepsTheDefaultsAndTakesTheStateDirectory(@TempDir Path dir) {
        Properties props = SinksApp.streamsConfig("kafka:9092", "http://registry:8081", "app", dir);
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(dir.toString());
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
    }

    @Test
    void captionGrammarThresholdsAreCheckedTogether() {
        assertThatThrownBy(() -> CaptionSettings.from(HearkenConfig.fromRaw(SinksSettings.GROUPS,
                Map.of("sinks.captions.grammar.faint.dbfs", "-10", "sinks.captions.grammar.loud.dbfs", "-20"))))
                .isInstanceOf(HearkenException.class)
                .hasMessageContaining("sinks.captions.grammar.faint.dbfs (-10.0) must be below sinks.captions.grammar.loud.dbfs (-20.0)");
    }
}
