package io.hearken.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.TagEvent;
import java.util.Locale;

/** How the demo prints events: one readable line each, or one JSON object per line. */
final class EventFormatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean json;
    /** Capture time of the ingested files' first sample: event times are printed relative to it. */
    private final long originMicros;

    EventFormatter(boolean json, long originMicros) {
        this.json = json;
        this.originMicros = originMicros;
    }

    String tag(TagEvent e) {
        double onset = seconds(e.getOnsetMicros());
        Double offset = e.getOffsetMicros() == null ? null : seconds(e.getOffsetMicros());
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "tag");
            node.put("kind", e.getKind().name());
            node.put("stream", e.getStreamId());
            node.put("label", e.getLabel());
            node.put("class_index", e.getClassIndex());
            node.put("onset_s", onset);
            if (offset != null) {
                node.put("offset_s", offset);
            }
            node.put("peak_score", round(e.getPeakScore()));
            node.put("mean_score", round(e.getMeanScore()));
            if (e.getClosedBy() != null) {
                node.put("closed_by", e.getClosedBy());
            }
            node.put("event_id", e.getEventId());
            node.put("onset_micros", e.getOnsetMicros());
            return node.toString();
        }
        if (e.getKind() == EventKind.ONSET) {
            return String.format(Locale.ROOT, "%-28s %-6s %-32s at %6.1f s  score %.2f", e.getStreamId(), "ONSET",
                    e.getLabel(), onset, e.getPeakScore());
        }
        return String.format(Locale.ROOT, "%-28s %-6s %-32s %6.1f-%.1f s  peak %.2f mean %.2f (%s)", e.getStreamId(),
                "OFFSET", e.getLabel(), onset, offset, e.getPeakScore(), e.getMeanScore(), e.getClosedBy());
    }

    String caption(CaptionEvent c) {
        double start = seconds(c.getStartMicros());
        double end = seconds(c.getEndMicros());
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "caption");
            node.put("stream", c.getStreamId());
            node.put("start_s", start);
            node.put("end_s", end);
            node.put("caption", c.getCaption());
            node.put("captioner", c.getCaptioner());
            node.put("event_id", c.getEventId());
            return node.toString();
        }
        return String.format(Locale.ROOT, "%-28s %-6s %6.1f-%.1f s  %s", c.getStreamId(), "SAYS", start, end, c.getCaption());
    }

    String anomaly(AnomalyEvent e) {
        double onset = seconds(e.getOnsetMicros());
        Double offset = e.getOffsetMicros() == null ? null : seconds(e.getOffsetMicros());
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "anomaly");
            node.put("kind", e.getKind().name());
            node.put("stream", e.getStreamId());
            node.put("onset_s", onset);
            if (offset != null) {
                node.put("offset_s", offset);
            }
            node.put("peak_score", round(e.getPeakScore()));
            node.put("threshold", round(e.getThreshold()));
            node.put("feature", e.getFeatureName());
            if (e.getClosedBy() != null) {
                node.put("closed_by", e.getClosedBy());
            }
            node.put("event_id", e.getEventId());
            return node.toString();
        }
        if (e.getKind() == EventKind.ONSET) {
            return String.format(Locale.ROOT, "%-28s %-6s %-32s at %6.1f s  score %.2f (threshold %.2f)",
                    e.getStreamId(), "ONSET", "anomaly", onset, e.getPeakScore(), e.getThreshold());
        }
        return String.format(Locale.ROOT, "%-28s %-6s %-32s %6.1f-%.1f s  peak %.2f (%s)", e.getStreamId(), "OFFSET",
                "anomaly", onset, offset, e.getPeakScore(), e.getClosedBy());
    }

    String deadLetter(DeadLetter d) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "dead_letter");
            node.put("topic", d.getOriginalTopic());
            node.put("partition", d.getOriginalPartition());
            node.put("offset", d.getOriginalOffset());
            node.put("stage", d.getStage());
            node.put("error", d.getErrorMessage());
            return node.toString();
        }
        return "dead letter from " + d.getOriginalTopic() + "-" + d.getOriginalPartition() + "@" + d.getOriginalOffset()
                + " (" + d.getStage() + "): " + d.getErrorMessage();
    }

    private double seconds(long micros) {
        return Math.round((micros - originMicros) / 1000.0) / 1000.0;
    }

    private static double round(float score) {
        return Math.round(score * 10000.0) / 10000.0;
    }
}
