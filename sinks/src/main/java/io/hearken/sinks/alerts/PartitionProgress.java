package io.hearken.sinks.alerts;

import java.util.TreeSet;

/**
 * What of one partition may be acknowledged: the offsets read but not finished (their deliveries still queued, in
 * flight, retrying or waiting for a free slot). The committable offset is the lowest unfinished one, or, when none is
 * unfinished, the consumer's position; so a commit never covers an event whose deliveries are not all complete.
 */
final class PartitionProgress {
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long committed = -1L;

    void track(long offset) {
        unfinished.add(offset);
    }

    void complete(long offset) {
        unfinished.remove(offset);
    }

    int unfinished() {
        return unfinished.size();
    }

    /** The offset to commit given the consumer's position, or -1 if it would not move the committed offset. */
    long commitPoint(long position) {
        long point = unfinished.isEmpty() ? position : unfinished.first();
        return point > committed ? point : -1L;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
