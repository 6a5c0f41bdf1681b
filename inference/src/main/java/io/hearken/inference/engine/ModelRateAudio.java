package io.hearken.inference.engine;

/**
 * A recording as the model hears it: mono, at the model's sample rate; with the length of the source (frames at
 * its own rate), which times such as "the first half of the recording" refer to.
 *
 * @param name        what errors and reports call it (the file name)
 * @param samples     mono samples at {@code sampleRate} (not copied; treat as read-only)
 * @param sampleRate  the model's sample rate
 * @param sourceFrames frames of the source recording at {@code sourceRate}
 * @param sourceRate  the source's own sample rate
 */
public record ModelRateAudio(String name, float[] samples, int sampleRate, long sourceFrames, int sourceRate) {
}
