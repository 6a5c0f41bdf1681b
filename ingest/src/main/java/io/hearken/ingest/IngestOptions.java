package io.hearken.ingest;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How files become chunk streams: the {@code ingest} settings ({@link #CONFIG}) and the capture start time.
 *
 * @param chunkDuration audio per chunk ({@link #CHUNK_DURATION})
 * @param maxChunkBytes upper bound on one chunk's sample bytes ({@link #MAX_CHUNK_BYTES})
 * @param profile       stream profile every published stream uses ({@link #PROFILE})
 * @param captureStart  capture time given to the first sample of every file
 */
public record IngestOptions(Duration chunkDuration, int maxChunkBytes, String profile, Instant captureStart) {
    public static final Duration DEFAULT_CHUNK_DURATION = Duration.ofMillis(500);
    public static final int DEFAULT_MAX_CHUNK_BYTES = 512 * 1024;

    public static final Field<Duration> CHUNK_DURATION = Field.duration("ingest.chunk.duration")
            .withDefault(DEFAULT_CHUNK_DURATION)
            .withValidator(Validators.range(Duration.ofMillis(10), Duration.ofSeconds(10)))
            .withDescription("Audio per published chunk: small enough for low latency (a window is complete only "
                    + "once the chunk after its end arrives), large enough that per-message overhead stays negligible.");
    public static final Field<Integer> MAX_CHUNK_BYTES = Field.integer("ingest.max.chunk.bytes")
            .withDefault(DEFAULT_MAX_CHUNK_BYTES).withUnit("bytes")
            .withValidator(Validators.atLeast(1024))
            .withDescription("Upper bound on one chunk's sample bytes; the default stays far below Kafka's 1 MiB "
                    + "message limit even at 192 kHz x 8 channels. Wide, fast audio gets shorter chunks.");
    public static final Field<String> PROFILE = Field.string("ingest.profile").withDefault("default")
            .withValidator(Validators.matching("[A-Za-z0-9._-]+", "a name of letters, digits, '.', '_' and '-'"))
            .withDescription("Stream profile of the published streams: default (2 s windows, 1 s hop) or machine "
                    + "(1 s / 0.5 s, monitored by the anomaly sink); must be one of the job's profiles.");

    /** The ingest group: chunking above, the producer's batching ({@link IngestProducers}) below. */
    public static final ConfigGroup CONFIG = ConfigGroup.of("ingest", "How audio is cut into chunks and published.",
            CHUNK_DURATION, MAX_CHUNK_BYTES, PROFILE, IngestProducers.LINGER, IngestProducers.BATCH_SIZE);

    public IngestOptions {
        // Programmatic callers (bench, tests) get the same checks as configured values.
        chunkDuration = valid(CHUNK_DURATION, chunkDuration);
        maxChunkBytes = valid(MAX_CHUNK_BYTES, maxChunkBytes);
        profile = valid(PROFILE, profile);
        if (captureStart == null) {
            throw HearkenException.config("ingest capture start time is missing");
        }
    }

    /** The ingest settings of {@code config}, with {@code captureStart} for the first sample of every file. */
    public static IngestOptions from(HearkenConfig config, Instant captureStart) {
        return new IngestOptions(config.get(CHUNK_DURATION), config.get(MAX_CHUNK_BYTES), config.get(PROFILE), captureStart);
    }

    /** Every setting at its default, capture starting now. */
    public static IngestOptions defaults() {
        return from(HearkenConfig.fromRaw(List.of(CONFIG), Map.of()), Instant.now());
    }

    /** Checks a value as the loader would, so the bounds are declared once, on the field. */
    static <T> T valid(Field<T> field, T value) {
        if (value == null) {
            throw HearkenException.config(field.key() + " is missing");
        }
        try {
            return field.parse(field.format(value));
        } catch (IllegalArgumentException e) {
            throw HearkenException.config(field.key() + ": " + e.getMessage());
        }
    }
}
