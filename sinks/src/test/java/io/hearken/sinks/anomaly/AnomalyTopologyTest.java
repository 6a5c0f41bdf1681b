package io.hearken.sinks.anomaly;

import static io.hearken.sinks.testing.WindowFixtures.SECOND;
import static io.hearken.sinks.testing.WindowFixtures.T0;
import static io.hearken.sinks.testing.WindowFixtures.pipeAtWindowEnd;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.AnomalyAction;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.EnrolmentWindow;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The anomaly sink's lifecycle rules with explicit timestamps: 1 s windows at 0.5 s hop (the machine profile) whose
 * 8-dimensional "mid" vectors are Gaussian noise around a fixed normal point, or shifted far away (anomalous).
 */
class AnomalyTopologyTest {
    private static final String APP_ID = "anomaly-test";
    private static final int DIM = 8;
    private static final int ENROL = 20;

    @RegisterExtension
    static final TopologyHarness harness = new TopologyHarness(APP_ID);

    private final Random random = new Random(1234);
    private TestInputTopic<String, WindowResult> windows;
    private TestInputTopic<String, AnomalyControl> controls;
    private TestOutputTopic<String, AnomalyEvent> events;
    private final Map<String, Integer> nextIndex = new java.util.HashMap<>();

    private static AnomalySettings settings() {
        return AnomalySettings.defaults().withEnrolment(ENROL, Duration.ZERO)
                .withLifecycle(3, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    private void start(AnomalySettings settings) throws Exception {
        HearkenTopics topics = harness.topics();
        harness.start(AnomalyTopology.buildTopology(topics, settings));
        windows = harness.input(topics.windows);
        controls = harness.input(topics.anomalyControl);
        events = harness.output(topics.anomalies);
    }

    private float[] normal() {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = 1f + 0.1f * d + (float) random.nextGaussian();
        }
        return v;
    }

    private float[] anomalous() {
        float[] v = normal();
        for (int d = 0; d < DIM; d++) {
            v[d] += 8f;
        }
        return v;
    }

    private static long startOf(int index) {
        return T0 + index * SECOND / 2;
    }

    /** The stream's next 1 s window (0.5 s after the previous one). */
    private WindowResult pipe(String stream, float[] vector) {
        return pipe(stream, vector, false, "machine");
    }

    private WindowResult pipe(String stream, float[] vector, boolean last, String profile) {
        int index = nextIndex.merge(stream, 1, Integer::sum) - 1;
        long start = startOf(index);
        List<Float> values = new ArrayList<>();
        for (float x : vector) {
            values.add(x);
        }
        WindowResult w = WindowResult.newBuilder()
                .setStreamId(stream).setWindowId(stream + "@" + start).setWindowIndex(index)
                .setWindowStartMicros(start).setWindowEndMicros(start + SECOND).setProfile(profile)
                .setModelId("m").setModelVersion("v").setScoreFloor(0.05f).setClassScores(List.of())
                .setFeatures(vector.length == 0 ? Map.of("embedding", List.of(1f)) : Map.of("mid", values))
                .setLoudnessDbfs(-20f).setEndOfStream(last)
                .setSource(SourceMetadata.newBuilder().setDevice("mic-" + stream).setLocation("hall 2").build())
                .build();
        pipeAtWindowEnd(windows, w);
        return w;
    }

    private List<float[]> enrol(String stream, int n) {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = normal();
            vectors.add(v);
            pipe(stream, v);
        }
        return vectors;
    }

    private void control(String stream, AnomalyAction action, List<EnrolmentWindow> vectors) {
        AnomalyControl c = AnomalyControl.newBuilder().setControlId("c-" + random.nextInt(1_000_000))
                .setStreamId(stream).setAction(action).setFeatureName("mid").setVectors(vectors)
                .setIssuedAtMicros(T0).build();
        controls.pipeInput(stream, c, Instant.ofEpochMilli(T0 / 1000));
    }

    private GroupState group(String group) {
        KeyValueStore<String, GroupState> store = harness.driver().getKeyValueStore(AnomalyTopology.GROUP_STORE);
        return store.get(group);
    }

