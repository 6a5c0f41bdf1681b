package io.hearken.sinks.tags;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.SinksApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TagEventTopologyTest {
    private static final String REGISTRY_URL = "mock://TagEventTopologyTest";
    private static final long SECOND = 1_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;
    private static HearkenTopics topics;

    private TopologyTestDriver driver;
    private TestInputTopic<String, WindowResult> windows;
    private TestOutputTopic<String, TagEvent> tags;

    @BeforeAll
    static void registry() {
        topics = new HearkenTopics(RegistryClients.create(REGISTRY_URL));
    }

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    @BeforeEach
    void start() throws Exception {
        TagRules rules = new TagRules(0.3f, Duration.ofMillis(1500), Duration.ofSeconds(30));
        Path stateDir = Files.createTempDirectory("tag-topology-test");
        Properties config = SinksApp.streamsConfig("dummy:9092", REGISTRY_URL, "tag-test", stateDir);
        driver = new TopologyTestDriver(TagEventTopology.buildTopology(topics, rules), config, Instant.ofEpochMilli(0));
        windows = driver.createInputTopic(topics.windows.name(), topics.windows.keySerde().serializer(),
                topics.windows.valueSerde().serializer());
        tags = driver.createOutputTopic(topics.tags.name(), topics.tags.keySerde().deserializer(),
                topics.tags.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A 2 s window starting at second {@code startSecond} with the given probabilities per label. */
    private static WindowResult window(String stream, int startSecond, boolean last, Map<String, Float> scores) {
        List<ClassScore> classScores = new ArrayList<>();
        scores.forEach((label, score) -> classScores.add(new ClassScore(label.hashCode() & 0x1ff, label, score)));
        classScores.sort((a, b) -> Float.compare(b.getScore(), a.getScore()));
        long start = T0 + startSecond * SECOND;
        return WindowResult.newBuilder()
                .setStreamId(stream).setWindowId(stream + "@" + start).setWindowIndex(startSecond)
                .setWindowStartMicros(start).setWindowEndMicros(start + 2 * SECOND)
                .setModelId("m").setModelVersion("v").setScoreFloor(0.05f).setClassScores(classScores)
                .setLoudnessDbfs(-20f).setEndOfStream(last)
                .setSource(SourceMetadata.newBuilder().setDevice("mic").setLocation("hall").build())
                .build();
    }

    private void pipe(WindowResult w) {
        windows.pipeInput(w.getStreamId(), w, Instant.ofEpochMilli(w.getWindowEndMicros() / 1000));
    }

    @Test
    void onsetAtThresholdAndOffsetAfterHoldOff() {
        pipe(window("s1", 0, false, Map.of("Cat", 0.29f)));          // below: nothing
        pipe(window("s1", 1, false, Map.of("Cat", 0.30f)));          // reaches threshold: ONSET at 1 s
        pipe(window("s1", 2, false, Map.of("Cat", 0.80f)));          // peak
        pipe(window("s1", 3, false, Map.of("Cat", 0.10f)));          // 1 s below (end 5 s vs last above end 4 s): hold
        assertThat(tags.readValuesToList()).extracting(TagEvent::getKind).containsExactly(EventKind.ONSET);
        pipe(window("s1", 4, false, Map.of("Cat", 0.10f)));          // 2 s below >= 1.5 s: OFFSET

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).hasSize(1);
        TagEvent offset = events.get(0);
        assertThat(offset.getKind()).isEqualTo(EventKind.OFFSET);
        assertThat(offset.getLabel()).isEqualTo("Cat");
        assertThat(offset.getOnsetMicros()).isEqualTo(T0 + SECOND);
        assertThat(offset.getOffsetMicros()).isEqualTo(T0 + 4 * SECOND);
        assertThat(offset.getPeakScore()).isEqualTo(0.80f);
        assertThat(offset.getMeanScore()).isCloseTo(0.55f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(offset.getWindowIds()).hasSize(2);
        assertThat(offset.getClosedBy()).isEqualTo("hold-off");
        assertThat(offset.getSource().getDevice()).isEqualTo("mic");
    }

    @Test
    void briefDipShorterThanHoldOffKeepsOneEvent() {
        pipe(window("s1", 0, false, Map.of("Alarm clock", 0.9f)));
        pipe(window("s1", 1, false, Map.of("Alarm clock", 0.1f)));   // 1 s below < 1.5 s
        pipe(window("s1", 2, false, Map.of("Alarm clock", 0.7f)));
        pipe(window("s1", 3, true, Map.of()));                        // end of stream closes it

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).extracting(TagEvent::getKind).containsExactly(EventKind.ONSET, EventKind.OFFSET);
        assertThat(events.get(1).getClosedBy()).isEqualTo("end-of-stream");
        assertThat(events.get(1).getOffsetMicros()).isEqualTo(T0 + 4 * SECOND);
    }

    @Test
    void endOfStreamClosesEveryOpenTagAndLeavesNoState() {
        pipe(window("s1", 0, false, Map.of("Speech", 0.9f, "Music", 0.5f)));
        pipe(window("s1", 1, true, Map.of("Speech", 0.9f, "Music", 0.5f, "Dog", 0.4f)));

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).filteredOn(e -> e.getKind() == EventKind.ONSET).extracting(TagEvent::getLabel)
                .containsExactlyInAnyOrder("Speech", "Music", "Dog");
        assertThat(events).filteredOn(e -> e.getKind() == EventKind.OFFSET).extracting(TagEvent::getLabel)
                .containsExactlyInAnyOrder("Speech", "Music", "Dog");
        KeyValueStore<String, StreamTagState> store = driver.getKeyValueStore(TagEventTopology.STORE);
        assertThat(store.get("s1")).isNull();
    }

    @Test
    void streamsAreIndependent() {
        pipe(window("a", 0, false, Map.of("Cat", 0.9f)));
        pipe(window("b", 0, false, Map.of("Dog", 0.9f)));
        pipe(window("a", 1, true, Map.of()));

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).filteredOn(e -> e.getStreamId().equals("a")).extracting(TagEvent::getKind)
                .containsExactly(EventKind.ONSET, EventKind.OFFSET);
        assertThat(events).filteredOn(e -> e.getStreamId().equals("b")).extracting(TagEvent::getKind)
                .containsExactly(EventKind.ONSET);
    }

    @Test
    void inactivityTimeoutClosesTagsOfASilentStream() {
        pipe(window("dead", 0, false, Map.of("Siren", 0.9f)));
        assertThat(tags.readValuesToList()).hasSize(1);

        driver.advanceWallClockTime(Duration.ofSeconds(29));
        assertThat(tags.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getKind()).isEqualTo(EventKind.OFFSET);
        assertThat(events.get(0).getClosedBy()).isEqualTo("inactivity");
        KeyValueStore<String, StreamTagState> store = driver.getKeyValueStore(TagEventTopology.STORE);
        assertThat(store.get("dead")).isNull();
    }

    @Test
    void poisonRecordIsSkippedAndGoodRecordsKeepFlowing() {
        // Where the poison record goes is DeadLetterDeserializationHandlerTest's business: TopologyTestDriver does
        // not capture the records a handler returns for the dead-letter queue.
        var raw = driver.createInputTopic(topics.windows.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        raw.pipeInput("bad", "not avro at all".getBytes(), Instant.ofEpochMilli(1));
        pipe(window("good", 0, true, Map.of("Cat", 0.9f)));

        assertThat(tags.readValuesToList()).extracting(TagEvent::getKind).containsExactly(EventKind.ONSET, EventKind.OFFSET);
    }
}
