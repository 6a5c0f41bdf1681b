package io.hearken.sinks.alerts;

import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.TagEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * One event from any of the event topics, seen the way alert rules look at it.
 *
 * @param type     which event stream it came from
 * @param eventId  the event's unique, stable id: the CloudEvents id and the Idempotency-Key
 * @param streamId the stream that fired
 * @param kind     ONSET or OFFSET; null for captions
 * @param labels   what a tag event is about: its label and, where the schema has one, its label group; empty otherwise
 * @param score    the peak score; null for captions
 * @param time     when it happened: onset time for onsets, offset time for offsets, end time for captions
 * @param record   the Avro record itself, rendered as the CloudEvent's data
 */
public record AlertEvent(AlertEventType type, String eventId, String streamId, EventKind kind, List<String> labels,
                         Float score, Instant time, SpecificRecord record) {

    public AlertEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(record, "record");
        labels = List.copyOf(labels);
    }

    public static AlertEvent of(TagEvent e) {
        List<String> labels = new ArrayList<>(2);
        labels.add(e.getLabel().toString());
        optionalString(e, "group").ifPresent(labels::add); // label groups, where the tag schema carries them
        return new AlertEvent(AlertEventType.TAG, e.getEventId().toString(), e.getStreamId().toString(), e.getKind(),
                labels, e.getPeakScore(), kindTime(e.getKind(), e.getOnsetMicros(), e.getOffsetMicros()), e);
    }

    public static AlertEvent of(AnomalyEvent e) {
        return new AlertEvent(AlertEventType.ANOMALY, e.getEventId().toString(), e.getStreamId().toString(),
                e.getKind(), List.of(), e.getPeakScore(),
                kindTime(e.getKind(), e.getOnsetMicros(), e.getOffsetMicros()), e);
    }

    public static AlertEvent of(CaptionEvent e) {
        return new AlertEvent(AlertEventType.CAPTION, e.getEventId().toString(), e.getStreamId().toString(), null,
                List.of(), null, micros(e.getEndMicros()), e);
    }

    /** Any of the three event records. */
    public static AlertEvent of(SpecificRecord record) {
        if (record instanceof TagEvent t) {
            return of(t);
        }
        if (record instanceof AnomalyEvent a) {
            return of(a);
        }
        if (record instanceof CaptionEvent c) {
            return of(c);
        }
        throw new IllegalArgumentException("not an event record: " + record.getClass().getName());
    }

    private static Instant kindTime(EventKind kind, long onsetMicros, Long offsetMicros) {
        return micros(kind == EventKind.OFFSET && offsetMicros != null ? offsetMicros : onsetMicros);
    }

    static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static java.util.Optional<String> optionalString(SpecificRecord r, String field) {
        Schema.Field f = r.getSchema().getField(field);
        if (f == null) {
            return java.util.Optional.empty();
        }
        Object v = r.get(f.pos());
        return v instanceof CharSequence s && s.length() > 0 ? java.util.Optional.of(s.toString()) : java.util.Optional.empty();
    }
}