    private int bankEntries() {
        KeyValueStore<String, EnrolmentVector> store = harness.driver().getKeyValueStore(AnomalyTopology.BANK_STORE);
        int n = 0;
        try (KeyValueIterator<String, EnrolmentVector> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void enrolmentThenMonitoringWithTheThresholdFromEnrolment() throws Exception {
        start(settings());
        List<float[]> enrolled = enrol("pump", ENROL - 1);
        assertThat(group("pump").phase).isEqualTo(GroupState.ENROLLING);
        assertThat(group("pump").enrolledWindows).isEqualTo(ENROL - 1);
        float[] last = normal();
        enrolled.add(last);
        pipe("pump", last);

        GroupState state = group("pump");
        assertThat(state.phase).isEqualTo(GroupState.MONITORING);
        assertThat(state.bankSize).isEqualTo(ENROL);
        // The threshold is the scorer's, fitted on exactly the enrolled windows (with their times).
        List<EnrolmentVector> vectors = new ArrayList<>();
        for (int i = 0; i < enrolled.size(); i++) {
            vectors.add(new EnrolmentVector("pump", startOf(i), startOf(i) + SECOND, enrolled.get(i)));
        }
        AnomalyScorer expected = AnomalyScorer.fit(vectors, ScorerConfig.defaults());
        assertThat(state.threshold).isEqualTo(expected.threshold());
        assertThat(state.thresholdScores).isEqualTo(ENROL);

        for (int i = 0; i < 20; i++) {
            pipe("pump", normal()); // normal sound raises nothing
        }
        assertThat(events.isEmpty()).isTrue();
        pipe("pump", anomalous());
        pipe("pump", anomalous());
        WindowResult third = pipe("pump", anomalous());
        List<AnomalyEvent> onsets = events.readValuesToList();
        assertThat(onsets).hasSize(1);
        AnomalyEvent onset = onsets.get(0);
        assertThat(onset.getKind()).isEqualTo(EventKind.ONSET);
        assertThat(onset.getStreamId()).isEqualTo("pump");
        assertThat(onset.getOnsetMicros()).isEqualTo(third.getWindowStartMicros() - SECOND);
        assertThat(onset.getThreshold()).isEqualTo((float) expected.threshold());
        assertThat(onset.getPeakScore()).isGreaterThan(onset.getThreshold());
        assertThat(onset.getFeatureName()).isEqualTo("mid");
        assertThat(onset.getWindowIds()).hasSize(3).last().isEqualTo(third.getWindowId());
        assertThat(onset.getSource().getDevice()).isEqualTo("mic-pump");
        assertThat(onset.getSource().getLocation()).isEqualTo("hall 2");
    }

    @Test
    void onsetNeedsMConsecutiveWindowsAndOffsetWaitsForTheHoldOff() throws Exception {
        start(settings());
        enrol("fan", ENROL);
        pipe("fan", anomalous());
        pipe("fan", anomalous());
        pipe("fan", normal());                       // two in a row are not enough
        assertThat(events.isEmpty()).isTrue();
        WindowResult first = pipe("fan", anomalous());
        pipe("fan", anomalous());
        pipe("fan", anomalous());                    // ONSET
        WindowResult lastOver = pipe("fan", anomalous());
        assertThat(events.readValuesToList()).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET);
        pipe("fan", normal());                       // 0.5 s below
        pipe("fan", normal());                       // 1.0 s
        pipe("fan", normal());                       // 1.5 s
        assertThat(events.isEmpty()).isTrue();
        pipe("fan", normal());                       // 2.0 s = hold-off: OFFSET

        List<AnomalyEvent> offsets = events.readValuesToList();
        assertThat(offsets).hasSize(1);
        AnomalyEvent offset = offsets.get(0);
        assertThat(offset.getKind()).isEqualTo(EventKind.OFFSET);
        assertThat(offset.getOnsetMicros()).isEqualTo(first.getWindowStartMicros());
        assertThat(offset.getOffsetMicros()).isEqualTo(lastOver.getWindowEndMicros());
        assertThat(offset.getClosedBy()).isEqualTo(EventTracker.CLOSED_BY_HOLD_OFF);
        assertThat(offset.getWindowIds()).hasSize(4);
        assertThat(offset.getEventId()).isEqualTo("fan/anomaly/" + first.getWindowStartMicros() + "/OFFSET");
    }

    @Test
    void endOfStreamClosesTheEventButKeepsTheBank() throws Exception {
        start(settings());
        enrol("valve", ENROL);
        pipe("valve", anomalous());
        pipe("valve", anomalous());
        pipe("valve", anomalous());
        WindowResult end = pipe("valve", anomalous(), true, "machine");

        List<AnomalyEvent> list = events.readValuesToList();
        assertThat(list).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET, EventKind.OFFSET);
        assertThat(list.get(1).getClosedBy()).isEqualTo(EventTracker.CLOSED_BY_END_OF_STREAM);
        assertThat(list.get(1).getOffsetMicros()).isEqualTo(end.getWindowEndMicros());
        KeyValueStore<String, StreamAnomalyState> streams = harness.driver().getKeyValueStore(AnomalyTopology.STREAM_STORE);
        assertThat(streams.get("valve")).isNull();
        assertThat(group("valve").phase).isEqualTo(GroupState.MONITORING);
        assertThat(bankEntries()).isEqualTo(ENROL);

        // The machine's next recording is monitored at once, with the same bank.
        pipe("valve", anomalous());
        pipe("valve", anomalous());
        pipe("valve", anomalous());
        assertThat(events.readValuesToList()).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET);
    }

    /**
     * A restart: a new instance restores the stores from their changelog topics, then carries on. (Closing a
     * TopologyTestDriver deletes its task directories, so a driver reopened on the same state directory starts
     * empty; the restore is done here as Kafka Streams does it, replaying each store's changelog into it.)
     */
    @Test
    void stateSurvivesARestartThroughTheChangelogs() throws Exception {
        start(settings());
        enrol("slider", ENROL);
        double threshold = group("slider").threshold;
        pipe("slider", anomalous());
        pipe("slider", anomalous());
        pipe("slider", anomalous());                 // ONSET before the restart
        assertThat(events.readValuesToList()).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET);
        Map<String, List<KeyValue<String, byte[]>>> changelogs = new java.util.LinkedHashMap<>();
        for (String store : List.of(AnomalyTopology.GROUP_STORE, AnomalyTopology.BANK_STORE, AnomalyTopology.STREAM_STORE)) {
            List<KeyValue<String, byte[]>> records = harness.driver().createOutputTopic(APP_ID + "-" + store + "-changelog",
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer()).readKeyValuesToList();
            assertThat(records).as(store + " changelog").isNotEmpty();
            // Every changelog record stays small, whatever the bank's size: one bank slot per record.
            assertThat(records).allSatisfy(r -> assertThat(r.value == null ? 0 : r.value.length).isLessThan(4096));
            changelogs.put(store, records);
        }
        harness.stop();

        start(settings());
        restore(AnomalyTopology.GROUP_STORE, changelogs, new io.hearken.sinks.common.JsonSerde<>(GroupState.class));
        restore(AnomalyTopology.BANK_STORE, changelogs, new io.hearken.sinks.common.JsonSerde<>(EnrolmentVector.class));
        restore(AnomalyTopology.STREAM_STORE, changelogs, new io.hearken.sinks.common.JsonSerde<>(StreamAnomalyState.class));
        assertThat(group("slider").phase).isEqualTo(GroupState.MONITORING);
        assertThat(group("slider").threshold).isEqualTo(threshold);
        assertThat(bankEntries()).isEqualTo(ENROL);
        for (int i = 0; i < 4; i++) {
            pipe("slider", normal());                // the event open before the restart closes after the hold-off
        }
        List<AnomalyEvent> after = events.readValuesToList();
        assertThat(after).extracting(AnomalyEvent::getKind).containsExactly(EventKind.OFFSET);
        assertThat(after.get(0).getThreshold()).isEqualTo((float) threshold);
        assertThat(after.get(0).getWindowIds()).hasSize(3);
        pipe("slider", anomalous());
        pipe("slider", anomalous());
        pipe("slider", anomalous());                 // scored with the restored bank and threshold
        assertThat(events.readValuesToList()).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET);
    }

    private <T> void restore(String storeName, Map<String, List<KeyValue<String, byte[]>>> changelogs,
                             org.apache.kafka.common.serialization.Serde<T> serde) {
        KeyValueStore<String, T> store = harness.driver().getKeyValueStore(storeName);
        for (KeyValue<String, byte[]> record : changelogs.get(storeName)) {
            if (record.value == null) {
                store.delete(record.key);
            } else {
                store.put(record.key, serde.deserializer().deserialize(storeName, record.value));
            }
        }
    }

    @Test
    void theBankNeverExceedsItsCap() throws Exception {
        AnomalySettings capped = settings().withScorer(ScorerConfig.defaults().withBankCap(50)).withEnrolment(400, Duration.ZERO);
        start(capped);
        for (int i = 0; i < 400; i++) {
            pipe("conveyor", normal());
            if (i % 25 == 0) {
                assertThat(bankEntries()).isLessThanOrEqualTo(50);
            }
        }
        GroupState state = group("conveyor");
        assertThat(state.phase).isEqualTo(GroupState.MONITORING);
        assertThat(state.offered).isEqualTo(400);
        assertThat(state.bankSize).isEqualTo(50);
        assertThat(bankEntries()).isEqualTo(50);
        // A reservoir sample of the whole enrolment, not its first 50 windows.
        KeyValueStore<String, EnrolmentVector> bank = harness.driver().getKeyValueStore(AnomalyTopology.BANK_STORE);
        long late = 0;
        try (KeyValueIterator<String, EnrolmentVector> it = bank.all()) {
            while (it.hasNext()) {
                late += it.next().value.startMicros() >= startOf(200) ? 1 : 0;
            }
        }
        assertThat(late).isGreaterThan(10);
    }

    @Test
    void resetClosesOpenEventsAndStartsEnrolmentAgain() throws Exception {
        start(settings());
        enrol("press", ENROL);
        pipe("press", anomalous());
        pipe("press", anomalous());
        pipe("press", anomalous());
        assertThat(events.readValuesToList()).hasSize(1);

        control("press", AnomalyAction.RESET, List.of());
        List<AnomalyEvent> closed = events.readValuesToList();
        assertThat(closed).extracting(AnomalyEvent::getKind).containsExactly(EventKind.OFFSET);
        assertThat(closed.get(0).getClosedBy()).isEqualTo(EventTracker.CLOSED_BY_RESET);
        assertThat(group("press")).isNull();
        assertThat(bankEntries()).isZero();

        // The machine's new normal (what was anomalous before) is enrolled, then monitored.
        for (int i = 0; i < ENROL; i++) {
            pipe("press", anomalous());
        }
        assertThat(group("press").phase).isEqualTo(GroupState.MONITORING);
        for (int i = 0; i < 10; i++) {
            pipe("press", anomalous());
        }
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void enrolmentVectorsFromFilesAndAFinishCommand() throws Exception {
        start(settings().withEnrolment(0, Duration.ZERO)); // only a command ends enrolment
        List<EnrolmentWindow> fileVectors = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            List<Float> values = new ArrayList<>();
            for (float x : normal()) {
                values.add(x);
            }
            fileVectors.add(new EnrolmentWindow("file:normal.wav", i * SECOND / 2, i * SECOND / 2 + SECOND, values));
        }
        control("compressor", AnomalyAction.ENROL, fileVectors.subList(0, 6));
        control("compressor", AnomalyAction.ENROL, fileVectors.subList(6, 12));
        assertThat(group("compressor").phase).isEqualTo(GroupState.ENROLLING);
        assertThat(group("compressor").enrolledWindows).isEqualTo(12);
        // 6.5 s of audio; each record's windows are merged on their own, so the overlap across records counts twice.
        assertThat(group("compressor").enrolledAudioMicros).isBetween(13 * SECOND / 2, 7 * SECOND);
        AnomalyControl wrongFeature = AnomalyControl.newBuilder().setControlId("x").setStreamId("compressor")
                .setAction(AnomalyAction.ENROL).setFeatureName("embedding").setVectors(fileVectors)
                .setIssuedAtMicros(T0).build();
        controls.pipeInput("compressor", wrongFeature);
        assertThat(group("compressor").enrolledWindows).isEqualTo(12); // ignored

        control("compressor", AnomalyAction.FINISH_ENROLMENT, List.of());
        assertThat(group("compressor").phase).isEqualTo(GroupState.MONITORING);
        assertThat(group("compressor").bankSize).isEqualTo(12);
        for (int i = 0; i < 3; i++) {
            pipe("compressor", anomalous());
        }
        assertThat(events.readValuesToList()).extracting(AnomalyEvent::getKind).containsExactly(EventKind.ONSET);
    }

    @Test
    void enrolmentVectorsSentWhileMonitoringRefitTheGroup() throws Exception {
        start(settings());
        enrol("mixer", ENROL);
        double before = group("mixer").threshold;
        // The machine's other normal mode, recorded offline: enrolled while the group is monitoring.
        List<EnrolmentWindow> otherMode = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Float> values = new ArrayList<>();
            for (float x : anomalous()) {
                values.add(x);
            }
            otherMode.add(new EnrolmentWindow("file:mode-b.wav", i * SECOND, i * SECOND + SECOND, values));
        }
        control("mixer", AnomalyAction.ENROL, otherMode);
        assertThat(group("mixer").refitPending).isTrue();
        for (int i = 0; i < 5; i++) {
            pipe("mixer", anomalous());              // the first window refits; the other mode is normal now
        }
        assertThat(events.isEmpty()).isTrue();
        GroupState state = group("mixer");
        assertThat(state.refitPending).isFalse();
        assertThat(state.bankSize).isEqualTo(ENROL + 10);
        assertThat(state.threshold).isNotEqualTo(before);
    }

    @Test
    void enrolmentEndsAfterTheConfiguredAudioDuration() throws Exception {
        start(settings().withEnrolment(0, Duration.ofSeconds(5)));
        enrol("blower", 8);                          // windows up to [3.5, 4.5) s: 4.5 s of audio
        assertThat(group("blower").phase).isEqualTo(GroupState.ENROLLING);
        assertThat(group("blower").enrolledAudioMicros).isEqualTo(9 * SECOND / 2);
        pipe("blower", normal());                    // [4, 5): 5 s
        assertThat(group("blower").phase).isEqualTo(GroupState.MONITORING);
        assertThat(group("blower").enrolledWindows).isEqualTo(9);
    }

    @Test
    void streamsOfAMachineGroupShareOneBank() throws Exception {
        start(settings().withGroups(Map.of("line-a", "line", "line-b", "line")));
        enrol("line-a", ENROL);
        assertThat(group("line").phase).isEqualTo(GroupState.MONITORING);
        assertThat(group("line-a")).isNull();
        for (int i = 0; i < 3; i++) {
            pipe("line-b", anomalous());             // never enrolled itself: scored against the group's bank
        }
        List<KeyValue<String, AnomalyEvent>> list = events.readKeyValuesToList();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).key).isEqualTo("line-b");
        assertThat(list.get(0).value.getSource().getDevice()).isEqualTo("mic-line-b");
    }

    @Test
    void otherProfilesAndWindowsWithoutTheFeatureAreIgnored() throws Exception {
        start(settings());
        for (int i = 0; i < ENROL; i++) {
            pipe("speech", normal(), false, "default"); // not a monitored profile
            pipe("nofeature", new float[0]);            // machine profile, no "mid"
        }
        assertThat(group("speech")).isNull();
        assertThat(group("nofeature")).isNull();
        assertThat(bankEntries()).isZero();
        assertThat(settings().withProfiles(Set.of("*")).monitors("default")).isTrue();
    }

    @Test
    void inactivityClosesTheEventOfAStreamThatWentSilent() throws Exception {
        start(settings());
        enrol("dead", ENROL);
        for (int i = 0; i < 3; i++) {
            pipe("dead", anomalous());
        }
        assertThat(events.readValuesToList()).hasSize(1);
        harness.driver().advanceWallClockTime(Duration.ofSeconds(20));
        assertThat(events.isEmpty()).isTrue();
        harness.driver().advanceWallClockTime(Duration.ofSeconds(20));
        List<AnomalyEvent> closed = events.readValuesToList();
        assertThat(closed).extracting(AnomalyEvent::getKind).containsExactly(EventKind.OFFSET);
        assertThat(closed.get(0).getClosedBy()).isEqualTo(EventTracker.CLOSED_BY_INACTIVITY);
        assertThat(group("dead").phase).isEqualTo(GroupState.MONITORING); // the bank stays
    }

    @Test
    void poisonRecordsAreSkipped() throws Exception {
        start(settings());
        var raw = harness.driver().createInputTopic(harness.topics().windows.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        raw.pipeInput("bad", "not avro".getBytes(), Instant.ofEpochMilli(1));
        var rawControl = harness.driver().createInputTopic(harness.topics().anomalyControl.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        rawControl.pipeInput("bad", "not avro either".getBytes(), Instant.ofEpochMilli(1));
        enrol("ok", ENROL);
        assertThat(group("ok").phase).isEqualTo(GroupState.MONITORING);
    }
}
