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
    public long streamStartMicros;
    public Resampler.State resampler;
    /** 32 kHz samples from {@link #bufferStart} on. */
    public float[] buffer;
    /** Index, in the stream segment's 32 kHz samples, of buffer[0]. */
    public long bufferStart;
    public long nextWindowIndex;
    /** Index of the window the current segment started with: windows are counted per stream, positions per segment. */
    public long segmentFirstWindow;
    public SourceInfo source;
    /** Gap-filled (synthetic silence) ranges [from, to) in segment samples, still inside the buffer. */
    public long[] gapFrom = new long[0];
    public long[] gapTo = new long[0];

    public WindowerState() {
    }

    long produced() {
        return bufferStart + buffer.length;
    }

    /** Start, in segment samples, of the next window to emit. */
    long nextWindowStart(int hop) {
        return (nextWindowIndex - segmentFirstWindow) * hop;
    }
}
