package io.hearken.sinks.captions;

import static io.hearken.sinks.testing.WindowFixtures.SECOND;
import static io.hearken.sinks.testing.WindowFixtures.T0;
import static io.hearken.sinks.testing.WindowFixtures.classScores;
import static io.hearken.sinks.testing.WindowFixtures.pipeAtWindowEnd;
import static io.hearken.sinks.testing.WindowFixtures.scores;
import static io.hearken.sinks.testing.WindowFixtures.twoSecondWindow;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.sinks.tags.TagEventTopology;
import io.hearken.sinks.tags.TagRules;
import io.hearken.sinks.testing.TopologyHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Caption events through TopologyTestDriver with explicit event times: 2 s windows, one per second of audio. */
class CaptionTopologyTest {
    @RegisterExtension
    static final TopologyHarness harness = new TopologyHarness("caption-test");

    private TestInputTopic<String, WindowResult> windows;
    private TestOutputTopic<String, CaptionEvent> captions;

    private void start(Topology topology) throws Exception {
        harness.start(topology);
        windows = harness.input(harness.topics().windows);
        captions = harness.output(harness.topics().captions);
    }

    private void start(CaptionSettings settings, Captioner captioner) throws Exception {
        start(CaptionTopology.buildTopology(harness.topics(), TagRules.defaults(), settings, captioner));
    }

    private void start() throws Exception {
        start(CaptionSettings.defaults(), new GrammarCaptioner());
    }

    private void pipe(String stream, int second, float dbfs, boolean last, Map<String, Float> scores) {
        SourceMetadata source = SourceMetadata.newBuilder().setDevice("mic-" + stream).setLocation("kitchen").build();
        pipeAtWindowEnd(windows, twoSecondWindow(stream, second, dbfs, last, classScores(scores, label -> 7), source));
    }

    private void pipe(String stream, int second, Map<String, Float> scores) {
        pipe(stream, second, -25f, false, scores);
    }

    private static String span(CaptionEvent e) {
        return (e.getStartMicros() - T0) / SECOND + "-" + (e.getEndMicros() - T0) / SECOND + " " + e.getCaption();
    }

    private void assertNoState(String stream) {
        KeyValueStore<String, CaptionStreamState> store = harness.driver().getKeyValueStore(CaptionTopology.STORE);
        assertThat(store.get(stream)).isNull();
    }

    @Test
    void theIssuesExampleEveryTenSecondsOfAudio() throws Exception {
        start();
        for (int s = 0; s < 9; s++) {        // windows [s, s+2]: the 9th ends at 10 s
            Map<String, Float> w = scores("Speech", 0.8);
            if (s == 0 || s == 3) {
                w.put("Cat", 0.7f);           // two meows, each closed by the hold-off
            }
            if (s == 6 || s == 7) {
                w.put("Alarm clock", 0.9f);   // still ringing at the cut
            }
            pipe("k", s, w);
        }
        List<CaptionEvent> events = captions.readValuesToList();
        assertThat(events).extracting(CaptionTopologyTest::span)
                .containsExactly("0-10 A cat meows twice, then an alarm clock rings over speech.");
        CaptionEvent e = events.get(0);
        assertThat(e.getEventId()).isEqualTo("k/caption/" + T0);
        assertThat(e.getStreamId()).isEqualTo("k");
        assertThat(e.getCaptioner()).isEqualTo(GrammarCaptioner.NAME);
        assertThat(e.getSource().getDevice()).isEqualTo("mic-k");
        assertThat(e.getSource().getLocation()).isEqualTo("kitchen");
    }

    @Test
    void longSoundIsCaptionedEveryPeriodAndAtEndOfStream() throws Exception {
        start();
        for (int s = 0; s < 24; s++) {       // speech for 25 s of audio
            pipe("k", s, -25f, s == 23, scores("Speech", 0.9));
        }
        assertThat(captions.readValuesToList()).extracting(CaptionTopologyTest::span).containsExactly(
                "0-10 Someone speaks throughout.",
                "10-20 Someone speaks throughout.",
                "20-25 Someone speaks throughout.");
        assertNoState("k");
    }

