package io.hearken.sinks.alerts;

import io.hearken.schemas.EventKind;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When an event is sent to an endpoint. All given conditions must hold.
 *
 * @param name      the rule's name (reported to the receiver in the {@code hearkenrules} CloudEvents attribute)
 * @param type      which event stream it watches
 * @param labels    tag labels or label groups, compared ignoring case; empty = any
 * @param streams   stream ids or globs ({@code line-3-*}); empty = any
 * @param minScore  the event's peak score must be at least this; {@code null} = any (never set for captions)
 * @param onsetOnly only ONSET events (the default for tags and anomalies); false = ONSET and OFFSET
 * @param endpoint  name of the endpoint it sends to
 */
public record AlertRule(String name, AlertEventType type, Set<String> labels, List<StreamPattern> streams,
                        Float minScore, boolean onsetOnly, String endpoint) {

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        labels = labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        streams = List.copyOf(streams);
        Objects.requireNonNull(endpoint, "endpoint");
    }

    public boolean matches(AlertEvent event) {
        if (event.type() != type) {
            return false;
        }
        if (onsetOnly && event.kind() != EventKind.ONSET) {
            return false;
        }
        if (minScore != null && (event.score() == null || event.score() < minScore)) {
            return false;
        }
        if (!labels.isEmpty() && event.labels().stream().noneMatch(l -> labels.contains(l.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        return streams.isEmpty() || streams.stream().anyMatch(p -> p.matches(event.streamId()));
    }
}
