package io.hearken.cli;

import io.hearken.inference.engine.EngineSettings;
import io.hearken.sinks.alerts.AlertSettings;
import io.hearken.sinks.tags.TagSettings;
import io.hearken.platform.EmbeddedPlatform;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.ingest.FileIngester;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.ModelLocator;
import io.hearken.inference.engine.WindowTranslator;
import io.hearken.job.JobSettings;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.sinks.alerts.AlertRules;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.alerts.WebhookAlerter;
import io.hearken.sinks.tags.TagRules;
import io.hearken.sinks.tags.TagRulesConfig;
import io.hearken.inference.engine.Labels;
import io.hearken.config.HearkenConfig;
import io.hearken.ingest.IngestOptions;
import io.hearken.platform.PlatformSettings;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/hearken}: the command line of Hearken. */
@Command(name = "hearken", mixinStandardHelpOptions = true, version = "hearken 0.1.0",
        description = "Listens to many live audio streams and turns them into events.",
        subcommands = {HearkenCli.Demo.class, HearkenCli.Tag.class, BenchCommands.class, ModelsCommand.class,
                AnomalyCommands.Anomaly.class, AnomalyCommands.Eval.class, ConfigCommand.class})
public final class HearkenCli extends CommandGroup {
    static final int EXIT_OK = 0;
    static final int EXIT_INPUT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_ERROR = 3;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return withConventions(new CommandLine(new HearkenCli()), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
    }

