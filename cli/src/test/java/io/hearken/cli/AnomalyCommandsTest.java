package io.hearken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.platform.EmbeddedKafkaBroker;
import io.hearken.platform.EmbeddedPlatform;
import io.hearken.platform.InProcessSchemaRegistry;
import io.hearken.platform.TopicReaders;
import io.hearken.schemas.AnomalyAction;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.SinksApp;
import io.hearken.sinks.anomaly.AnomalyEvaluation;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.anomaly.AnomalyTopology;
import io.hearken.sinks.anomaly.EnrolmentVector;
import io.hearken.sinks.anomaly.EventTracker;
import io.hearken.sinks.anomaly.ScorerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The anomaly scorer on the real DCASE2020 Task 2 clips, with the features the streaming job computes (machine
 * profile: 1 s windows, 0.5 s hop), enrolled on the first half of each normal clip.
 */
class AnomalyCommandsTest {
    private static final List<String> MACHINES = List.of("fan", "pump", "slider", "valve", "ToyCar", "ToyConveyor");
    /** Where the reference method raises an event on the anomalous clip and stays quiet on the normal second half. */
    private static final List<String> MUST_DETECT = List.of("fan", "slider", "valve");
    private static AudioTagger tagger;

    static Path shared() {
        String prop = System.getProperty("hearken.shared.dir");
        return (prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("../../shared")).toAbsolutePath().normalize();
    }

    static Path model() {
        return shared().resolve("models").resolve("efficientat-mn04");
    }

    static Path clip(String machine, String kind) throws Exception {
        try (var files = Files.list(shared().resolve("audio").resolve("dcase2020t2").resolve(machine))) {
            return files.filter(f -> f.getFileName().toString().startsWith(kind + "_")).findFirst().orElseThrow();
        }
    }

