package io.hearken.job;

import io.hearken.error.HearkenException;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the job puts each stream's chunks back in order.
 *
 * @param reorderBound   how far (event time) a chunk may arrive behind a later one and still be put in order
 *                       ({@code job.reorder.bound.ms}, default 2 s); the watermark's out-of-orderness
 * @param maxReorderChunks most chunks held waiting for a missing one ({@code job.reorder.max.chunks}, default 64):
 *                       bounds memory per stream whatever the clock does
 * @param maxGapFill     missing audio up to this long is replaced by silence and the affected windows marked
 *                       ({@code job.gap.fill.max.ms}, default 5 s); a longer gap restarts the stream's analysis
 * @param idleTimeout    a source partition without records for this long stops holding back the watermark
 *                       ({@code job.source.idle.timeout.ms}, default 5 s)
 */
public record ReassemblySettings(Duration reorderBound, int maxReorderChunks, Duration maxGapFill, Duration idleTimeout)
        implements Serializable {
    public static final ReassemblySettings DEFAULT = new ReassemblySettings(Duration.ofSeconds(2), 64,
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    public ReassemblySettings {
        if (reorderBound == null || reorderBound.isNegative()) {
            throw HearkenException.config("job.reorder.bound.ms must be >= 0, got " + reorderBound);
        }
        if (maxReorderChunks < 1 || maxReorderChunks > 10_000) {
            throw HearkenException.config("job.reorder.max.chunks must be in 1..10000, got " + maxReorderChunks);
        }
        if (maxGapFill == null || maxGapFill.isNegative() || maxGapFill.toSeconds() > 60) {
            throw HearkenException.config("job.gap.fill.max.ms must be in 0..60000, got " + maxGapFill);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw HearkenException.config("job.source.idle.timeout.ms must be > 0, got " + idleTimeout);
        }
    }
}
