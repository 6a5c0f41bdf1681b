package io.hearken.sinks.anomaly;

/**
 * One window's feature vector in an enrolment bank, with where it came from: its segment (the stream, or the file an
 * offline enrolment read) and its time range. The time range lets the threshold leave out a window's temporal
 * neighbours ({@link AnomalyScorer#areNeighbours}). Also the value of the topology's bank store (JSON).
 *
 * @param segment     continuous piece of audio the window belongs to (stream id, or {@code file:<name>})
 * @param startMicros start of the window, microseconds (any origin, consistent within a segment)
 * @param endMicros   end of the window
 * @param values      the feature vector (not copied; treat as read-only)
 */
public record EnrolmentVector(String segment, long startMicros, long endMicros, float[] values) {
    public EnrolmentVector {
        if (segment == null) {
            throw new IllegalArgumentException("segment must not be null");
        }
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("enrolment vector of " + segment + " has no values");
        }
        if (endMicros < startMicros) {
            throw new IllegalArgumentException("enrolment vector of " + segment + " ends before it starts: "
                    + startMicros + " > " + endMicros);
        }
    }
}
