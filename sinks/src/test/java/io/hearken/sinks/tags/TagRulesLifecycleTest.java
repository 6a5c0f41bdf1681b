package io.hearken.sinks.tags;

import static io.hearken.sinks.testing.WindowFixtures.SECOND;
import static io.hearken.sinks.testing.WindowFixtures.T0;
import static io.hearken.sinks.testing.WindowFixtures.classScores;
import static io.hearken.sinks.testing.WindowFixtures.pipeAtWindowEnd;
import static io.hearken.sinks.testing.WindowFixtures.scores;
import static io.hearken.sinks.testing.WindowFixtures.twoSecondWindow;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.sinks.testing.TopologyHarness;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every lifecycle rule of the tag sink through TopologyTestDriver, with explicit event times: 2 s windows, one per
 * second of audio, like the default profile.
 */
class TagRulesLifecycleTest {
    @RegisterExtension
    static final TopologyHarness harness = new TopologyHarness("tag-rules-test");

    private TestInputTopic<String, WindowResult> windows;
    private TestOutputTopic<String, TagEvent> tags;

    private void start(TagRules rules) throws Exception {
        harness.start(TagEventTopology.buildTopology(harness.topics(), rules));
        windows = harness.input(harness.topics().windows);
        tags = harness.output(harness.topics().tags);
    }

    /** A 2 s window of {@code stream} starting at second {@code second}, at {@code dbfs}. */
    private void pipe(String stream, int second, float dbfs, boolean last, Map<String, Float> scores) {
        SourceMetadata source = SourceMetadata.newBuilder().setDevice("mic-" + stream).setLocation("hall")
                .setAttributes(Map.of("line", "2")).build();
        pipeAtWindowEnd(windows, twoSecondWindow(stream, second, dbfs, last,
                classScores(scores, label -> Math.abs(label.hashCode()) % 527), source));
    }

    private void pipe(String stream, int second, Map<String, Float> scores) {
        pipe(stream, second, -20f, false, scores);
    }

    private List<String> kinds(List<TagEvent> events) {
        return events.stream().map(e -> e.getKind() + " " + e.getLabel()).toList();
    }

    private void assertNoState(String stream) {
        KeyValueStore<String, StreamTagState> store = harness.driver().getKeyValueStore(TagEventTopology.STORE);
        assertThat(store.get(stream)).isNull();
    }

    @Test
    void perLabelThresholdOverridesTheDefault() throws Exception {
        start(TagRules.builder().label("Speech", LabelRuleOverride.threshold(0.6f)).build());
        pipe("s", 0, scores("Speech", 0.5, "Cat", 0.3));   // Cat reaches the default 0.3, Speech misses its 0.6
        assertThat(kinds(tags.readValuesToList())).containsExactly("ONSET Cat");
        pipe("s", 1, scores("Speech", 0.6, "Cat", 0.3));
        assertThat(kinds(tags.readValuesToList())).containsExactly("ONSET Speech");
        pipe("s", 2, -20f, true, scores());
        assertThat(tags.readValuesToList()).extracting(TagEvent::getClosedBy).containsOnly("end-of-stream").hasSize(2);
        assertNoState("s");
    }

    @Test
    void loudnessGateKeepsQuietWindowsFromOpeningOrSupportingATag() throws Exception {
        start(TagRules.builder().defaults(LabelRuleOverride.NONE.withMinLoudnessDbfs(-40f)).build());
        pipe("s", 0, -55f, false, scores("Dog", 0.9));     // loud enough a score, far too quiet a window
        pipe("s", 1, -40.5f, false, scores("Dog", 0.9));
        assertThat(tags.readValuesToList()).isEmpty();
        pipe("s", 2, -40f, false, scores("Dog", 0.8));     // at the gate: heard
        List<TagEvent> onset = tags.readValuesToList();
        assertThat(kinds(onset)).containsExactly("ONSET Dog");
        assertThat(onset.get(0).getOnsetMicros()).isEqualTo(T0 + 2 * SECOND);
        pipe("s", 3, -50f, false, scores("Dog", 0.9));     // gated: not heard, 1 s since last heard (end 4 s → 5 s)
        pipe("s", 4, -50f, false, scores("Dog", 0.9));     // 2 s >= 1.5 s hold-off
        List<TagEvent> offset = tags.readValuesToList();
        assertThat(kinds(offset)).containsExactly("OFFSET Dog");
        assertThat(offset.get(0).getOffsetMicros()).isEqualTo(T0 + 4 * SECOND);
        assertThat(offset.get(0).getWindowIds()).containsExactly("s@" + (T0 + 2 * SECOND));
    }

