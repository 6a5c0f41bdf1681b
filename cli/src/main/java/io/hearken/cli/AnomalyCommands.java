package io.hearken.cli;

import io.hearken.config.HearkenConfig;
import io.hearken.inference.engine.ModelLocator;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.schemas.AnomalyAction;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.EnrolmentWindow;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.KafkaSettings;
import io.hearken.schemas.topics.Topic;
import io.hearken.sinks.anomaly.AnomalyControlProducer;
import io.hearken.sinks.anomaly.AnomalyEvaluation;
import io.hearken.sinks.anomaly.AnomalyEvaluation.EvalResult;
import io.hearken.sinks.anomaly.AnomalyEvaluation.SegmentOutcome;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.anomaly.DistanceMetric;
import io.hearken.sinks.anomaly.EnrolmentVector;
import io.hearken.sinks.anomaly.EventTracker;
import io.hearken.sinks.anomaly.ScorerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Anomaly detection from the command line: option parsing and printing over the engine ({@link FileFeatures}) and
 * the sink's method ({@link AnomalyEvaluation}, {@link AnomalyControlProducer}).
 * <ul>
 *   <li>{@code bin/hearken eval anomaly --normal FILE... [--split-normal F] [--test-normal FILE...] --test-anomaly FILE...}:
 *       the sink's scorer offline (no Kafka) on features computed exactly as the streaming job computes them;
 *       prints {@code AUC <value> pAUC <value>} (window level, p = 0.1) and the event-level outcome.</li>
 *   <li>{@code bin/hearken anomaly enrol --stream ID FILE... [--finish]}, {@code anomaly finish --stream ID},
 *       {@code anomaly reset --stream ID}: control records on {@code hearken.control.anomaly} for the running sink.</li>
 * </ul>
 * A file that cannot be read is named on standard error and the others are still used (exit code 1).
 * Register {@link Anomaly} and {@link Eval} as subcommands of {@link HearkenCli}.
 */
public final class AnomalyCommands {
    /** Vectors per ENROL record: 200 x 256 floats stays far below Kafka's 1 MB default record limit. */
    static final int DEFAULT_BATCH = 200;

    private AnomalyCommands() {
    }

    /** Prints the reading errors, one line each; whether there were none. */
    private static boolean report(List<String> errors, PrintWriter err) {
        errors.forEach(e -> err.println("error: " + e));
        err.flush();
        return errors.isEmpty();
    }

