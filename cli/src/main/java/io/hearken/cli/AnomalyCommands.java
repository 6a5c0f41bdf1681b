package io.hearken.cli;

import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.LogMelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.WindowAnalyzer;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.inference.engine.WindowPlan;
import io.hearken.schemas.AnomalyAction;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.EnrolmentWindow;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.Topic;
import io.hearken.sinks.anomaly.AnomalyScorer;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.anomaly.DistanceMetric;
import io.hearken.sinks.anomaly.EnrolmentVector;
import io.hearken.sinks.anomaly.EventTracker;
import io.hearken.sinks.anomaly.ReservoirBank;
import io.hearken.sinks.anomaly.RocMetrics;
import io.hearken.sinks.anomaly.ScorerConfig;
import io.hearken.sinks.anomaly.TrackerState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Anomaly detection from the command line.
 * <ul>
 *   <li>{@code bin/hearken eval anomaly --normal FILE... [--split-normal F] [--test-normal FILE...] --test-anomaly FILE...}:
 *       the sink's scorer offline (no Kafka) on features computed exactly as the streaming job computes them;
 *       prints {@code AUC <value> pAUC <value>} (window level, p = 0.1) and the event-level outcome.</li>
 *   <li>{@code bin/hearken anomaly enrol --stream ID FILE... [--finish]}, {@code anomaly finish --stream ID},
 *       {@code anomaly reset --stream ID}: control records on {@code hearken.control.anomaly} for the running sink.</li>
 * </ul>
 * Register {@link Anomaly} and {@link Eval} as subcommands of {@link HearkenCli}.
 */
public final class AnomalyCommands {
    /** Vectors per ENROL record: 200 x 256 floats stays far below Kafka's 1 MB default record limit. */
    static final int DEFAULT_BATCH = 200;

    private AnomalyCommands() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Feature extraction, exactly as the streaming job does it.

    /**
     * Feature vectors per window with the job's decoder, resampler, front end, window rule and model: the whole
     * signal resampled to the model rate, its log-mel computed once and cut into windows of frames by
     * {@link WindowPlan} (see {@link OfflineTagger}).
     */
    static final class FeatureExtractor {
        private static final int BATCH = 16;
        private final WindowAnalyzer analyzer;
        private final StreamProfile profile;
        private final String feature;

        FeatureExtractor(AudioTagger tagger, StreamProfile profile, String feature) {
            if (!tagger.featureOutputs().contains(feature)) {
                throw HearkenException.config("unknown feature '" + feature + "': the model has " + tagger.featureOutputs());
            }
            this.analyzer = new WindowAnalyzer(tagger);
            this.profile = profile;
            this.feature = feature;
        }

        String modelId() {
            return analyzer.tagger().modelId();
        }

        static DecodedAudio decode(Path file) {
            return WavDecoder.decode(file);
        }

        /** The windows of a whole recording as one stream would give them; times from its start. */
        List<EnrolmentVector> windows(DecodedAudio audio, String segment) {
            int modelRate = analyzer.sampleRate();
            float[] samples = Resampler.resampleWhole(audio.mono(), audio.sampleRate(), modelRate);
            if (samples.length == 0) {
                return List.of();
            }
            LogMelFrontend frontend = analyzer.frontend();
            int hopSamples = analyzer.tagger().manifest().frontend().toConfig().hop();
            int total = frontend.framesFor(samples.length);
            float[] mel = frontend.compute(samples, 0, samples.length);
            int bins = frontend.melBins();
            List<WindowPlan.Span> spans = WindowPlan.spans(total, profile.windowSamples(modelRate) / hopSamples,
                    profile.hopSamples(modelRate) / hopSamples);
            List<EnrolmentVector> out = new ArrayList<>(spans.size());
            for (int i = 0; i < spans.size(); ) {
                int frames = (int) (spans.get(i).end() - spans.get(i).start());
                List<float[]> batch = new ArrayList<>();
                List<WindowPlan.Span> batchSpans = new ArrayList<>();
                while (i < spans.size() && batch.size() < BATCH
                        && spans.get(i).end() - spans.get(i).start() == frames) {
                    WindowPlan.Span span = spans.get(i++);
                    float[] window = new float[bins * frames];
                    for (int b = 0; b < bins; b++) {
                        System.arraycopy(mel, b * total + (int) span.start(), window, b * frames, frames);
                    }
                    batch.add(window);
                    batchSpans.add(span);
                }
                List<Prediction> predictions = analyzer.tagger().predictBatch(batch, frames);
                for (int b = 0; b < batch.size(); b++) {
                    WindowPlan.Span span = batchSpans.get(b);
                    long start = span.start() * hopSamples * 1_000_000L / modelRate;
                    long end = Math.min(span.end() * hopSamples, samples.length) * 1_000_000L / modelRate;
                    out.add(new EnrolmentVector(segment, start, end, predictions.get(b).feature(feature).clone()));
                }
            }
            return out;
        }

