package io.hearken.sinks.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.schemas.EventKind;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudEventsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AlertRule RULE = AlertRulesTest.example().rules().get(0);

    private static JsonNode render(AlertEvent e, List<AlertRule> rules) throws Exception {
        return MAPPER.readTree(CloudEvents.render(e, rules));
    }

    @Test
    void rendersATagOnsetAsAStructuredCloudEvent() throws Exception {
        AlertEvent e = AlertEvent.of(AlertFixtures.tag("line-3-east", "Dog", EventKind.ONSET, 0.75f,
                AlertFixtures.T0 + 3_250_001L));
        JsonNode ce = render(e, List.of(RULE));

        assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.get("id").asText()).isEqualTo(e.eventId()).isEqualTo("line-3-east/Dog/1735732803250001/ONSET");
        assertThat(ce.get("source").asText()).isEqualTo("/hearken/streams/line-3-east");
        assertThat(ce.get("type").asText()).isEqualTo("io.hearken.tag.onset");
        assertThat(ce.get("subject").asText()).isEqualTo("line-3-east");
        assertThat(ce.get("time").asText()).isEqualTo("2025-01-01T12:00:03.250001Z");
        assertThat(OffsetDateTime.parse(ce.get("time").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant())
                .as("RFC 3339").isEqualTo(e.time());
        assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(ce.get("hearkenrules").asText()).isEqualTo("dogs-on-line-3");

        JsonNode data = ce.get("data");
        assertThat(data.get("eventId").asText()).isEqualTo(e.eventId());
        assertThat(data.get("kind").asText()).isEqualTo("ONSET");
        assertThat(data.get("label").asText()).isEqualTo("Dog");
        assertThat(data.get("peakScore").asDouble()).isEqualTo(0.75);
        assertThat(data.get("onsetMicros").asLong()).isEqualTo(AlertFixtures.T0 + 3_250_001L);
        assertThat(data.get("offsetMicros").isNull()).isTrue();
        assertThat(data.get("windowIds").isArray()).isTrue();
        assertThat(data.get("windowIds").get(0).asText()).isEqualTo("line-3-east@" + (AlertFixtures.T0 + 3_250_001L));
        assertThat(data.get("source").get("device").asText()).isEqualTo("mic-line-3-east");
        assertThat(data.get("source").get("location").asText()).isEqualTo("plant 2, line 3");
        assertThat(data.get("source").get("attributes").get("machine").asText()).isEqualTo("press-7");
    }

    @Test
    void typesAndTimesFollowTheEventKind() throws Exception {
        AlertEvent tagOffset = AlertEvent.of(AlertFixtures.tag("s", "Dog", EventKind.OFFSET, 0.9f, AlertFixtures.T0));
        JsonNode ce = render(tagOffset, List.of());
        assertThat(ce.get("type").asText()).isEqualTo("io.hearken.tag.offset");
        assertThat(ce.get("time").asText()).as("offset time").isEqualTo("2025-01-01T12:00:02.500Z");
        assertThat(ce.get("data").get("offsetMicros").asLong()).isEqualTo(AlertFixtures.T0 + 2_500_000L);
        assertThat(ce.has("hearkenrules")).isFalse();

        AlertEvent anomaly = AlertEvent.of(AlertFixtures.anomaly("press 7/ü", EventKind.ONSET, 0.5f, AlertFixtures.T0));
        ce = render(anomaly, List.of());
        assertThat(ce.get("type").asText()).isEqualTo("io.hearken.anomaly.onset");
        assertThat(ce.get("source").asText()).isEqualTo("/hearken/streams/press%207%2F%C3%BC");
        assertThat(ce.get("subject").asText()).isEqualTo("press 7/ü");
        assertThat(ce.get("data").get("threshold").asDouble()).isEqualTo(0.25);
        assertThat(ce.get("data").get("featureName").asText()).isEqualTo("mid");

        AlertEvent caption = AlertEvent.of(AlertFixtures.caption("s", "A dog barks twice.", AlertFixtures.T0));
        ce = render(caption, List.of());
        assertThat(ce.get("type").asText()).isEqualTo("io.hearken.caption");
        assertThat(ce.get("time").asText()).as("end of the captioned stretch").isEqualTo("2025-01-01T12:00:10Z");
        assertThat(ce.get("data").get("caption").asText()).isEqualTo("A dog barks twice.");
    }

    @Test
    void alertEventsCarryWhatRulesLookAt() {
        AlertEvent tag = AlertEvent.of(AlertFixtures.onset("s", "Dog", 0.7f, 0));
        assertThat(tag.type()).isEqualTo(AlertEventType.TAG);
        assertThat(tag.labels()).containsExactly("Dog");
        assertThat(tag.score()).isEqualTo(0.7f);
        assertThat(tag.kind()).isEqualTo(EventKind.ONSET);
        AlertEvent caption = AlertEvent.of(AlertFixtures.caption("s", "x", AlertFixtures.T0));
        assertThat(caption.kind()).isNull();
        assertThat(caption.score()).isNull();
    }
}
