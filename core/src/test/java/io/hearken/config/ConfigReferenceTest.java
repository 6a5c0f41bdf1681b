package io.hearken.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void markdownListsEveryKeyWithItsEnvironmentName() {
        String md = ConfigReference.markdown(SampleSettings.ALL);
        for (ConfigGroup group : SampleSettings.ALL) {
            assertThat(md).contains("\n## " + group.name() + "\n\n" + group.description() + "\n");
            for (Field<?> field : group.fields()) {
                assertThat(md).contains("| `" + field.key() + "` <br> "
                        + field.envName().map(env -> "`" + env + "`").orElse("file and `--set` only") + " |");
            }
        }
        assertThat(md.indexOf("\n## job\n")).isLessThan(md.indexOf("\n## inference\n"));
        assertThat(md.indexOf("\n## inference\n")).isLessThan(md.indexOf("\n## sinks.anomaly\n"));
        assertThat(md.indexOf("| `job.checkpoint.interval`")).isLessThan(md.indexOf("| `job.parallelism`"));
    }

    @Test
    void markdownRows() {
        String md = ConfigReference.markdown(SampleSettings.ALL);
        assertThat(md).contains("| key | type | default | unit | description |")
                .contains("| `job.checkpoint.interval` <br> `HEARKEN_JOB_CHECKPOINT_INTERVAL` | duration (at least 100ms) | `1s` |  | "
                        + "How often the job checkpoints; exactly-once output becomes visible at each. |")
                .contains("| enum: `exactly-once`, `at-least-once` | `exactly-once` |")
                .contains("| string (cpu, cuda, cuda:N, auto) | `cpu` |")
                .contains("| `sinks.anomaly.group.<stream>` <br> file and `--set` only | string | *none* |")
                .contains("| long | `5000` | ms |")
                .contains("| number | `-60` | dBFS |")
                .contains("Windows in flight to the model \\| per task.");
    }

    @Test
    void headerExplainsPrecedenceAndDurations() {
        String md = ConfigReference.markdown(SampleSettings.ALL);
        assertThat(md).startsWith("# Hearken configuration reference\n")
                .contains("`--config FILE`").contains("`HEARKEN_`").contains("`--set key=value`")
                .contains("`500ms`").contains("`PT2S`").contains("not from the environment");
        assertThat(md.indexOf("--config FILE")).isLessThan(md.indexOf("HEARKEN_"));
        assertThat(md.indexOf("HEARKEN_")).isLessThan(md.indexOf("--set key=value"));
    }

    @Test
    void requiredSettingsAreMarked() {
        ConfigGroup kafka = ConfigGroup.of("kafka", "Kafka.", Field.string("kafka.bootstrap.servers"));
        assertThat(ConfigReference.markdown(List.of(kafka))).contains("| string | *required* |");
        assertThat(ConfigReference.text(List.of(kafka))).contains("kafka.bootstrap.servers  string, required");
    }

    @Test
    void deterministic() {
        assertThat(ConfigReference.markdown(SampleSettings.ALL)).isEqualTo(ConfigReference.markdown(List.copyOf(SampleSettings.ALL)));
        assertThat(ConfigReference.text(SampleSettings.ALL)).isEqualTo(ConfigReference.text(SampleSettings.ALL));
    }

    @Test
    void textListsEveryKeyAndEnvironmentName() {
        String text = ConfigReference.text(SampleSettings.ALL);
        for (ConfigGroup group : SampleSettings.ALL) {
            assertThat(text).contains("\n" + group.name() + " - " + group.description() + "\n");
            for (Field<?> field : group.fields()) {
                assertThat(text).contains("  " + field.key() + "  ");
                field.envName().ifPresent(env -> assertThat(text).contains("      " + env + "\n"));
            }
        }
        assertThat(text).contains("job.checkpoint.interval  duration, default 1s, allowed: at least 100ms\n")
                .contains("sinks.anomaly.enrol.duration.ms  long (ms), default 5000\n")
                .contains("--config FILE < environment HEARKEN_");
    }

    @Test
    void rejectsGroupsThatDoNotCombine() {
        assertThatThrownBy(() -> ConfigReference.markdown(List.of(SampleSettings.JOB, SampleSettings.JOB)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
