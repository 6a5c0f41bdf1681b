package io.hearken.sinks.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.EventKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An event as a CloudEvents 1.0 JSON document in structured mode (Content-Type {@value #CONTENT_TYPE}):
 *
 * <pre>{@code
 * {"specversion": "1.0", "id": "<eventId>", "source": "/hearken/streams/<streamId>",
 *  "type": "io.hearken.tag.onset", "subject": "<streamId>", "time": "2025-01-01T12:00:03.250Z",
 *  "datacontenttype": "application/json", "hearkenrules": "dogs-on-line-3",
 *  "data": { ...the event record as JSON... }}
 * }</pre>
 *
 * Types: {@code io.hearken.tag.onset|offset}, {@code io.hearken.anomaly.onset|offset}, {@code io.hearken.caption}.
 * The extension attribute {@code hearkenrules} lists the rules (comma-separated) that sent it to this endpoint.
 */
public final class CloudEvents {
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE_PREFIX = "/hearken/streams/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CloudEvents() {
    }

    public static String type(AlertEvent event) {
        String base = "io.hearken." + event.type().configName();
        return event.kind() == null ? base : base + "." + (event.kind() == EventKind.ONSET ? "onset" : "offset");
    }

    public static String source(String streamId) {
        return SOURCE_PREFIX + URLEncoder.encode(streamId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static ObjectNode toJson(AlertEvent event, List<AlertRule> matchedRules) {
        ObjectNode ce = MAPPER.createObjectNode();
        ce.put("specversion", SPEC_VERSION);
        ce.put("id", event.eventId());
        ce.put("source", source(event.streamId()));
        ce.put("type", type(event));
        ce.put("subject", event.streamId());
        ce.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time())); // RFC 3339, UTC
        ce.put("datacontenttype", "application/json");
        if (!matchedRules.isEmpty()) {
            ce.put("hearkenrules", matchedRules.stream().map(AlertRule::name).distinct().collect(Collectors.joining(",")));
        }
        ce.set("data", AvroJson.toJson(event.record()));
        return ce;
    }

    public static byte[] render(AlertEvent event, List<AlertRule> matchedRules) {
        try {
            return MAPPER.writeValueAsBytes(toJson(event, matchedRules));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new HearkenException(ErrorKind.INTERNAL, "cannot render " + event.type().name().toLowerCase(Locale.ROOT)
                    + " event " + event.eventId() + " as a CloudEvent: " + e.getMessage(), e);
        }
    }
}
