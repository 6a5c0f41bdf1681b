package io.hearken.inference.job;

import io.hearken.featurizer.Resampler;

/**
 * Everything the windower remembers about one stream between chunks (Flink POJO, checkpointed): where the stream
 * is, the resampler's tail, and the 32 kHz samples not yet fully consumed by windows.
 */
public class WindowerState {
    public int sampleRate;
    public int channels;
    public String profile;
    public long nextSequence;
    public long streamStartMicros;
    public Resampler.State resampler;
    /** 32 kHz samples from {@link #bufferStart} on. */
    public float[] buffer;
    /** Index, in the stream's 32 kHz samples, of buffer[0]. */
    public long bufferStart;
    public long nextWindowIndex;
    public SourceInfo source;
    /** The stream sent its end: only the sequence position is kept, to drop redelivered chunks, until {@link #expiresAt}. */
    public boolean ended;
    /** Processing time at which an ended stream's marker is cleared. */
    public long expiresAt;

    public WindowerState() {
    }

    long produced() {
        return bufferStart + buffer.length;
    }
}