    @Test
    void onsetNeedsKConsecutiveWindowsAndAGapResetsTheCount() throws Exception {
        start(TagRules.builder().label("Siren", LabelRuleOverride.NONE.withOnsetWindows(3)).build());
        pipe("s", 0, scores("Siren", 0.9));
        pipe("s", 1, scores("Siren", 0.8));
        pipe("s", 2, scores("Siren", 0.1));                // the run of 2 breaks: no onset
        pipe("s", 3, scores("Siren", 0.5));
        pipe("s", 4, scores("Siren", 0.7));
        assertThat(tags.readValuesToList()).isEmpty();
        pipe("s", 5, scores("Siren", 0.6));                // third consecutive window
        List<TagEvent> events = tags.readValuesToList();
        assertThat(kinds(events)).containsExactly("ONSET Siren");
        TagEvent onset = events.get(0);
        assertThat(onset.getOnsetMicros()).as("onset at the first window of the run").isEqualTo(T0 + 3 * SECOND);
        assertThat(onset.getWindowIds()).hasSize(3);
        assertThat(onset.getPeakScore()).isEqualTo(0.7f);
        assertThat(onset.getMeanScore()).isCloseTo(0.6f, org.assertj.core.data.Offset.offset(1e-6f));

        pipe("s", 6, -20f, true, scores("Siren", 0.2, "Cat", 0.9)); // Cat (K=1) opens and closes; offsets in onset order
        assertThat(kinds(tags.readValuesToList())).containsExactly("ONSET Cat", "OFFSET Siren", "OFFSET Cat");
        assertNoState("s");
    }

    @Test
    void pendingOnsetAtEndOfStreamNeverOpensAndLeavesNoState() throws Exception {
        start(TagRules.builder().defaults(LabelRuleOverride.NONE.withOnsetWindows(2)).build());
        pipe("s", 0, scores("Siren", 0.9));
        pipe("s", 1, -20f, true, scores("Dog", 0.9));
        assertThat(tags.readValuesToList()).isEmpty();
        assertNoState("s");
    }

    @Test
    void holdOffIsPerLabel() throws Exception {
        start(TagRules.builder().label("Speech", LabelRuleOverride.NONE.withMaxNotHeard(Duration.ofSeconds(4)))
                .label("Cat", LabelRuleOverride.NONE.withMaxNotHeard(Duration.ZERO)).build());
        pipe("s", 0, scores("Speech", 0.9, "Cat", 0.9));
        pipe("s", 1, scores());                            // Cat: hold-off 0 closes at the first window not hearing it
        assertThat(kinds(tags.readValuesToList())).containsExactly("ONSET Cat", "ONSET Speech", "OFFSET Cat");
        pipe("s", 2, scores());                            // Speech: 2 s since heard (end 2 s → 4 s) < 4 s
        pipe("s", 3, scores());                            // 3 s
        pipe("s", 4, scores("Speech", 0.4));               // heard again: same event
        pipe("s", 5, scores());
        pipe("s", 6, scores());
        pipe("s", 7, scores());                            // end 9 s, last heard 6 s: 3 s
        assertThat(tags.readValuesToList()).isEmpty();
        pipe("s", 8, scores());                            // 4 s: OFFSET
        List<TagEvent> events = tags.readValuesToList();
        assertThat(kinds(events)).containsExactly("OFFSET Speech");
        assertThat(events.get(0).getOnsetMicros()).isEqualTo(T0);
        assertThat(events.get(0).getOffsetMicros()).isEqualTo(T0 + 6 * SECOND);
        assertThat(events.get(0).getClosedBy()).isEqualTo("hold-off");
        assertThat(events.get(0).getWindowIds()).hasSize(2);
    }