    static void print(EvalResult r, ScorerConfig config, int consecutive, boolean scores, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "AUC %.4f pAUC %.4f", r.auc(), r.pauc()));
        double[] enrolScores = r.scorer().enrolmentScores();
        out.println(String.format(Locale.ROOT,
                "threshold %.4f = quantile %.2f of %d enrolment scores (bank %d vectors, k %d, %s, neighbours within %s left out)",
                r.scorer().threshold(), config.quantile(), enrolScores.length, r.enrolled(), config.k(),
                config.metric().name().toLowerCase(Locale.ROOT), humanDuration(config.neighbourGap())));
        if (scores) {
            out.println("enrolment scores " + rounded(enrolScores));
            for (SegmentOutcome s : r.segments()) {
                out.println("scores " + s.name() + " " + rounded(s.scores()));
            }
        }
        for (SegmentOutcome s : r.segments()) {
            String verdict = s.raised()
                    ? String.format(Locale.ROOT, "EVENT (%d, first onset at %.2f s)", s.onsets().size(),
                    s.onsets().get(0).onsetMicros() / 1e6)
                    : "quiet";
            out.println(String.format(Locale.ROOT, "%-7s %s: %d windows, %d over threshold, max score %.4f -> %s",
                    s.anomalous() ? "anomaly" : "normal", s.name(), s.scores().length, s.over(),
                    Arrays.stream(s.scores()).max().orElse(Double.NaN), verdict));
        }
        out.println(String.format(Locale.ROOT,
                "events (%d consecutive windows over threshold): anomalous segments raising an event %d/%d, "
                        + "normal segments quiet %d/%d",
                consecutive, r.anomalousRaised(), r.anomalousCount(), r.normalQuiet(), r.normalCount()));
        out.flush();
    }

    private static String rounded(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", values[i]));
        }
        return sb.append(']').toString();
    }

    private static String humanDuration(Duration d) {
        return String.format(Locale.ROOT, "%.3g s", d.toNanos() / 1e9);
    }

    /** {@code bin/hearken eval ...}: offline evaluations. */
    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Offline evaluations.",
            subcommands = {EvalAnomaly.class})
    public static final class Eval extends CommandGroup {
    }

    /** Options shared by the commands that compute features. */
    static final class FeatureOptions {
        @Option(names = "--model", description = "Model directory (model.dir; default: $HEARKEN_MODEL_DIR, then ../shared/models/efficientat-mn04).")
        Path model;
        @Option(names = "--feature", description = "Model output scored (default ${DEFAULT-VALUE}).")
        String feature = AnomalySettings.defaults().featureName();
        @Option(names = "--window", defaultValue = "1s", converter = DurationConverter.class,
                description = "Window length, as the stream's profile (default ${DEFAULT-VALUE}).")
        Duration window;
        @Option(names = "--hop", defaultValue = "0.5s", converter = DurationConverter.class,
                description = "Hop between windows (default ${DEFAULT-VALUE}).")
        Duration hop;
        @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (default: all cores).")
        int threads;

        AudioTagger load(HearkenConfig settings) {
            return AudioTagger.load(ModelLocator.resolve(settings), HearkenCli.offlineEngine(settings, threads));
        }

        StreamProfile profile() {
            return new StreamProfile("cli", window, hop);
        }
    }

    @Command(name = "anomaly", mixinStandardHelpOptions = true,
            description = "Window-level AUC/pAUC and event-level outcome of the anomaly scorer on files, with the "
                    + "features the streaming job computes (no Kafka).")
    static final class EvalAnomaly implements Callable<Integer> {
        @Option(names = "--normal", required = true, arity = "1..*", description = "Normal recordings to enrol on (WAV; FLAC, MP3, Ogg/Opus, AAC with ffmpeg).")
        List<Path> normal;
        @Option(names = "--split-normal", description = "Enrol on the first F (0 < F < 1) of each normal file and test on the rest.")
        Double splitNormal;
        @Option(names = "--test-normal", arity = "1..*", description = "More normal test files.")
        List<Path> testNormal = List.of();
        @Option(names = "--test-anomaly", required = true, arity = "1..*", description = "Anomalous test files.")
        List<Path> testAnomaly;
        @CommandLine.Mixin
        FeatureOptions features = new FeatureOptions();
        @Option(names = "--k", description = "Nearest enrolment vectors averaged (default ${DEFAULT-VALUE}).")
        int k = ScorerConfig.defaults().k();
        @Option(names = "--metric", description = "euclidean or cosine, after standardisation (default ${DEFAULT-VALUE}).")
        String metric = AnomalySettings.METRIC.defaultText().orElseThrow();
        @Option(names = "--quantile", description = "Threshold quantile of the enrolment scores (default ${DEFAULT-VALUE}).")
        double quantile = ScorerConfig.defaults().quantile();
        @Option(names = "--neighbour-gap", converter = DurationConverter.class, description = "Enrolment windows of one file closer than this are left out of each other's scores (default ${DEFAULT-VALUE}).")
        Duration neighbourGap = ScorerConfig.defaults().neighbourGap();
        @Option(names = "--bank-cap", description = "Most enrolment vectors kept (default ${DEFAULT-VALUE}).")
        int bankCap = ScorerConfig.defaults().bankCap();
        @Option(names = "--consecutive", description = "Windows over threshold in a row that raise an event (default ${DEFAULT-VALUE}).")
        int consecutive = AnomalySettings.defaults().consecutive();
        @Option(names = "--hold-off", converter = DurationConverter.class, description = "Time below threshold that closes an event (default ${DEFAULT-VALUE}).")
        Duration holdOff = AnomalySettings.defaults().holdOff();
        @Option(names = "--scores", description = "Also print every window's score.")
        boolean printScores;
        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            HearkenConfig settings = config.load(new NamedFlags(spec).set("--model", EngineSettings.MODEL_DIR.key(), features.model));
            if (splitNormal != null && !(splitNormal > 0 && splitNormal < 1)) {
                throw HearkenException.config("--split-normal must be in (0, 1), got " + splitNormal);
            }
            ScorerConfig config = new ScorerConfig(k, DistanceMetric.parse(metric), quantile, neighbourGap, bankCap,
                    ScorerConfig.defaults().seed());
            EventTracker tracker = new EventTracker(consecutive, holdOff);
            PrintWriter err = spec.commandLine().getErr();
            FileFeatures.Reading normals;
            FileFeatures.Reading normalTests;
            FileFeatures.Reading anomalies;
            try (AudioTagger tagger = features.load(settings)) {
                FileFeatures fileFeatures = new FileFeatures(tagger, features.profile(), features.feature);
                normals = fileFeatures.readAll(normal);
                normalTests = fileFeatures.readAll(testNormal);
                anomalies = fileFeatures.readAll(testAnomaly);
            }
            List<String> errors = new ArrayList<>(normals.errors());
            errors.addAll(normalTests.errors());
            errors.addAll(anomalies.errors());
            boolean allRead = report(errors, err);
            if (!allRead && (normals.recordings().isEmpty() || anomalies.recordings().isEmpty())) {
                err.println("error: nothing to evaluate without " + (normals.recordings().isEmpty()
                        ? "normal recordings to enrol on" : "anomalous test recordings"));
                return HearkenCli.EXIT_INPUT_FAILED;
            }
            EvalResult result = AnomalyEvaluation.evaluate(normals.recordings(),
                    splitNormal == null ? OptionalDouble.empty() : OptionalDouble.of(splitNormal),
                    normalTests.recordings(), anomalies.recordings(), config, tracker);
            print(result, config, consecutive, printScores, spec.commandLine().getOut());
            return allRead ? HearkenCli.EXIT_OK : HearkenCli.EXIT_INPUT_FAILED;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Control records for the running sink.

    /** {@code bin/hearken anomaly ...}: commands to the running anomaly sink. */
    @Command(name = "anomaly", mixinStandardHelpOptions = true,
            description = "Commands to the running anomaly sink (records on hearken.control.anomaly).",
            subcommands = {Enrol.class, Finish.class, Reset.class})
    public static final class Anomaly extends CommandGroup {
    }

    /** Where control records go, and which stream or group they address. */
    static final class Target {
        @Option(names = "--stream", required = true, description = "Stream id (the sink maps it to its machine group).")
        String stream;
        @Option(names = "--group", description = "Address this machine group instead of the stream's group.")
        String group;
        @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka (kafka.bootstrap.servers; default ${DEFAULT-VALUE}).")
        String bootstrapServers;
        @Option(names = "--registry-url", defaultValue = "http://localhost:8081", description = "Schema Registry (schema.registry.url; default ${DEFAULT-VALUE}).")
        String registryUrl;
        @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
                description = "Give up publishing after this long (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        /**
         * The settings from --config, HEARKEN_* and --set with this command's flags on top; the Kafka connection comes
         * from them, and from the flags' defaults where nothing sets it.
         */
        HearkenConfig loadSettings(CommandLine.Model.CommandSpec command, Path model) {
            HearkenConfig settings = config.load(new NamedFlags(command)
                    .set("--bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers)
                    .set("--registry-url", KafkaSettings.REGISTRY_URL.key(), registryUrl)
                    .set("--model", EngineSettings.MODEL_DIR.key(), model));
            bootstrapServers = settings.find(KafkaSettings.BOOTSTRAP_SERVERS).orElse(bootstrapServers);
            registryUrl = settings.find(KafkaSettings.REGISTRY_URL).orElse(registryUrl);
            return settings;
        }

        void publish(List<AnomalyControl> records, PrintWriter out) {
            Topic<String, AnomalyControl> topic = new HearkenTopics(RegistryClients.create(registryUrl)).anomalyControl;
            try (AnomalyControlProducer producer = AnomalyControlProducer.create(bootstrapServers, topic, timeout)) {
                producer.publish(records);
            }
            out.println("published " + records.size() + " control record(s) to " + topic.name() + " for stream "
                    + stream + (group != null ? " (group " + group + ")" : ""));
            out.flush();
        }
    }

    static AnomalyControl control(String stream, String group, AnomalyAction action, String feature, String modelId,
                                  List<EnrolmentWindow> vectors) {
        long nowMicros = System.currentTimeMillis() * 1000;
        return AnomalyControl.newBuilder()
                .setControlId(UUID.randomUUID().toString())
                .setStreamId(stream)
                .setGroup(group)
                .setAction(action)
                .setFeatureName(feature)
                .setModelId(modelId)
                .setVectors(vectors)
                .setIssuedAtMicros(nowMicros)
                .build();
    }

    /** ENROL records of at most {@code batch} vectors each, then FINISH_ENROLMENT when {@code finish}. */
    static List<AnomalyControl> enrolRecords(String stream, String group, String feature, String modelId,
                                             List<EnrolmentVector> vectors, int batch, boolean finish) {
        List<AnomalyControl> records = new ArrayList<>();
        for (int from = 0; from < vectors.size(); from += batch) {
            List<EnrolmentWindow> windows = new ArrayList<>();
            for (EnrolmentVector v : vectors.subList(from, Math.min(vectors.size(), from + batch))) {
                List<Float> values = new ArrayList<>(v.values().length);
                for (float x : v.values()) {
                    values.add(x);
                }
                windows.add(new EnrolmentWindow(v.segment(), v.startMicros(), v.endMicros(), values));
            }
            records.add(control(stream, group, AnomalyAction.ENROL, feature, modelId, windows));
        }
        if (finish) {
            records.add(control(stream, group, AnomalyAction.FINISH_ENROLMENT, feature, modelId, List.of()));
        }
        return records;
    }

    @Command(name = "enrol", mixinStandardHelpOptions = true,
            description = "Compute the feature vectors of normal recordings (as the streaming job would) and add "
                    + "them to a stream's enrolment bank; a group already monitoring is refitted.")
    static final class Enrol implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "Normal recordings of the machine (WAV; FLAC, MP3, Ogg/Opus, AAC with ffmpeg).")
        List<Path> files;
        @CommandLine.Mixin
        Target target = new Target();
        @CommandLine.Mixin
        FeatureOptions features = new FeatureOptions();
        @Option(names = "--finish", description = "End enrolment after these files: fit the threshold and start monitoring.")
        boolean finish;
        @Option(names = "--batch", defaultValue = "" + DEFAULT_BATCH, description = "Vectors per control record (default ${DEFAULT-VALUE}).")
        int batch;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            HearkenConfig settings = target.loadSettings(spec, features.model);
            if (batch < 1) {
                throw HearkenException.config("--batch must be >= 1, got " + batch);
            }
            List<EnrolmentVector> vectors = new ArrayList<>();
            String modelId;
            FileFeatures.Reading reading;
            try (AudioTagger tagger = features.load(settings)) {
                FileFeatures fileFeatures = new FileFeatures(tagger, features.profile(), features.feature);
                modelId = fileFeatures.modelId();
                reading = fileFeatures.readAll(files);
            }
            boolean allRead = report(reading.errors(), spec.commandLine().getErr());
            if (reading.recordings().isEmpty()) {
                return HearkenCli.EXIT_INPUT_FAILED; // every file failed: nothing to publish
            }
            for (AnomalyEvaluation.Recording recording : reading.recordings()) {
                // Each file is its own segment: windows of different files are never temporal neighbours.
                for (EnrolmentVector w : recording.windows()) {
                    vectors.add(new EnrolmentVector("file:" + recording.name(), w.startMicros(), w.endMicros(),
                            w.values()));
                }
            }
            target.publish(enrolRecords(target.stream, target.group, features.feature, modelId, vectors, batch, finish),
                    spec.commandLine().getOut());
            spec.commandLine().getOut().println(vectors.size() + " enrolment vectors from " + reading.recordings().size()
                    + " file(s)" + (finish ? "; enrolment finished" : ""));
            spec.commandLine().getOut().flush();
            return allRead ? HearkenCli.EXIT_OK : HearkenCli.EXIT_INPUT_FAILED;
        }
    }

    @Command(name = "finish", mixinStandardHelpOptions = true,
            description = "End a stream's enrolment now: fit the threshold on its bank and start monitoring.")
    static final class Finish implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            target.loadSettings(spec, null);
            target.publish(List.of(control(target.stream, target.group, AnomalyAction.FINISH_ENROLMENT,
                    AnomalySettings.defaults().featureName(), "", List.of())), spec.commandLine().getOut());
            return HearkenCli.EXIT_OK;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Forget a stream's (or its group's) enrolment bank and threshold, close its open anomaly "
                    + "events, and enrol again from the next window.")
    static final class Reset implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            target.loadSettings(spec, null);
            target.publish(List.of(control(target.stream, target.group, AnomalyAction.RESET,
                    AnomalySettings.defaults().featureName(), "", List.of())), spec.commandLine().getOut());
            return HearkenCli.EXIT_OK;
        }
    }
}
