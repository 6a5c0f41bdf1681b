package io.hearken.inference.engine;

import io.hearken.error.HearkenException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Dynamic batching limits of a {@link BatchingPredictor}: a batch of same-length windows runs as soon as it holds
 * {@code maxBatchSize} windows or its oldest window has waited {@code maxWait}.
 *
 * @param maxBatchSize windows per session run, 1..{@value #MAX_BATCH} ({@value #MAX_BATCH_SETTING})
 * @param maxWait      longest a window waits for company, 0..{@value #MAX_WAIT_SECONDS} s; zero runs whatever is
 *                     pending as soon as the dispatcher is free ({@value #MAX_WAIT_SETTING})
 */
public record BatchingConfig(int maxBatchSize, Duration maxWait) {
    public static final String MAX_BATCH_SETTING = "inference.batch.max.size";
    public static final String MAX_WAIT_SETTING = "inference.batch.max.wait";
    public static final int MAX_BATCH = 4096;
    public static final int MAX_WAIT_SECONDS = 60;
    /**
     * On a CPU a window's cost is lowest at batches of about 8-16 two-second windows (bigger batches spill the
     * caches: batch 64 costs 25% more per window, see {@code bench inference --frames 200}); GPUs want far more.
     */
    public static final BatchingConfig DEFAULT = new BatchingConfig(16, Duration.ofMillis(10));

    public BatchingConfig {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH) {
            throw HearkenException.config(MAX_BATCH_SETTING + " must be in 1.." + MAX_BATCH + ", got " + maxBatchSize);
        }
        if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(MAX_WAIT_SECONDS)) > 0) {
            throw HearkenException.config(MAX_WAIT_SETTING + " must be between 0 and " + MAX_WAIT_SECONDS
                    + " s, got " + maxWait);
        }
    }

    /**
     * Reads {@value #MAX_BATCH_SETTING} and {@value #MAX_WAIT_SETTING} (ISO-8601, e.g. {@code PT0.01S}, or
     * milliseconds) from flat settings, with {@link #DEFAULT} for what is absent.
     */
    public static BatchingConfig fromSettings(Map<String, String> settings) {
        int size = DEFAULT.maxBatchSize;
        String s = settings.get(MAX_BATCH_SETTING);
        if (s != null) {
            try {
                size = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw HearkenException.config(MAX_BATCH_SETTING + " must be an integer, got '" + s + "'");
            }
        }
        Duration wait = DEFAULT.maxWait;
        String w = settings.get(MAX_WAIT_SETTING);
        if (w != null) {
            String t = w.trim();
            try {
                wait = t.matches("[0-9]+") ? Duration.ofMillis(Long.parseLong(t)) : Duration.parse(t);
            } catch (DateTimeParseException | NumberFormatException e) {
                throw HearkenException.config(MAX_WAIT_SETTING + " must be an ISO-8601 duration (PT0.01S) or "
                        + "milliseconds, got '" + w + "'");
            }
        }
        return new BatchingConfig(size, wait);
    }
}