    @Test
    void groupScoresTheBestMemberAndEventsCarryTheGroupName() throws Exception {
        start(TagRules.builder().group("dog", "Dog", "Bark", "Bow-wow", "Growling").build());
        pipe("s", 0, scores("Bark", 0.35, "Dog", 0.2));    // group score 0.35
        pipe("s", 1, scores("Growling", 0.7));             // same event, peak from another member
        pipe("s", 2, scores("Dog", 0.1, "Bark", 0.25));    // below: not heard
        pipe("s", 3, scores("Bow-wow", 0.05));             // 2 s → OFFSET
        List<TagEvent> events = tags.readValuesToList();
        assertThat(kinds(events)).containsExactly("ONSET dog", "OFFSET dog");
        TagEvent offset = events.get(1);
        assertThat(offset.getPeakScore()).isEqualTo(0.7f);
        assertThat(offset.getMeanScore()).isCloseTo(0.525f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(offset.getClassIndex()).as("index of the member that peaked").isEqualTo(Math.abs("Growling".hashCode()) % 527);
        assertThat(offset.getEventId()).isEqualTo("s/dog/" + T0 + "/OFFSET");
        assertThat(offset.getSource().getDevice()).isEqualTo("mic-s");
        assertThat(offset.getSource().getAttributes()).containsEntry("line", "2");
    }

    @Test
    void listenListKeepsOnlyNamedLabelsAndGroups() throws Exception {
        start(TagRules.builder().group("dog", "Dog", "Bark").listen("dog", "Siren", "Bark").build());
        pipe("s", 0, -20f, true, scores("Speech", 0.9, "Siren", 0.8, "Bark", 0.7, "Dog", 0.4, "Music", 0.5));
        assertThat(kinds(tags.readValuesToList())).containsExactlyInAnyOrder(
                "ONSET Bark", "OFFSET Bark",       // listed by name: also stands for itself
                "ONSET dog", "OFFSET dog",
                "ONSET Siren", "OFFSET Siren");
    }

    @Test
    void groupMembersStayQuietOnTheirOwnWhenListenIsEmpty() throws Exception {
        start(TagRules.builder().group("Dog", "Dog", "Bark").build());
        pipe("s", 0, -20f, true, scores("Bark", 0.9, "Dog", 0.5, "Cat", 0.6));
        assertThat(kinds(tags.readValuesToList())).containsExactly("ONSET Cat", "ONSET Dog", "OFFSET Cat", "OFFSET Dog");
    }

    @Test
    void perStreamOverridesByIdAndGlobPattern() throws Exception {
        TagRules rules = TagRules.builder()
                .label("Speech", LabelRuleOverride.threshold(0.6f))
                .stream("factory-*", new StreamOverride(LabelRuleOverride.NONE.withThreshold(0.8f).withMinLoudnessDbfs(-30f),
                        Map.of(), Map.of("alarm", List.of("Alarm", "Buzzer")), null, null))
                .stream("factory-7", new StreamOverride(null, Map.of("Speech", LabelRuleOverride.threshold(0.2f)),
                        null, List.of("Speech"), null))
                .build();
        start(rules);
        Map<String, Float> window = scores("Speech", 0.7, "Cat", 0.5, "Buzzer", 0.85);
        pipe("home", 0, -20f, true, window);        // global: Speech 0.6, Cat 0.3, no groups
        pipe("factory-1", 0, -20f, true, window);   // pattern: default 0.8, but Speech keeps its label rule 0.6
        pipe("factory-2", 0, -35f, true, window);   // pattern's loudness gate -30 dBFS: nothing
        pipe("factory-7", 0, -20f, true, window);   // exact id wins over the pattern: only Speech (0.2)
        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).filteredOn(e -> e.getKind() == EventKind.ONSET)
                .extracting(e -> e.getStreamId() + " " + e.getLabel())
                .containsExactlyInAnyOrder("home Buzzer", "home Cat", "home Speech",
                        "factory-1 alarm", "factory-1 Speech",
                        "factory-7 Speech");
        assertThat(rules.overrideFor("factory-7")).isEqualTo("factory-7");
        assertThat(rules.overrideFor("factory-12")).isEqualTo("factory-*");
        assertThat(rules.overrideFor("home")).isNull();
    }

