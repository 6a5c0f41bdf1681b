package io.hearken.sinks.tags;

import static io.hearken.sinks.testing.WindowFixtures.SECOND;
import static io.hearken.sinks.testing.WindowFixtures.T0;
import static io.hearken.sinks.testing.WindowFixtures.classScores;
import static io.hearken.sinks.testing.WindowFixtures.pipeAtWindowEnd;
import static io.hearken.sinks.testing.WindowFixtures.twoSecondWindow;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.sinks.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TagEventTopologyTest {
    @RegisterExtension
    static final TopologyHarness harness = new TopologyHarness("tag-test");

    private TestInputTopic<String, WindowResult> windows;
    private TestOutputTopic<String, TagEvent> tags;

    @BeforeEach
    void start() throws Exception {
        TagRules rules = new TagRules(0.3f, Duration.ofMillis(1500), Duration.ofSeconds(30));
        harness.start(TagEventTopology.buildTopology(harness.topics(), rules));
        windows = harness.input(harness.topics().windows);
        tags = harness.output(harness.topics().tags);
    }

    /** A 2 s window starting at second {@code startSecond} with the given probabilities per label. */
    private static WindowResult window(String stream, int startSecond, boolean last, Map<String, Float> scores) {
        SourceMetadata source = SourceMetadata.newBuilder().setDevice("mic").setLocation("hall").build();
        return twoSecondWindow(stream, startSecond, -20f, last, classScores(scores, label -> label.hashCode() & 0x1ff),
                source);
    }

    private void pipe(WindowResult w) {
        pipeAtWindowEnd(windows, w);
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
        KeyValueStore<String, StreamTagState> store = harness.driver().getKeyValueStore(TagEventTopology.STORE);
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

        harness.driver().advanceWallClockTime(Duration.ofSeconds(29));
        assertThat(tags.isEmpty()).isTrue();
        harness.driver().advanceWallClockTime(Duration.ofSeconds(10));

        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getKind()).isEqualTo(EventKind.OFFSET);
        assertThat(events.get(0).getClosedBy()).isEqualTo("inactivity");
        KeyValueStore<String, StreamTagState> store = harness.driver().getKeyValueStore(TagEventTopology.STORE);
        assertThat(store.get("dead")).isNull();
    }

    @Test
    void poisonRecordIsSkippedAndGoodRecordsKeepFlowing() {
        // Where the poison record goes is DeadLetterDeserializationHandlerTest's business: TopologyTestDriver does
        // not capture the records a handler returns for the dead-letter queue.
        var raw = harness.driver().createInputTopic(harness.topics().windows.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        raw.pipeInput("bad", "not avro at all".getBytes(), Instant.ofEpochMilli(1));
        pipe(window("good", 0, true, Map.of("Cat", 0.9f)));

        assertThat(tags.readValuesToList()).extracting(TagEvent::getKind).containsExactly(EventKind.ONSET, EventKind.OFFSET);
    }
}
