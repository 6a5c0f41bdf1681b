package io.hearken.job;

import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the job puts each stream's chunks back in order. Part of {@link JobSettings#CONFIG}.
 *
 * @param reorderBound     how far (event time) a chunk may arrive behind a later one and still be put in order
 *                         ({@code job.reassembly.reorder.bound}); the watermark's out-of-orderness
 * @param maxReorderChunks most chunks held waiting for a missing one ({@code job.reassembly.max.reorder.chunks})
 * @param maxGapFill       missing audio up to this long is replaced by silence ({@code job.reassembly.max.gap.fill})
 * @param idleTimeout      a quiet source partition stops holding back the watermark ({@code job.reassembly.idle.timeout})
 */
public record ReassemblySettings(Duration reorderBound, int maxReorderChunks, Duration maxGapFill, Duration idleTimeout)
        implements Serializable {
    private static final Duration MAX_REORDER_BOUND = Duration.ofMinutes(10);
    private static final int MAX_REORDER_CHUNKS_LIMIT = 10_000;
    private static final Duration MAX_GAP_FILL_LIMIT = Duration.ofSeconds(60);

    public static final Field<Duration> REORDER_BOUND = Field.duration("job.reassembly.reorder.bound")
            .withDefault(Duration.ofSeconds(2))
            .withValidator(Validators.atMost(MAX_REORDER_BOUND))
            .withDescription("How far behind a later chunk (capture time) a chunk may arrive and still be put in order; "
                    + "also the watermark's out-of-orderness, so chunks later than this are dead-lettered as late.");
    public static final Field<Integer> MAX_REORDER_CHUNKS = Field.integer("job.reassembly.max.reorder.chunks")
            .withDefault(64).withUnit("chunks")
            .withValidator(Validators.range(1, MAX_REORDER_CHUNKS_LIMIT))
            .withDescription("Most chunks of one stream held waiting for a missing one: bounds memory per stream "
                    + "whatever the clocks do.");
    public static final Field<Duration> MAX_GAP_FILL = Field.duration("job.reassembly.max.gap.fill")
            .withDefault(Duration.ofSeconds(5))
            .withValidator(Validators.atMost(MAX_GAP_FILL_LIMIT))
            .withDescription("Missing audio up to this long is replaced by silence and the windows over it marked; "
                    + "a longer gap restarts the stream's analysis.");
    public static final Field<Duration> IDLE_TIMEOUT = Field.duration("job.reassembly.idle.timeout")
            .withDefault(Duration.ofSeconds(5))
            .withValidator(Validators.atLeast(Duration.ofMillis(1)))
            .withDescription("A source partition without records for this long stops holding back the watermark, "
                    + "so quiet partitions do not stall the streams of the others.");

    public static final ReassemblySettings DEFAULT = new ReassemblySettings(REORDER_BOUND.defaultValue().orElseThrow(),
            MAX_REORDER_CHUNKS.defaultValue().orElseThrow(), MAX_GAP_FILL.defaultValue().orElseThrow(),
            IDLE_TIMEOUT.defaultValue().orElseThrow());

    public ReassemblySettings {
        if (reorderBound == null || reorderBound.isNegative() || reorderBound.compareTo(MAX_REORDER_BOUND) > 0) {
            throw HearkenException.config(REORDER_BOUND.key() + " must be between 0 and 10m, got " + reorderBound);
        }
        if (maxReorderChunks < 1 || maxReorderChunks > MAX_REORDER_CHUNKS_LIMIT) {
            throw HearkenException.config(MAX_REORDER_CHUNKS.key() + " must be between 1 and 10000, got " + maxReorderChunks);
        }
        if (maxGapFill == null || maxGapFill.isNegative() || maxGapFill.compareTo(MAX_GAP_FILL_LIMIT) > 0) {
            throw HearkenException.config(MAX_GAP_FILL.key() + " must be between 0 and 1m, got " + maxGapFill);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw HearkenException.config(IDLE_TIMEOUT.key() + " must be positive, got " + idleTimeout);
        }
    }

    /** Reads the reassembly settings; {@code config} must include {@link JobSettings#CONFIG}. */
    public static ReassemblySettings from(HearkenConfig config) {
        return new ReassemblySettings(config.get(REORDER_BOUND), config.get(MAX_REORDER_CHUNKS),
                config.get(MAX_GAP_FILL), config.get(IDLE_TIMEOUT));
    }
}
