package io.hearken.sinks.tags;

import io.hearken.schemas.EventKind;

/**
 * One onset or offset decided by {@link TagTracker}.
 *
 * @param label        event label: an AudioSet label or a group name
 * @param tag          the tag's evidence so far (a snapshot is taken when it is turned into an event)
 * @param closedBy     for an OFFSET: hold-off, end-of-stream or inactivity
 * @param offsetMicros for an OFFSET: end of the last window that heard the label
 */
public record TagTransition(String label, EventKind kind, OpenTag tag, String closedBy, long offsetMicros) {
}
