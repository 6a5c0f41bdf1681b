package io.hearken.inference.engine;

import io.hearken.config.HearkenConfig;
import io.hearken.error.HearkenException;

import java.io.Serializable;
import java.time.Duration;

/**
 * Dynamic batching limits of a {@link BatchingPredictor}: a batch of same-length windows runs as soon as it holds
 * {@code maxBatchSize} windows or its oldest window has waited {@code maxWait}. Configured by
 * {@link EngineSettings#BATCH_MAX_SIZE} and {@link EngineSettings#BATCH_MAX_WAIT}.
 *
 * @param maxBatchSize windows per session run, 1..{@value #MAX_BATCH}
 * @param maxWait      longest a window waits for company, 0..{@value #MAX_WAIT_SECONDS} s; zero runs whatever is
 *                     pending as soon as the dispatcher is free
 */
public record BatchingConfig(int maxBatchSize, Duration maxWait) implements Serializable {
    public static final int MAX_BATCH = 4096;
    public static final int MAX_WAIT_SECONDS = 60;
    /**
     * On a CPU a window's cost is lowest at batches of about 8-16 two-second windows (bigger batches spill the
     * caches: batch 64 costs 25% more per window, see {@code bench inference --frames 200}); GPUs want far more.
     */
    public static final BatchingConfig DEFAULT = new BatchingConfig(16, Duration.ofMillis(10));

    public BatchingConfig {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH) {
            throw HearkenException.config(EngineSettings.BATCH_MAX_SIZE.key() + " must be in 1.." + MAX_BATCH + ", got " + maxBatchSize);
        }
        if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(MAX_WAIT_SECONDS)) > 0) {
            throw HearkenException.config(EngineSettings.BATCH_MAX_WAIT.key() + " must be between 0 and " + MAX_WAIT_SECONDS
                    + " s, got " + maxWait);
        }
    }

    /** Reads the batching limits; {@code config} must include {@link EngineSettings#CONFIG}. */
    public static BatchingConfig from(HearkenConfig config) {
        return new BatchingConfig(config.get(EngineSettings.BATCH_MAX_SIZE), config.get(EngineSettings.BATCH_MAX_WAIT));
    }
}
