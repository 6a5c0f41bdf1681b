package io.hearken.ingest;

import io.hearken.error.HearkenException;
import java.time.Duration;
import java.time.Instant;

/**
 * How files become chunk streams.
 *
 * @param chunkDuration  audio per chunk ({@code ingest.chunk.duration.ms}, default 500 ms): small enough for low latency,
 *                       large enough that per-message overhead stays negligible
 * @param maxChunkBytes  upper bound on one chunk's sample bytes ({@code ingest.chunk.max.bytes}, default 512 KiB), far
 *                       below Kafka's default 1 MiB message limit even at 192 kHz x 8 channels
 * @param profile        stream profile every published stream uses ({@code ingest.profile}, default "default")
 * @param captureStart   capture time given to the first sample of every file (default: now)
 */
public record IngestOptions(Duration chunkDuration, int maxChunkBytes, String profile, Instant captureStart) {
    public static final Duration DEFAULT_CHUNK_DURATION = Duration.ofMillis(500);
    public static final int DEFAULT_MAX_CHUNK_BYTES = 512 * 1024;

    public IngestOptions {
        if (chunkDuration == null || chunkDuration.toMillis() < 10 || chunkDuration.toSeconds() > 10) {
            throw HearkenException.config("ingest.chunk.duration.ms must be between 10 and 10000, got " + chunkDuration);
        }
        if (maxChunkBytes < 1024) {
            throw HearkenException.config("ingest.chunk.max.bytes must be at least 1024, got " + maxChunkBytes);
        }
        if (profile == null || profile.isBlank()) {
            throw HearkenException.config("ingest.profile must not be blank");
        }
        if (captureStart == null) {
            throw HearkenException.config("ingest capture start time is missing");
        }
    }

    public static IngestOptions defaults() {
        return new IngestOptions(DEFAULT_CHUNK_DURATION, DEFAULT_MAX_CHUNK_BYTES, "default", Instant.now());
    }
}