    @BeforeAll
    static void load() {
        tagger = AudioTagger.load(model(), 2);
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    @Test
    void dcaseClipsEnrolledOnTheFirstHalfOfTheNormalClip() throws Exception {
        FileFeatures features = new FileFeatures(tagger, StreamProfile.MACHINE, "mid");
        ScorerConfig config = ScorerConfig.defaults();
        EventTracker tracker = new EventTracker(3, Duration.ofSeconds(2));
        Map<String, AnomalyEvaluation.EvalResult> results = new TreeMap<>();
        StringBuilder report = new StringBuilder("machine       AUC     pAUC    anomalous clip   normal 2nd half\n");
        for (String machine : MACHINES) {
            AnomalyEvaluation.EvalResult r = AnomalyEvaluation.evaluate(List.of(features.read(clip(machine, "normal"))),
                    OptionalDouble.of(0.5), List.of(), List.of(features.read(clip(machine, "anomaly"))), config, tracker);
            results.put(machine, r);
            report.append(String.format(Locale.ROOT, "%-12s  %.4f  %.4f  %-15s  %s%n", machine, r.auc(), r.pauc(),
                    r.anomalousRaised() == 1 ? "event" : "no event", r.normalQuiet() == 1 ? "quiet" : "EVENT"));
        }
        System.out.print(report);
        for (String machine : MUST_DETECT) {
            AnomalyEvaluation.EvalResult r = results.get(machine);
            assertThat(r.auc()).as(machine + " AUC").isGreaterThanOrEqualTo(0.9);
            assertThat(r.anomalousRaised()).as(machine + ": the anomalous clip raises an event").isEqualTo(1);
            assertThat(r.normalQuiet()).as(machine + ": the normal second half raises none").isEqualTo(1);
        }
        // 5 s of enrolment at 0.5 s hop: 9 windows, 10 normal test windows (the first straddles the cut).
        assertThat(results.get("fan").enrolled()).isEqualTo(9);
        assertThat(results.get("fan").segments().get(0).scores()).hasSize(10);
    }

    @Test
    void evalAnomalyCommandPrintsAucAndTheEventOutcome() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = cli(out, err).execute("anomaly", "--model", model().toString(), "--threads", "2",
                "--normal", clip("slider", "normal").toString(), "--split-normal", "0.5",
                "--test-anomaly", clip("slider", "anomaly").toString());
        assertThat(rc).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).matches("AUC 1\\.0000 pAUC 1\\.0000");
        assertThat(out.toString()).contains("anomalous segments raising an event 1/1, normal segments quiet 1/1");
    }

    @Test
    void anUnreadableFileIsNamedAndTheEvaluationRunsOnTheOthers(@TempDir Path tmp)
            throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = cli(out, err).execute("anomaly", "--model", model().toString(), "--threads", "2",
                "--normal", clip("slider", "normal").toString(), "--split-normal", "0.5",
                "--test-normal", tmp.resolve("absent.flac").toString(),
                "--test-anomaly", clip("slider", "anomaly").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: absent.flac: no such file" + System.lineSeparator());
        assertThat(out.toString().split("\n")[0]).matches("AUC 1\\.0000 pAUC 1\\.0000");

        StringWriter none = new StringWriter();
        rc = cli(new StringWriter(), none).execute("anomaly", "--model", model().toString(), "--threads", "2",
                "--normal", tmp.resolve("gone.wav").toString(), "--test-anomaly", clip("slider", "anomaly").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(none.toString()).contains("error: gone.wav: no such file")
                .contains("error: nothing to evaluate without normal recordings to enrol on");
    }

    @Test
    void usageErrorsExitWithTwo() {
        StringWriter err = new StringWriter();
        int rc = cli(new StringWriter(), err).execute("anomaly", "--normal", "a.wav", "--split-normal", "1.5",
                "--test-anomaly", "b.wav");
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--split-normal must be in (0, 1)");
    }

    @Test
    void enrolmentIsPublishedInBoundedRecordsThenFinished() {
        List<EnrolmentVector> vectors = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            vectors.add(new EnrolmentVector("file:n.wav", i * 500_000L, i * 500_000L + 1_000_000L, new float[256]));
        }
        List<AnomalyControl> records = AnomalyCommands.enrolRecords("pump-3", null, "mid", "efficientat-mn04", vectors,
                20, true);
        assertThat(records).extracting(AnomalyControl::getAction).containsExactly(AnomalyAction.ENROL,
                AnomalyAction.ENROL, AnomalyAction.ENROL, AnomalyAction.FINISH_ENROLMENT);
        assertThat(records).extracting(r -> r.getVectors().size()).containsExactly(20, 20, 5, 0);
        assertThat(records).extracting(r -> r.getControlId().toString()).doesNotHaveDuplicates();

        // They go through the control topic's serde, and stay far below Kafka's 1 MB record limit.
        String url = "mock://AnomalyCommandsTest";
        try {
            HearkenTopics topics = new HearkenTopics(RegistryClients.create(url));
            List<EnrolmentVector> many = new ArrayList<>();
            for (int i = 0; i < AnomalyCommands.DEFAULT_BATCH; i++) {
                many.add(vectors.get(0));
            }
            AnomalyControl full = AnomalyCommands.enrolRecords("pump-3", "pumps", "mid", "m", many,
                    AnomalyCommands.DEFAULT_BATCH, false).get(0);
            byte[] bytes = topics.anomalyControl.valueSerde().serializer().serialize(topics.anomalyControl.name(), full);
            assertThat(bytes.length).isLessThan(512 * 1024);
            AnomalyControl back = topics.anomalyControl.valueSerde().deserializer()
                    .deserialize(topics.anomalyControl.name(), bytes);
            assertThat(back.getGroup()).isEqualTo("pumps");
            assertThat(back.getVectors()).hasSize(AnomalyCommands.DEFAULT_BATCH);
            assertThat(back.getVectors().get(0).getSegment()).isEqualTo("file:n.wav");
        } finally {
            RegistryClients.dropMockScope(url);
        }
    }

    @Test
    void anomalyCommandsParse() {
        CommandLine anomaly = new CommandLine(new AnomalyCommands.Anomaly());
        assertThat(anomaly.getSubcommands()).containsOnlyKeys("enrol", "finish", "reset");
        CommandLine.ParseResult parsed = anomaly.parseArgs("enrol", "--stream", "pump-3", "--finish",
                "--bootstrap-servers", "kafka:9092", "a.wav", "b.wav");
        AnomalyCommands.Enrol enrol = (AnomalyCommands.Enrol) parsed.subcommand().commandSpec().userObject();
        assertThat(enrol.target.stream).isEqualTo("pump-3");
        assertThat(enrol.finish).isTrue();
        assertThat(enrol.files).hasSize(2);
        assertThat(enrol.features.window).isEqualTo(Duration.ofSeconds(1));
        assertThat(enrol.features.hop).isEqualTo(Duration.ofMillis(500));
        AnomalyCommands.Reset reset = (AnomalyCommands.Reset) anomaly.parseArgs("reset", "--stream", "pump-3")
                .subcommand().commandSpec().userObject();
        assertThat(reset.target.registryUrl).isEqualTo("http://localhost:8081");
    }

    /**
     * The whole path on a real broker: {@code anomaly enrol --finish} publishes the normal clip's vectors, the running
     * anomaly sink fits its threshold from them, and the anomalous clip's windows (as the job would publish them)
     * raise an event that the end of the stream closes.
     */
    @Test
    void enrolCommandDrivesTheRunningSink(@TempDir Path tmp) throws Exception {
        try (var broker = EmbeddedKafkaBroker.start();
             var registry = InProcessSchemaRegistry.start()) {
            HearkenTopics topics = EmbeddedPlatform.provisionTopics(broker, registry.url(), 2);
            var settings = AnomalySettings.defaults().withEnrolment(0, Duration.ZERO);
            try (var sink = new SinksApp(AnomalyTopology.buildTopology(topics,
                    settings), SinksApp.streamsConfig(broker.bootstrapServers(), registry.url(),
                    "hearken-sinks-anomaly-test", tmp.resolve("streams")))) {
                sink.start();
                StringWriter out = new StringWriter();
                CommandLine anomaly = new CommandLine(new AnomalyCommands.Anomaly());
                anomaly.setOut(new PrintWriter(out, true));
                int rc = anomaly.execute("enrol", "--stream", "fan-1", "--finish", "--bootstrap-servers",
                        broker.bootstrapServers(), "--registry-url", registry.url(), "--model", model().toString(),
                        "--threads", "2", clip("fan", "normal").toString());
                assertThat(rc).as(out.toString()).isZero();
                assertThat(out.toString()).contains("19 enrolment vectors from 1 file(s); enrolment finished");

                // The anomalous clip as the streaming job would publish it, starting now.
                var features = new FileFeatures(tagger, StreamProfile.MACHINE, "mid");
                List<EnrolmentVector> windows = features.read(clip("fan", "anomaly")).windows();
                long t0 = System.currentTimeMillis() * 1000;
                try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                        "bootstrap.servers", broker.bootstrapServers(), "enable.idempotence", true, "acks", "all"),
                        topics.windows.keySerde().serializer(), topics.windows.valueSerde().serializer())) {
                    for (int i = 0; i < windows.size(); i++) {
                        EnrolmentVector w = windows.get(i);
                        List<Float> values = new ArrayList<>();
                        for (float x : w.values()) {
                            values.add(x);
                        }
                        long start = t0 + w.startMicros();
                        var record = WindowResult.newBuilder().setStreamId("fan-1")
                                .setWindowId("fan-1@" + start).setWindowIndex(i).setWindowStartMicros(start)
                                .setWindowEndMicros(t0 + w.endMicros()).setProfile("machine").setModelId("m")
                                .setModelVersion("v").setScoreFloor(0.05f).setClassScores(List.of())
                                .setFeatures(Map.of("mid", values)).setLoudnessDbfs(-20f)
                                .setEndOfStream(i == windows.size() - 1)
                                .setSource(SourceMetadata.newBuilder().setDevice("fan").build()).build();
                        producer.send(new ProducerRecord<>(topics.windows.name(), null,
                                (t0 + w.endMicros()) / 1000, "fan-1", record)).get();
                    }
                }
                List<AnomalyEvent> events = new ArrayList<>();
                try (var consumer = TopicReaders.fromBeginning(broker.bootstrapServers(), topics.anomalies, "read_committed")) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (events.size() < 2 && System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
                    }
                }
                assertThat(events).extracting(AnomalyEvent::getKind)
                        .containsExactly(EventKind.ONSET, EventKind.OFFSET);
                assertThat(events.get(0).getOnsetMicros()).isEqualTo(t0);
                assertThat(events.get(1).getClosedBy()).isEqualTo(EventTracker.CLOSED_BY_END_OF_STREAM);
            }
        }
    }

    /** {@code eval ...} with the CLI's error convention (CONFIG exits 2, other HearkenExceptions 3). */
    private static CommandLine cli(StringWriter out, StringWriter err) {
        return HearkenCli.withConventions(new CommandLine(new AnomalyCommands.Eval()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }
}
