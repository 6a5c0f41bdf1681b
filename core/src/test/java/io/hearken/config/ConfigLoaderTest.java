package io.hearken.config;

import static io.hearken.config.SampleSettings.CAPACITY;
import static io.hearken.config.SampleSettings.CHECKPOINT_INTERVAL;
import static io.hearken.config.SampleSettings.DELIVERY;
import static io.hearken.config.SampleSettings.DEVICE;
import static io.hearken.config.SampleSettings.GROUP;
import static io.hearken.config.SampleSettings.PARALLELISM;
import static io.hearken.config.SampleSettings.PROFILE_WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(SampleSettings.ALL);

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path file = dir.resolve("hearken.properties");
        Files.write(file, List.of(lines));
        return file;
    }

    private static String failure(Runnable load) {
        try {
            load.run();
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void fileThenEnvironmentThenFlags() throws IOException {
        Path file = file("job.parallelism=2", "inference.device=cuda", "job.checkpoint.interval=5s");
        HearkenConfig config = LOADER.load(Optional.of(file),
                Map.of("HEARKEN_JOB_PARALLELISM", "3", "HEARKEN_JOB_CHECKPOINT_INTERVAL", "2s"),
                Map.of("job.checkpoint.interval", "3s"));
        assertThat(config.get(DEVICE)).isEqualTo("cuda");
        assertThat(config.get(PARALLELISM)).isEqualTo(3);
        assertThat(config.get(CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.origin("inference.device")).contains(Origin.file(file, 2));
        assertThat(config.origin("job.parallelism")).contains(Origin.environment("HEARKEN_JOB_PARALLELISM"));
        assertThat(config.origin("job.checkpoint.interval")).contains(Origin.SET_FLAG);
        assertThat(config.get(CAPACITY)).isEqualTo(16);
        assertThat(config.has(CAPACITY)).isFalse();
        assertThat(config.has(DEVICE)).isTrue();
        assertThat(config.origin("inference.capacity")).isEmpty();
    }

    @Test
    void onlyTheWinningValueIsValidated() throws IOException {
        HearkenConfig config = LOADER.load(Optional.of(file("job.parallelism=x")), Map.of(), Map.of("job.parallelism", "4"));
        assertThat(config.get(PARALLELISM)).isEqualTo(4);
    }

    @Test
    void unknownKeySuggestsTheNearest() throws IOException {
        Path file = file("# comment", "job.chekpoint.interval=1s");
        assertThat(failure(() -> LOADER.load(Optional.of(file), Map.of(), Map.of())))
                .contains(file + ":2: unknown setting 'job.chekpoint.interval' (did you mean 'job.checkpoint.interval'?)");
    }

    @Test
    void unknownKeyFarFromAnyListsItsGroupOrTheGroups() {
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), Map.of("sinks.anomaly.something.else.entirely", "1"))))
                .contains("flag --set: unknown setting 'sinks.anomaly.something.else.entirely' (sinks.anomaly settings: "
                        + "sinks.anomaly.enrol.duration.ms, sinks.anomaly.min.level, sinks.anomaly.enabled, sinks.anomaly.group.<stream>)");
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap.servers", "x"))))
                .contains("unknown setting 'kafka.bootstrap.servers' (known groups: job, inference, sinks.anomaly)");
    }

    @Test
    void badEnumNamesTheAllowedValues() {
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), Map.of("job.delivery.guarantee", "fast"))))
                .contains("flag --set: job.delivery.guarantee: 'fast' is not allowed (allowed: exactly-once, at-least-once)");
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of("HEARKEN_INFERENCE_DEVICE", "tpu"), Map.of())))
                .contains("environment HEARKEN_INFERENCE_DEVICE: inference.device: 'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)");
    }

    @Test
    void badDurations() {
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), Map.of("job.checkpoint.interval", "50ms"))))
                .contains("job.checkpoint.interval: '50ms' must be at least 100ms");
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), Map.of("job.checkpoint.interval", "soon"))))
                .contains("job.checkpoint.interval: 'soon' is not a duration (e.g. 500ms")
                .contains("(allowed: at least 100ms)");
    }

    @Test
    void reportsEveryProblemAtOnceWithOrigins() throws IOException {
        Path file = file("job.parallelism = x", "", "job.chekpoint.interval: 1s", "inference.device tpu", "job.parallelism=2");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("job.delivery.guarantee", "fast");
        flags.put("sinks.anomaly.enabled", "maybe");
        String message = failure(() -> LOADER.load(Optional.of(file), Map.of("HEARKEN_INFERENCE_CAPACITY", "0"), flags));
        assertThat(message.lines()).containsExactly(
                "invalid configuration (7 problems):",
                "  " + file + ":1: job.parallelism: 'x' is not an integer (allowed: between 1 and 1024)",
                "  " + file + ":3: unknown setting 'job.chekpoint.interval' (did you mean 'job.checkpoint.interval'?)",
                "  " + file + ":4: inference.device: 'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)",
                "  " + file + ":5: duplicate setting 'job.parallelism' (first set on line 1)",
                "  environment HEARKEN_INFERENCE_CAPACITY: inference.capacity: '0' must be at least 1",
                "  flag --set: job.delivery.guarantee: 'fast' is not allowed (allowed: exactly-once, at-least-once)",
                "  flag --set: sinks.anomaly.enabled: 'maybe' is not a boolean (allowed: true, false)");
    }

    @Test
    void namedFlagsAppearInMessages() {
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(),
                List.of(RawSetting.flag("job.checkpoint.interval", "10ms", "--checkpoint-ms")))))
                .contains("flag --checkpoint-ms: job.checkpoint.interval: '10ms' must be at least 100ms");
    }

    @Test
    void environmentThatNamesNoSettingIsIgnored() {
        Map<String, String> env = Map.of("HEARKEN_HOME", "/opt/hearken", "HEARKEN_JAVA_OPTS", "-Xmx3g",
                "HEARKEN_SINKS_ANOMALY_GROUP_LINE_3", "north", "HEARKEN_JOB_PARALLELISM", " ", "PATH", "/bin");
        HearkenConfig config = LOADER.load(Optional.empty(), env, Map.of());
        assertThat(config.patterned(GROUP)).isEmpty();
        assertThat(config.get(PARALLELISM)).isEqualTo(1);
        assertThat(config.asProperties()).isEmpty();
    }

    @Test
    void patternKeys() throws IOException {
        Path file = file("sinks.anomaly.group.line-3=north", "sinks.anomaly.group.Line.4=south", "job.profile.fast.window=500ms");
        HearkenConfig config = LOADER.load(Optional.of(file), Map.of(), Map.of("sinks.anomaly.group.line-3", "west"));
        assertThat(config.patterned(GROUP)).containsExactly(Map.entry("Line.4", "south"), Map.entry("line-3", "west"));
        assertThat(config.patterned(PROFILE_WINDOW)).containsExactly(Map.entry("fast", Duration.ofMillis(500)));
        assertThat(config.find(PROFILE_WINDOW, "fast")).contains(Duration.ofMillis(500));
        assertThat(config.find(PROFILE_WINDOW, "slow")).contains(Duration.ofSeconds(2));
        assertThat(config.find(GROUP, "line-9")).isEmpty();
        assertThat(config.has(GROUP)).isTrue();
        assertThat(config.origin("sinks.anomaly.group.line-3")).contains(Origin.SET_FLAG);
        assertThatThrownBy(() -> config.get(GROUP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.patterned(PARALLELISM)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patternKeyErrors() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("job.profile.fast.window", "1x");
        flags.put("sinks.anomaly.grup.line-3", "north");
        flags.put("job.profile.fast.windw", "1s");
        assertThat(failure(() -> LOADER.load(Optional.empty(), Map.of(), flags)).lines()).containsExactly(
                "invalid configuration (3 problems):",
                "  flag --set: job.profile.fast.window: '1x' has an unknown unit 'x' (use h, m, s, ms, us or ns)",
                "  flag --set: unknown setting 'sinks.anomaly.grup.line-3' (did you mean 'sinks.anomaly.group.line-3'?)",
                "  flag --set: unknown setting 'job.profile.fast.windw' (did you mean 'job.profile.fast.window'?)");
    }

    @Test
    void requiredSettingsMustBeSet() {
        Field<String> servers = Field.string("kafka.bootstrap.servers").withDescription("Brokers.");
        Field<Path> model = Field.path("kafka.model.dir").optional();
        ConfigLoader loader = ConfigLoader.of(List.of(ConfigGroup.of("kafka", "Kafka.", servers, model)));
        assertThat(failure(() -> loader.load(Optional.empty(), Map.of(), Map.of()))).isEqualTo("""
                invalid configuration (1 problem):
                  kafka.bootstrap.servers: required but not set (set it in the --config file, as \
                HEARKEN_KAFKA_BOOTSTRAP_SERVERS or with --set kafka.bootstrap.servers=VALUE)""");
        HearkenConfig config = loader.load(Optional.empty(), Map.of("HEARKEN_KAFKA_BOOTSTRAP_SERVERS", "b:9092"), Map.of());
        assertThat(config.get(servers)).isEqualTo("b:9092");
        assertThat(config.find(model)).isEmpty();
        assertThatThrownBy(() -> config.get(model)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keysDeclaredTwiceAreRejected() {
        ConfigGroup other = ConfigGroup.of("other", "", Field.integer("job.parallelism").withDefault(2));
        assertThatThrownBy(() -> ConfigLoader.of(List.of(SampleSettings.JOB, other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("setting job.parallelism is declared in both job and other");
        ConfigGroup patterns = ConfigGroup.of("p", "", Field.string("sinks.anomaly.group.<name>"));
        assertThatThrownBy(() -> ConfigLoader.of(List.of(SampleSettings.ANOMALY, patterns))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigLoader.of(List.of(SampleSettings.JOB, SampleSettings.JOB))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExactKeyWinsOverAPattern() {
        Field<String> fallback = Field.string("sinks.anomaly.group.default").withDefault("all");
        HearkenConfig config = ConfigLoader.of(List.of(SampleSettings.ANOMALY, ConfigGroup.of("extra", "", fallback)))
                .load(Optional.empty(), Map.of(), Map.of("sinks.anomaly.group.default", "none"));
        assertThat(config.get(fallback)).isEqualTo("none");
        assertThat(config.patterned(GROUP)).isEmpty();
    }

    @Test
    void undeclaredFieldsAreABug() {
        HearkenConfig config = LOADER.load(Optional.empty(), Map.of(), Map.of());
        assertThatThrownBy(() -> config.get(Field.integer("job.parallelism"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not declared");
    }

    @Test
    void parsesPropertiesSyntaxWithLineNumbers() throws IOException {
        Path file = file("# comment", "! also a comment", "  job.parallelism : 3", "inference.outputs = logits,\\",
                "    embedding", "inference.device\tcuda:0", "sinks.anomaly.group.a\\ b=x\\u00e9\\\\", "sinks.anomaly.group.c=");
        assertThat(ConfigLoader.parseProperties(file)).containsExactly(
                new RawSetting("job.parallelism", "3", Origin.file(file, 3)),
                new RawSetting("inference.outputs", "logits,embedding", Origin.file(file, 4)),
                new RawSetting("inference.device", "cuda:0", Origin.file(file, 6)),
                new RawSetting("sinks.anomaly.group.a b", "x\u00e9\\", Origin.file(file, 7)),
                new RawSetting("sinks.anomaly.group.c", "", Origin.file(file, 8)));
    }

    @Test
    void malformedOrMissingFiles() throws IOException {
        Path bad = file("a=\\u12", "=x");
        assertThat(failure(() -> ConfigLoader.parseProperties(bad)))
                .contains(bad + ":1: malformed \\u escape in '\\u12'")
                .contains(bad + ":2: missing key before '=x'");
        Path missing = dir.resolve("nope.properties");
        assertThat(failure(() -> LOADER.load(Optional.of(missing), Map.of(), Map.of())))
                .contains(missing + ": config file does not exist");
    }

    @Test
    void checkListsFileProblemsWithoutThrowing() throws IOException {
        Field<String> servers = Field.string("kafka.bootstrap.servers");
        ConfigLoader loader = ConfigLoader.of(List.of(SampleSettings.JOB, ConfigGroup.of("kafka", "", servers)));
        assertThat(loader.check(file("job.parallelism=8"))).isEmpty();
        Path file = file("job.parallelism=0", "job.paralelism=2");
        assertThat(loader.check(file)).extracting(Problem::toString).containsExactly(
                file + ":1: job.parallelism: '0' must be between 1 and 1024",
                file + ":2: unknown setting 'job.paralelism' (did you mean 'job.parallelism'?)");
    }

    @Test
    void withRevalidates() {
        HearkenConfig base = LOADER.load(Optional.empty(), Map.of("HEARKEN_JOB_PARALLELISM", "2"), Map.of());
        HearkenConfig changed = base.with(Map.of("job.delivery.guarantee", "at-least-once"));
        assertThat(changed.get(DELIVERY)).isEqualTo("at-least-once");
        assertThat(changed.get(PARALLELISM)).isEqualTo(2);
        assertThat(changed.origin("job.parallelism")).contains(Origin.environment("HEARKEN_JOB_PARALLELISM"));
        assertThat(changed.origin("job.delivery.guarantee")).contains(Origin.OVERRIDE);
        assertThat(base.get(DELIVERY)).isEqualTo("exactly-once");
        assertThat(failure(() -> base.with(Map.of("job.parallelism", "0"))))
                .contains("override: job.parallelism: '0' must be between 1 and 1024");
    }

    @Test
    void rawPropertiesRoundTrip() throws IOException {
        HearkenConfig config = LOADER.load(Optional.of(file("job.checkpoint.interval = 1.5s ", "sinks.anomaly.group.line-3=north")),
                Map.of("HEARKEN_INFERENCE_DEVICE", "cuda:1"), Map.of("job.parallelism", "4"));
        Map<String, String> raw = config.asProperties();
        assertThat(raw).containsExactly(Map.entry("inference.device", "cuda:1"), Map.entry("job.checkpoint.interval", "1.5s"),
                Map.entry("job.parallelism", "4"), Map.entry("sinks.anomaly.group.line-3", "north"));
        HearkenConfig remote = HearkenConfig.fromRaw(SampleSettings.ALL, raw);
        assertThat(remote.asProperties()).isEqualTo(raw);
        assertThat(remote.get(CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(1500));
        assertThat(remote.patterned(GROUP)).containsEntry("line-3", "north");
        assertThat(failure(() -> HearkenConfig.fromRaw(SampleSettings.ALL, Map.of("job.parallelism", "many"))))
                .contains("shipped settings: job.parallelism: 'many' is not an integer");
    }
}