    /**
     * The CLI's output streams and error convention on {@code cli} (the whole CLI or one command of it, in tests): a
     * {@link HearkenException} prints {@code error: <message>} and exits {@link #EXIT_USAGE} for CONFIG errors,
     * {@link #EXIT_ERROR} for the others; a bad argument (unknown option, a value that does not convert) prints
     * {@code error: <message>} and where to find the usage, and exits {@link #EXIT_USAGE}.
     */
    static CommandLine withConventions(CommandLine cli, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter to = command.getErr();
            to.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, to);
            to.println("(see " + command.getCommandSpec().qualifiedName() + " --help)");
            to.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof HearkenException he) {
                commandLine.getErr().println("error: " + he.getMessage());
                return he.kind() == ErrorKind.CONFIG ? EXIT_USAGE : EXIT_ERROR;
            }
            throw e;
        });
        return cli;
    }

    /**
     * The engine of an offline command: {@code inference.*} as configured, except that the intra-op threads are
     * {@code threads} when given (> 0), else every core unless configured (a file is tagged by one thread at a time).
     */
    static EngineSettings offlineEngine(HearkenConfig settings, int threads) {
        EngineSettings engine = EngineSettings.from(settings);
        int n = threads > 0 ? threads : settings.has(EngineSettings.INTRA_OP_THREADS) ? engine.intraOpThreads()
                : Runtime.getRuntime().availableProcessors();
        return new EngineSettings(n, engine.device());
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, description = "Start broker, registry, streaming job, sinks and ingest in this process; "
            + "publish audio files as streams and print the events.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--input", required = true, arity = "1..*", description = "Audio files or folders of them (WAV; FLAC, MP3, Ogg/Opus, AAC with ffmpeg).")
        List<Path> inputs;
        @Option(names = "--exit-when-done", description = "Exit once every input is processed and its events printed.")
        boolean exitWhenDone;
        @Option(names = "--json", description = "Print one JSON object per event.")
        boolean json;
        @Mixin
        ConfigOptions config = new ConfigOptions();
        @Option(names = "--model", description = "Model directory (model.dir; default: $HEARKEN_MODEL_DIR, then ../shared/models/efficientat-mn04).")
        Path model;
        @Option(names = "--timeout", defaultValue = "20m", converter = DurationConverter.class,
                description = "Give up after this long with --exit-when-done (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @Option(names = "--parallelism", defaultValue = "1", description = "Flink job parallelism (job.parallelism; default ${DEFAULT-VALUE}).")
        int parallelism;
        @Option(names = "--tag-rules", description = "JSON file of tag rules (sinks.tags.rules: thresholds, loudness gate, "
                + "groups, listen list, per-stream overrides); default: threshold 0.3, hold-off 1.5 s.")
        Path tagRules;
        @Option(names = "--alerts", description = "JSON file of webhook alert rules and endpoints (sinks.alerts.rules; see "
                + "README); matching events are POSTed as CloudEvents with retries, failures dead-lettered.")
        Path alerts;
        @Option(names = "--profile", description = "Stream profile of the inputs (ingest.profile): default "
                + "(2 s windows, 1 s hop) or machine (1 s / 0.5 s; monitored by the anomaly sink: each stream enrols "
                + "its first 60 s as normal, then anomalies raise events).")
        String profile;
        @Option(names = "--anomaly-settings", paramLabel = "FILE", description = "Properties file of sinks.anomaly.* "
                + "settings only (enrol.duration=5s, feature, k, consecutive, group.<stream>=<machine>, ...), read "
                + "above --config and HEARKEN_* variables, below --set.")
        Path anomalySettings;
        @Option(names = "--metrics-port", description = "Port or range for the job's Prometheus metrics endpoint, or "
                + "none (platform.metrics.port).")
        String metricsPort;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The named flags as settings; the job's, engine's and sinks' are read here until their groups are catalogued. */
        HearkenConfig settings(Map<String, String> environment) {
            return config.load(environment, new NamedFlags(spec)
                    .file("--anomaly-settings", anomalySettings, AnomalySettings.CONFIG.name() + ".")
                    .set("--model", EngineSettings.MODEL_DIR.key(), model)
                    .set("--parallelism", JobSettings.PARALLELISM.key(), parallelism)
                    .set("--tag-rules", TagSettings.RULES.key(), tagRules)
                    .set("--alerts", AlertSettings.RULES.key(), alerts)
                    .set("--profile", IngestOptions.PROFILE.key(), profile)
                    .set("--metrics-port", PlatformSettings.METRICS_PORT.key(), metricsPort));
        }

        @Override
        public Integer call() throws Exception {
            // Every setting is checked before anything starts.
            HearkenConfig settings = settings(System.getenv());
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            JobSettings job = JobSettings.from(settings);
            EmbeddedPlatform.SinkSettings sinks = EmbeddedPlatform.SinkSettings.from(settings);
            sinks.tags().rules().validateLabels(Labels.load(Path.of(job.modelDir()).resolve(ModelLocator.LABELS_FILE)).all());
            AlertSettings alertSettings = AlertSettings.from(settings); // bad rules fail before anything starts
            String streamProfile = settings.get(IngestOptions.PROFILE);
            if (!job.profiles().containsKey(streamProfile)) {
                throw HearkenException.config(IngestOptions.PROFILE.key() + ": unknown stream profile '" + streamProfile
                        + "' (known: " + job.profiles().keySet() + ")"
                        + settings.origin(IngestOptions.PROFILE.key()).map(o -> ", from " + o).orElse(""));
            }
            try (EmbeddedPlatform platform = EmbeddedPlatform.start(job, Optional.of(sinks), PlatformSettings.from(settings))) {
                // Ctrl-C: stop the job, sinks and broker cleanly and remove their temporary files.
                Thread cleanup = new Thread(platform::close, "hearken-shutdown");
                Runtime.getRuntime().addShutdownHook(cleanup);
                FileIngester.Report report;
                // Events of this run are alerted from the start of the topics (the platform is new each run).
                try (WebhookAlerter alerter = alertSettings.rules().isEmpty() ? null : WebhookAlerter.create(
                        platform.bootstrapServers(), platform.registryUrl(), alertSettings.rules().get(),
                        alertSettings.options().withAutoOffsetReset("earliest"))) {
                    if (alerter != null) {
                        alerter.start();
                    }
                    report = new DemoRun(platform, sinks, out, System.err).run(inputs, settings, json, exitWhenDone, timeout);
                }
                if (report.published().isEmpty() && report.failures().isEmpty()) {
                    System.err.println("error: no audio files found in " + inputs);
                    return EXIT_INPUT_FAILED;
                }
                return report.allSucceeded() ? EXIT_OK : EXIT_INPUT_FAILED;
            }
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag audio files offline (no Kafka) with the same front end and model.")
    static final class Tag implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "Audio files: WAV; FLAC, MP3, Ogg/Opus, AAC (m4a) with ffmpeg installed.")
        List<Path> files;
        @Option(names = "--whole", description = "Analyse the first " + WindowTranslator.WHOLE_SECONDS + " s of each file as one window.")
        boolean whole;
        @Option(names = "--json", description = "One JSON object per window.")
        boolean json;
        @Option(names = "--outputs", split = ",", description = "Model outputs to print with --json: logits, embedding, mid, late, hidden.")
        List<String> outputs = List.of();
        @Option(names = "--model", description = "Model directory (model.dir).")
        Path model;
        @Option(names = "--window", defaultValue = "2s", converter = DurationConverter.class,
                description = "Window length (default ${DEFAULT-VALUE}).")
        Duration window;
        @Option(names = "--hop", defaultValue = "1s", converter = DurationConverter.class,
                description = "Hop between windows (default ${DEFAULT-VALUE}).")
        Duration hop;
        @Mixin
        ConfigOptions config = new ConfigOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            HearkenConfig settings = config.load(new NamedFlags(spec).set("--model", EngineSettings.MODEL_DIR.key(), model));
            StreamProfile profile = new StreamProfile("cli", window, hop);
            int failures = 0;
            try (AudioTagger tagger = AudioTagger.load(ModelLocator.resolve(settings), offlineEngine(settings, 0))) {
                OfflineTagger offline = new OfflineTagger(tagger, profile, whole, json, outputs);
                for (Path file : files) {
                    try {
                        offline.tag(file, System.out);
                    } catch (HearkenException e) {
                        System.err.println("error: " + e.getMessage());
                        failures++;
                    }
                }
            }
            System.out.flush();
            return failures == 0 ? EXIT_OK : EXIT_INPUT_FAILED;
        }
    }

}
