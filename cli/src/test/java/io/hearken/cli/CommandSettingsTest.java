package io.hearken.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Origin;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.ingest.IngestOptions;
import io.hearken.job.JobSettings;
import io.hearken.platform.PlatformSettings;
import io.hearken.platform.PortRange;
import io.hearken.sinks.anomaly.AnomalySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** How commands turn --config, HEARKEN_* variables, --set and their own flags into settings. */
class CommandSettingsTest {
    /** The commands that take --config and --set. */
    private static final List<List<String>> CONFIGURED = List.of(List.of("demo"), List.of("tag"), List.of("bench", "stream"),
            List.of("bench", "inference"), List.of("anomaly", "enrol"), List.of("anomaly", "finish"),
            List.of("anomaly", "reset"), List.of("eval", "anomaly"));

    @TempDir
    Path dir;

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new HearkenCli()).parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return type.cast(parsed.commandSpec().userObject());
    }

    @Test
    void demoLayersFileEnvironmentSetAndFlags() throws Exception {
        Path file = Files.writeString(dir.resolve("hearken.properties"),
                "ingest.profile=machine\nplatform.partitions=2\nplatform.kafka.port=1\nplatform.registry.port=18081\n");
        Path anomaly = Files.writeString(dir.resolve("anomaly.properties"), "sinks.anomaly.enrol.duration=5s\n");
        HearkenCli.Demo demo = parse(HearkenCli.Demo.class, "demo", "--input", "a.wav", "--config", file.toString(),
                "--set", "platform.partitions=3", "--set", "ingest.chunk.duration=250ms", "--profile", "default",
                "--metrics-port", "none", "--parallelism", "2", "--anomaly-settings", anomaly.toString());

        HearkenConfig config = demo.settings(Map.of("HEARKEN_PLATFORM_KAFKA_PORT", "19092", "HEARKEN_PLATFORM_PARTITIONS", "5",
                "HEARKEN_HOME", "/opt/hearken"));

        assertThat(config.get(IngestOptions.PROFILE)).isEqualTo("default");
        assertThat(config.origin("ingest.profile")).contains(Origin.flag("--profile"));
        assertThat(config.get(IngestOptions.CHUNK_DURATION)).isEqualTo(Duration.ofMillis(250));
        PlatformSettings platform = PlatformSettings.from(config);
        assertThat(platform).isEqualTo(new PlatformSettings(3, 19092, 18081, Optional.empty(), Optional.empty()));
        assertThat(config.origin("platform.partitions")).contains(Origin.SET_FLAG);
        assertThat(config.origin("platform.kafka.port")).contains(Origin.environment("HEARKEN_PLATFORM_KAFKA_PORT"));
        assertThat(config.origin("platform.registry.port")).contains(Origin.file(file, 4));
        assertThat(config.origin("platform.metrics.port")).contains(Origin.flag("--metrics-port"));
        assertThat(JobSettings.from(config).parallelism()).isEqualTo(2);
        assertThat(config.origin(JobSettings.PARALLELISM.key())).contains(Origin.flag("--parallelism"));
        assertThat(AnomalySettings.from(config).enrolDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.origin(AnomalySettings.ENROL_DURATION.key())).contains(Origin.file(anomaly, 1));
    }

    @Test
    void leftOutFlagsLeaveTheKeyToTheOtherSources() throws Exception {
        Path file = Files.writeString(dir.resolve("hearken.properties"), "ingest.profile=machine\nplatform.metrics.port=9400-9410\n");
        HearkenConfig demo = parse(HearkenCli.Demo.class, "demo", "--input", "a.wav", "--config", file.toString())
                .settings(Map.of());
        assertThat(demo.get(IngestOptions.PROFILE)).isEqualTo("machine");
        assertThat(PlatformSettings.from(demo).metricsPorts()).contains(new PortRange(9400, 9410));
        // A flag left out leaves its key to --set, the environment and the file: demo's job, then the bench's.
        HearkenConfig set = parse(HearkenCli.Demo.class, "demo", "--input", "a.wav", "--set", "job.parallelism=3")
                .settings(Map.of("HEARKEN_INFERENCE_DEVICE", "auto"));
        assertThat(JobSettings.from(set).parallelism()).isEqualTo(3);
        assertThat(JobSettings.from(set).engine().device()).isEqualTo(InferenceDevice.AUTO);

        // The bench keeps its own chunk length and runs without metrics unless they are set.
        StreamBenchCommand bench = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d");
        HearkenConfig defaults = bench.settings(Map.of());
        assertThat(StreamBenchCommand.chunk(defaults)).isEqualTo(Duration.ofMillis(250));
        assertThat(StreamBenchCommand.platform(defaults).metricsPorts()).isEmpty();
        HearkenConfig configured = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d",
                "--set", "ingest.chunk.duration=0.5s", "--set", "platform.metrics.port=9300").settings(Map.of());
        assertThat(StreamBenchCommand.chunk(configured)).isEqualTo(Duration.ofMillis(500));
        assertThat(StreamBenchCommand.platform(configured).metricsPorts()).contains(new PortRange(9300, 9300));
        HearkenConfig flagged = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d", "--chunk-ms", "100",
                "--set", "ingest.chunk.duration=0.5s").settings(Map.of());
        assertThat(StreamBenchCommand.chunk(flagged)).isEqualTo(Duration.ofMillis(100));
        assertThat(flagged.origin("ingest.chunk.duration")).contains(Origin.flag("--chunk-ms"));
    }

    @Test
    void badSettingsFromAnySourceAreOneConfigErrorNamingTheirOrigin() {
        HearkenCli.Demo demo = parse(HearkenCli.Demo.class, "demo", "--input", "a.wav", "--set", "platform.partitons=3",
                "--metrics-port", "80-70");
        HearkenException e = catchThrowableOfType(() -> demo.settings(Map.of("HEARKEN_INGEST_MAX_CHUNK_BYTES", "big")),
                HearkenException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage().lines()).containsExactly("invalid configuration (3 problems):",
                "  environment HEARKEN_INGEST_MAX_CHUNK_BYTES: ingest.max.chunk.bytes: 'big' is not an integer (allowed: at least 1024)",
                "  flag --set: unknown setting 'platform.partitons' (did you mean 'platform.partitions'?)",
                "  flag --metrics-port: platform.metrics.port: '80-70' is an empty range (allowed: a port, a range such as 9249-9299, or none)");
    }

    @Test
    void configErrorsExitTwoBeforeAnythingStarts() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = HearkenCli.withConventions(new CommandLine(new HearkenCli()), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(cli.execute("demo", "--input", "a.wav", "--set", "platform.partitions=0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: invalid configuration (1 problem):\n"
                + "  flag --set: platform.partitions: '0' must be between 1 and 256\n");

        err.getBuffer().setLength(0);
        assertThat(cli.execute("demo", "--input", "a.wav", "--set", "platform.partitions")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: --set expects KEY=VALUE, got 'platform.partitions'\n");

        err.getBuffer().setLength(0);
        Path anomaly = Files.writeString(dir.resolve("anomaly.properties"), "sinks.anomaly.k=2\ningest.profile=machine\n");
        assertThat(cli.execute("demo", "--input", "a.wav", "--anomaly-settings", anomaly.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: --anomaly-settings " + anomaly + ":2: 'ingest.profile' is not a "
                + "sinks.anomaly.* setting; give it with --config or --set\n");

        err.getBuffer().setLength(0);
        assertThat(cli.execute("tag", "--window", "soon", "a.wav")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Invalid value for option '--window': 'soon' is not a duration ("
                + "e.g. 500ms, 2s, 1.5s, 10m, 1h, 250us, 0 or ISO-8601 PT2S)\n").contains("(see hearken tag --help)");
    }

    @Test
    void durationOptionsTakeTheOneSyntaxAndIso() {
        HearkenCli.Tag tag = parse(HearkenCli.Tag.class, "tag", "--window", "1.5s", "--hop", "PT0.5S", "a.wav");
        assertThat(tag.window).isEqualTo(Duration.ofMillis(1500));
        assertThat(tag.hop).isEqualTo(Duration.ofMillis(500));
        assertThat(parse(HearkenCli.Demo.class, "demo", "--input", "a.wav").timeout).isEqualTo(Duration.ofMinutes(20));

        List<String> unconverted = new ArrayList<>();
        forEachCommand(new CommandLine(new HearkenCli()).getCommandSpec(), spec -> {
            for (OptionSpec option : spec.options()) {
                boolean converted = option.converters() != null && option.converters().length == 1
                        && option.converters()[0] instanceof DurationConverter;
                if (option.type() == Duration.class && !converted) {
                    unconverted.add(spec.qualifiedName() + " " + option.longestName());
                }
            }
        });
        assertThat(unconverted).as("Duration options without converter = DurationConverter.class").isEmpty();
    }

    @Test
    void everyConfiguredCommandTakesConfigAndSet() {
        CommandLine root = new CommandLine(new HearkenCli());
        for (List<String> path : CONFIGURED) {
            CommandLine command = root;
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            assertThat(command.getCommandSpec().findOption("--config")).as("%s --config", path).isNotNull();
            assertThat(command.getCommandSpec().findOption("--set")).as("%s --set", path).isNotNull();
        }
    }

    @Test
    void theBenchRunsTheJobAtParallelismTwoUnlessTold() {
        StreamBenchCommand bench = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d");
        assertThat(bench.jobSettings(bench.settings(Map.of())).parallelism()).isEqualTo(2);
        StreamBenchCommand set = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d", "--set", "job.parallelism=1");
        assertThat(set.jobSettings(set.settings(Map.of())).parallelism()).isEqualTo(1);
        StreamBenchCommand flagged = parse(StreamBenchCommand.class, "bench", "stream", "--input", "d", "--parallelism", "3",
                "--inference-capacity", "8", "--checkpoint-ms", "500");
        JobSettings job = flagged.jobSettings(flagged.settings(Map.of()));
        assertThat(job.parallelism()).isEqualTo(3);
        assertThat(job.inFlightWindows()).isEqualTo(8);
        assertThat(job.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
    }

    private static void forEachCommand(CommandSpec spec, java.util.function.Consumer<CommandSpec> action) {
        action.accept(spec);
        spec.subcommands().values().forEach(sub -> forEachCommand(sub.getCommandSpec(), action));
    }
}