        /** All windows of a file, one segment named after it. */
        List<EnrolmentVector> file(Path file) {
            return windows(decode(file), file.getFileName().toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Offline evaluation.

    /** A continuous piece of test audio and its windows. */
    record Segment(String name, List<EnrolmentVector> windows) {
    }

    /** How one test segment fared: its windows' scores, how many were over threshold, and the events raised. */
    record SegmentOutcome(String name, boolean anomalous, double[] scores, int over, List<EventTracker.Emission> onsets) {
        boolean raised() {
            return !onsets.isEmpty();
        }
    }

    /**
     * @param auc  window-level AUC (NaN without normal or anomalous test windows)
     * @param pauc window-level pAUC, p = 0.1
     */
    record EvalResult(double auc, double pauc, AnomalyScorer scorer, int enrolled, List<SegmentOutcome> segments) {
        long anomalousRaised() {
            return segments.stream().filter(s -> s.anomalous() && s.raised()).count();
        }

        long anomalousCount() {
            return segments.stream().filter(SegmentOutcome::anomalous).count();
        }

        long normalQuiet() {
            return segments.stream().filter(s -> !s.anomalous() && !s.raised()).count();
        }

        long normalCount() {
            return segments.stream().filter(s -> !s.anomalous()).count();
        }
    }

    /** Enrols (bounded bank, as the sink), scores every test window and runs the event lifecycle per segment. */
    static EvalResult evaluate(List<EnrolmentVector> enrolment, List<Segment> testNormal, List<Segment> testAnomalous,
                               ScorerConfig config, EventTracker tracker) {
        ReservoirBank bank = new ReservoirBank(config.bankCap(), config.seed());
        bank.offerAll(enrolment);
        AnomalyScorer scorer = AnomalyScorer.fit(bank.entries(), config);
        List<SegmentOutcome> outcomes = new ArrayList<>();
        List<Double> normalScores = new ArrayList<>();
        List<Double> anomalousScores = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            boolean anomalous = pass == 1;
            for (Segment segment : anomalous ? testAnomalous : testNormal) {
                TrackerState state = new TrackerState();
                double[] scores = new double[segment.windows().size()];
                int over = 0;
                List<EventTracker.Emission> onsets = new ArrayList<>();
                for (int i = 0; i < scores.length; i++) {
                    EnrolmentVector w = segment.windows().get(i);
                    scores[i] = scorer.score(w.values());
                    boolean isOver = scorer.isAnomalous(scores[i]);
                    over += isOver ? 1 : 0;
                    (anomalous ? anomalousScores : normalScores).add(scores[i]);
                    for (EventTracker.Emission e : tracker.step(state, segment.name() + "#" + i, w.startMicros(),
                            w.endMicros(), scores[i], isOver, i == scores.length - 1)) {
                        if (e.kind() == EventKind.ONSET) {
                            onsets.add(e);
                        }
                    }
                }
                outcomes.add(new SegmentOutcome(segment.name(), anomalous, scores, over, onsets));
            }
        }
        double auc = Double.NaN;
        double pauc = Double.NaN;
        if (!normalScores.isEmpty() && !anomalousScores.isEmpty()) {
            double[] n = normalScores.stream().mapToDouble(Double::doubleValue).toArray();
            double[] a = anomalousScores.stream().mapToDouble(Double::doubleValue).toArray();
            auc = RocMetrics.auc(n, a);
            pauc = RocMetrics.pauc(n, a);
        }
        return new EvalResult(auc, pauc, scorer, bank.size(), outcomes);
    }

    /**
     * Features of the files, then {@link #evaluate}. With {@code splitNormal} F each normal file is treated as one
     * live stream enrolled on its first F: its windows ending by that point are enrolled, the later ones (from the
     * first one that ends after it, which straddles the cut) are normal test windows, exactly as the sink splits a
     * stream with {@code sinks.anomaly.enrol.duration.ms}. Without it the normal files are all enrolled.
     */
    static EvalResult evaluateFiles(FeatureExtractor extractor, List<Path> normal, Double splitNormal,
                                    List<Path> testNormal, List<Path> testAnomaly, ScorerConfig config,
                                    EventTracker tracker) {
        List<EnrolmentVector> enrolment = new ArrayList<>();
        List<Segment> normalTests = new ArrayList<>();
        for (Path file : normal) {
            String name = file.getFileName().toString();
            if (splitNormal == null) {
                enrolment.addAll(extractor.file(file));
                continue;
            }
            DecodedAudio audio = FeatureExtractor.decode(file);
            long cutMicros = (long) Math.floor(splitNormal * audio.frames()) * 1_000_000L / audio.sampleRate();
            List<EnrolmentVector> rest = new ArrayList<>();
            for (EnrolmentVector w : extractor.windows(audio, name)) {
                (w.endMicros() <= cutMicros ? enrolment : rest).add(w);
            }
            normalTests.add(new Segment(String.format(Locale.ROOT, "%s[%.0f-100%%]", name, splitNormal * 100), rest));
        }
        for (Path file : testNormal) {
            normalTests.add(new Segment(file.getFileName().toString(), extractor.file(file)));
        }
        List<Segment> anomalyTests = new ArrayList<>();
        for (Path file : testAnomaly) {
            anomalyTests.add(new Segment(file.getFileName().toString(), extractor.file(file)));
        }
        if (enrolment.isEmpty()) {
            throw HearkenException.badInput("no enrolment windows in " + normal);
        }
        try {
            return evaluate(enrolment, normalTests, anomalyTests, config, tracker);
        } catch (IllegalArgumentException e) {
            throw HearkenException.badInput("cannot fit the scorer on " + normal + ": " + e.getMessage());
        }
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

        AudioTagger load() {
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            return AudioTagger.load(HearkenCli.modelDir(model), n);
        }

        StreamProfile profile() {
            return new StreamProfile("cli", window, hop);
        }
    }

    @Command(name = "anomaly", mixinStandardHelpOptions = true,
            description = "Window-level AUC/pAUC and event-level outcome of the anomaly scorer on files, with the "
                    + "features the streaming job computes (no Kafka).")
    static final class EvalAnomaly implements Callable<Integer> {
        @Option(names = "--normal", required = true, arity = "1..*", description = "Normal WAV files to enrol on.")
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
            // Checks --config, HEARKEN_* and --set up front; the engine reads its settings from them once catalogued.
            config.load(new NamedFlags(spec).set("--model", SettingsCatalog.Keys.MODEL_DIR, features.model));
            if (splitNormal != null && !(splitNormal > 0 && splitNormal < 1)) {
                throw HearkenException.config("--split-normal must be in (0, 1), got " + splitNormal);
            }
            ScorerConfig config = new ScorerConfig(k, DistanceMetric.parse(metric), quantile, neighbourGap, bankCap,
                    ScorerConfig.defaults().seed());
            EventTracker tracker = new EventTracker(consecutive, holdOff);
            try (AudioTagger tagger = features.load()) {
                FeatureExtractor extractor = new FeatureExtractor(tagger, features.profile(), features.feature);
                EvalResult result = evaluateFiles(extractor, normal, splitNormal, testNormal, testAnomaly, config, tracker);
                print(result, config, consecutive, printScores, spec.commandLine().getOut());
            }
            return HearkenCli.EXIT_OK;
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
         * Checks --config, HEARKEN_* and --set up front; the connection and engine settings are read from them once
         * their groups are catalogued.
         */
        void loadSettings(CommandLine.Model.CommandSpec command, Path model) {
            config.load(new NamedFlags(command).set("--bootstrap-servers", SettingsCatalog.Keys.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers)
                    .set("--registry-url", SettingsCatalog.Keys.SCHEMA_REGISTRY_URL, registryUrl)
                    .set("--model", SettingsCatalog.Keys.MODEL_DIR, model));
        }

        void publish(List<AnomalyControl> records, PrintWriter out) {
            Topic<String, AnomalyControl> topic = new HearkenTopics(RegistryClients.create(registryUrl)).anomalyControl;
            try (Producer<String, AnomalyControl> producer = controlProducer(bootstrapServers, topic)) {
                for (AnomalyControl record : records) {
                    producer.send(new ProducerRecord<>(topic.name(), record.getStreamId(), record))
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw HearkenException.badInput("interrupted while publishing to " + topic.name());
            } catch (ExecutionException | TimeoutException e) {
                throw new HearkenException(io.hearken.error.ErrorKind.TRANSIENT, "cannot publish to " + topic.name()
                        + " at " + bootstrapServers + ": " + (e.getCause() != null ? e.getCause() : e), e);
            }
            out.println("published " + records.size() + " control record(s) to " + topic.name() + " for stream "
                    + stream + (group != null ? " (group " + group + ")" : ""));
            out.flush();
        }
    }

    static Producer<String, AnomalyControl> controlProducer(String bootstrapServers, Topic<String, AnomalyControl> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hearken-anomaly-control");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
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
        @Parameters(arity = "1..*", description = "Normal WAV files of the machine.")
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
            target.loadSettings(spec, features.model);
            if (batch < 1) {
                throw HearkenException.config("--batch must be >= 1, got " + batch);
            }
            List<EnrolmentVector> vectors = new ArrayList<>();
            String modelId;
            try (AudioTagger tagger = features.load()) {
                FeatureExtractor extractor = new FeatureExtractor(tagger, features.profile(), features.feature);
                modelId = extractor.modelId();
                for (Path file : files) {
                    List<EnrolmentVector> windows = extractor.file(file);
                    // Each file is its own segment: windows of different files are never temporal neighbours.
                    for (EnrolmentVector w : windows) {
                        vectors.add(new EnrolmentVector("file:" + file.getFileName(), w.startMicros(), w.endMicros(),
                                w.values()));
                    }
                }
            }
            target.publish(enrolRecords(target.stream, target.group, features.feature, modelId, vectors, batch, finish),
                    spec.commandLine().getOut());
            spec.commandLine().getOut().println(vectors.size() + " enrolment vectors from " + files.size() + " file(s)"
                    + (finish ? "; enrolment finished" : ""));
            spec.commandLine().getOut().flush();
            return HearkenCli.EXIT_OK;
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
