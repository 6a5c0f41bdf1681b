package io.hearken.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldTest {
    enum Guarantee { EXACTLY_ONCE, AT_LEAST_ONCE }

    @ParameterizedTest
    @ValueSource(strings = {"Job.parallelism", "job..parallelism", "job.parallelism.", "job.check-point", "job parallelism",
            "", "job.<a>.<b>", "job.<A>", "job.<>"})
    void rejectsBadKeys(String key) {
        assertThatThrownBy(() -> Field.string(key)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad setting key");
    }

    @Test
    void patternKeys() {
        Field<String> group = Field.string("sinks.anomaly.group.<stream>");
        assertThat(group.isPattern()).isTrue();
        assertThat(group.envName()).isEmpty();
        assertThat(group.keyFor("line-3")).isEqualTo("sinks.anomaly.group.line-3");
        assertThat(group.match("sinks.anomaly.group.line-3")).contains("line-3");
        assertThat(group.match("sinks.anomaly.group.")).isEmpty();
        Field<Duration> window = Field.duration("job.profile.<name>.window");
        assertThat(window.match("job.profile.fast.window")).contains("fast");
        assertThat(window.match("job.profile.fast.hop")).isEmpty();
        assertThat(window.closestInstance("job.profle.fast.window")).isEqualTo("job.profile.fast.window");
    }

    @Test
    void envName() {
        assertThat(SampleSettings.CHECKPOINT_INTERVAL.envName()).contains("HEARKEN_JOB_CHECKPOINT_INTERVAL");
    }

    @Test
    void rendersDefaultsAsUsersWriteThem() {
        assertThat(Field.duration("a").withDefault(Duration.ofMillis(1500)).defaultText()).contains("1.5s");
        assertThat(SampleSettings.OUTPUTS.defaultText()).contains("logits,embedding");
        assertThat(SampleSettings.LEVEL.defaultText()).contains("-60");
        assertThat(Field.number("a").withDefault(0.0001).defaultText()).contains("0.0001");
        assertThat(Field.integer("a").defaultText()).isEmpty();
    }

    @Test
    void parseMessagesNameTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> SampleSettings.PARALLELISM.parse("x")).hasMessage("'x' is not an integer (allowed: between 1 and 1024)");
        assertThatThrownBy(() -> SampleSettings.PARALLELISM.parse("0")).hasMessage("'0' must be between 1 and 1024");
        assertThatThrownBy(() -> SampleSettings.PARALLELISM.parse("1.0")).hasMessageStartingWith("'1.0' is not an integer");
        assertThatThrownBy(() -> SampleSettings.PARALLELISM.parse("99999999999")).hasMessageStartingWith("'99999999999' is out of range for an integer");
        assertThatThrownBy(() -> SampleSettings.ENABLED.parse("yes")).hasMessage("'yes' is not a boolean (allowed: true, false)");
        assertThatThrownBy(() -> SampleSettings.LEVEL.parse("NaN")).hasMessage("'NaN' is not a number");
        assertThatThrownBy(() -> SampleSettings.LEVEL.parse("1d")).hasMessage("'1d' is not a number");
        assertThatThrownBy(() -> SampleSettings.DEVICE.parse("tpu")).hasMessage("'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)");
    }

    @Test
    void parsesEachType() {
        assertThat(SampleSettings.PARALLELISM.parse(" 8 ")).isEqualTo(8);
        assertThat(SampleSettings.ENROL.parse("+7000")).isEqualTo(7000L);
        assertThat(SampleSettings.LEVEL.parse("-42.5")).isEqualTo(-42.5);
        assertThat(SampleSettings.ENABLED.parse("FALSE")).isFalse();
        assertThat(SampleSettings.DELIVERY.parse("AT-LEAST-ONCE")).isEqualTo("at-least-once");
        assertThat(SampleSettings.OUTPUTS.parse(" logits , ,mid ")).containsExactly("logits", "mid");
        assertThat(SampleSettings.OUTPUTS.parse("")).isEmpty();
        assertThat(Field.path("p").parse("/tmp/x")).isEqualTo(Path.of("/tmp/x"));
        assertThat(Field.path("p").parse("~/models")).isEqualTo(Path.of(System.getProperty("user.home"), "models"));
        assertThat(SampleSettings.DEVICE.parse("cuda:1")).isEqualTo("cuda:1");
    }

    @Test
    void javaEnums() {
        Field<Guarantee> field = Field.enumeration("job.guarantee", Guarantee.class).withDefault(Guarantee.AT_LEAST_ONCE);
        assertThat(field.enumValues()).containsExactly("exactly-once", "at-least-once");
        assertThat(field.parse("Exactly-Once")).isEqualTo(Guarantee.EXACTLY_ONCE);
        assertThat(field.defaultText()).contains("at-least-once");
        assertThatThrownBy(() -> field.parse("once")).hasMessage("'once' is not allowed (allowed: exactly-once, at-least-once)");
    }

    @Test
    void requiredOptionalAndDefaulted() {
        assertThat(Field.string("a").isRequired()).isTrue();
        assertThat(Field.string("a").optional().isRequired()).isFalse();
        assertThat(Field.string("a").withDefault("x").isRequired()).isFalse();
        assertThat(Field.string("a.<b>").isRequired()).isFalse();
    }

    @Test
    void validatorsAccumulate() {
        Field<Integer> field = Field.integer("a").withValidator(Validators.atLeast(2)).withValidator(Validators.atMost(4));
        assertThat(field.allowed()).contains("at least 2 and at most 4");
        assertThatThrownBy(() -> field.parse("5")).hasMessage("'5' must be at most 4");
    }

    @Test
    void commonValidators() {
        Field<List<String>> outputs = Field.list("a").withValidator(Validators.nonEmpty());
        assertThatThrownBy(() -> outputs.parse(" , ")).hasMessage("',' must be non-empty");
        Field<String> servers = Field.string("b").withValidator(Validators.nonBlank())
                .withValidator(Validators.matching("[^:,]+:\\d+(,[^:,]+:\\d+)*", "a host:port list"));
        assertThat(servers.parse("a:1,b:2")).isEqualTo("a:1,b:2");
        assertThatThrownBy(() -> servers.parse("a")).hasMessage("'a' must be a host:port list");
        assertThatThrownBy(() -> servers.parse("")).hasMessage("'' must be non-blank");
        assertThat(Validators.range(Duration.ofMillis(100), Duration.ofMinutes(10)).requirement()).isEqualTo("between 100ms and 10m");
        assertThat(Validators.atMost(0.5).requirement()).isEqualTo("at most 0.5");
        assertThatThrownBy(() -> Validators.range(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDefaultItsOwnFieldRejectsIsABug() {
        Field<Integer> bad = Field.integer("job.parallelism").withDefault(0).withValidator(Validators.range(1, 4));
        assertThatThrownBy(() -> ConfigGroup.of("job", "", bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job.parallelism: the default is invalid: '0' must be between 1 and 4");
        assertThatThrownBy(() -> Field.enumeration("a", "x", "X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigGroup.of("Job", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigGroup.of("job", "", Field.list("job.l").withDefault(List.of())).fields()).hasSize(1);
    }
}