    @Test
    void aBurstIsCaptionedWhenItEndsAndQuietSpansAreSkipped() throws Exception {
        start();
        for (int s = 0; s < 30; s++) {
            boolean dog = s == 3 || s == 4;                  // heard 3-6 s, closed by the hold-off at 8 s
            boolean siren = s >= 20 && s <= 21;               // heard 20-23 s, closed at 25 s
            Map<String, Float> w = dog ? scores("Bark", 0.8) : siren ? scores("Siren", 0.8) : scores("Wind", 0.1);
            pipe("k", s, siren ? -8f : -25f, s == 29, w);
        }
        assertThat(captions.readValuesToList()).extracting(CaptionTopologyTest::span).containsExactly(
                "0-8 A dog barks.",
                "18-25 A siren wails loudly.");
        assertNoState("k");
    }

    @Test
    void inactivityCaptionsWhatWasHeardAndDropsTheStream() throws Exception {
        start();
        pipe("dead", 0, scores("Cough", 0.9));
        pipe("dead", 1, scores("Cough", 0.9));
        pipe("dead", 2, scores("Cough", 0.9));
        assertThat(captions.isEmpty()).isTrue();
        harness.driver().advanceWallClockTime(Duration.ofSeconds(31));
        assertThat(captions.readValuesToList()).extracting(CaptionTopologyTest::span)
                .containsExactly("0-4 Someone coughs throughout.");
        assertNoState("dead");
    }

    @Test
    void emptySpansAreCaptionedOnRequest() throws Exception {
        start(new CaptionSettings(Duration.ofSeconds(5), true, true, null), new GrammarCaptioner());
        for (int s = 0; s < 8; s++) {
            pipe("q", s, s < 4 ? -25f : -70f, s == 7, scores("Wind", 0.1));
        }
        assertThat(captions.readValuesToList()).extracting(CaptionTopologyTest::span).containsExactly(
                "0-5 Nothing distinct is heard.",
                "5-9 It is quiet.");
    }

    @Test
    void aFailingCaptionerLosesOnlyItsSpan() throws Exception {
        Captioner flaky = new Captioner() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public String caption(TagTimeline timeline) {
                if (timeline.streamId().equals("bad")) {
                    throw new IllegalStateException("model unavailable");
                }
                return timeline.tags().size() + " tags";
            }
        };
        start(CaptionSettings.defaults(), flaky);
        pipe("bad", 0, -25f, true, scores("Cat", 0.9));
        pipe("good", 0, -25f, true, scores("Cat", 0.9, "Dog", 0.9));
        assertThat(captions.readValuesToList()).extracting(e -> e.getStreamId() + ": " + e.getCaption() + " by " + e.getCaptioner())
                .containsExactly("good: 2 tags by flaky");
        assertNoState("bad");
    }

    @Test
    void tagsAndCaptionsRunInOneTopologyUnderOneSource() throws Exception {
        TagRules rules = TagRules.builder().group("dog", "Dog", "Bark").build();
        HearkenTopics topics = harness.topics();
        Topology topology = TagEventTopology.buildTopology(topics, rules);
        CaptionTopology.attach(topology, TagEventTopology.SOURCE, topics, rules, CaptionSettings.defaults(), new GrammarCaptioner());
        start(topology);
        TestOutputTopic<String, TagEvent> tags = harness.output(topics.tags);
        pipe("k", 0, scores("Bark", 0.9));
        pipe("k", 1, -25f, true, scores("Bark", 0.9));
        assertThat(tags.readValuesToList()).extracting(e -> e.getKind() + " " + e.getLabel())
                .containsExactly(EventKind.ONSET + " dog", EventKind.OFFSET + " dog");
        assertThat(captions.readValuesToList()).extracting(CaptionTopologyTest::span).containsExactly("0-3 A dog barks.");
    }
}