    @Test
    void inactivityTimeoutCanBeShorterForSomeStreams() throws Exception {
        start(TagRules.builder().inactivityTimeout(Duration.ofSeconds(60))
                .stream("cam-*", new StreamOverride(null, null, null, null, Duration.ofSeconds(8))).build());
        pipe("cam-1", 0, scores("Siren", 0.9));
        pipe("lobby", 0, scores("Siren", 0.9));
        pipe("lobby", 1, scores("Siren", 0.9));
        assertThat(tags.readValuesToList()).hasSize(2);
        harness.driver().advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(tags.isEmpty()).isTrue();
        harness.driver().advanceWallClockTime(Duration.ofSeconds(4));        // cam-1 silent 10 s > 8 s
        List<TagEvent> events = tags.readValuesToList();
        assertThat(events).extracting(e -> e.getStreamId() + " " + e.getKind() + " " + e.getClosedBy())
                .containsExactly("cam-1 OFFSET inactivity");
        assertThat(events.get(0).getOffsetMicros()).isEqualTo(T0 + 2 * SECOND);
        assertNoState("cam-1");
        harness.driver().advanceWallClockTime(Duration.ofSeconds(55));       // lobby: 65 s > 60 s
        assertThat(tags.readValuesToList()).extracting(e -> e.getStreamId() + " " + e.getClosedBy())
                .containsExactly("lobby inactivity");
        assertNoState("lobby");
    }

    @Test
    void everyOnsetIsClosedExactlyOnceWhateverTheRules() throws Exception {
        TagRules rules = TagRulesConfig.parse("""
                {"defaults": {"threshold": 0.4, "onset_windows": 2, "max_not_heard": "2s", "min_loudness_dbfs": -45},
                 "groups": {"dog": ["Dog", "Bark"]},
                 "labels": {"Speech": {"threshold": 0.5, "onset_windows": 1}}}
                """);
        start(rules);
        java.util.Random random = new java.util.Random(7);
        String[] labels = {"Speech", "Dog", "Bark", "Cat", "Music"};
        for (int stream = 0; stream < 3; stream++) {
            for (int second = 0; second < 60; second++) {
                Map<String, Float> s = new LinkedHashMap<>();
                for (String label : labels) {
                    if (random.nextInt(3) > 0) {
                        s.put(label, random.nextFloat());
                    }
                }
                pipe("r" + stream, second, -60f + random.nextFloat() * 50f, second == 59 && stream < 2, s);
            }
        }
        harness.driver().advanceWallClockTime(Duration.ofSeconds(31));       // r2 never ended: inactivity closes it
        List<TagEvent> events = tags.readValuesToList();
        Map<String, Integer> open = new LinkedHashMap<>();
        for (TagEvent e : events) {
            String key = e.getStreamId() + "/" + e.getLabel() + "/" + e.getOnsetMicros();
            open.merge(key, e.getKind() == EventKind.ONSET ? 1 : -1, Integer::sum);
            assertThat(open.get(key)).isBetween(0, 1);
            if (e.getKind() == EventKind.OFFSET) {
                assertThat(e.getOffsetMicros()).isGreaterThan(e.getOnsetMicros());
            }
        }
        assertThat(events).hasSizeGreaterThan(20);
        assertThat(open.values()).containsOnly(0);
        assertThat(events).extracting(TagEvent::getLabel).doesNotContain("Bark");
        for (int stream = 0; stream < 3; stream++) {
            assertNoState("r" + stream);
        }
    }
}
