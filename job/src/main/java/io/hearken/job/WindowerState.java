package io.hearken.job;

import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.dsp.StreamingMelFrontend;

/**
 * Everything the windower remembers about one stream between chunks (Flink POJO, checkpointed): the resampler's
 * and the streaming front end's tails, and the mel frames (with their audio energy) that windows still need.
 * Positions are counted in frames of the current segment (a stream restarts its segment after a long gap).
 */
public class WindowerState {
    public int sampleRate;
    public int channels;
    public String profile;
    public long segmentStartMicros;
    public Resampler.State resampler;
    public StreamingMelFrontend.State frontend;
    /**
     * Mel columns, frame-major ({@code melBins} values per frame), from frame {@link #framesStart} on, as float32
     * little-endian. Bytes rather than float[] because this is most of the checkpointed state: Flink writes a
     * byte[] in one call and copies it with one arraycopy, but a float[] one value at a time (four single-byte
     * writes each), which at hundreds of streams cost more CPU than the rest of the checkpoint.
     */
    public byte[] mel = new byte[0];
    public int melFrames;
    /** Audio energy (sum of squares) of each frame's hop of samples, aligned with {@link #mel}. */
    public double[] blockEnergy = new double[0];
    public int blocks;
    /** The hop of samples still filling up: its energy and sample count. */
    public double pendingEnergy;
    public int pendingSamples;
    /** Segment frame index of mel[0] and blockEnergy[0]. */
    public long framesStart;
    /** Model-rate samples fed into the front end in this segment. */
    public long samplesFed;
    public long nextWindowIndex;
    /** Index of the first window of this segment: windows are counted per stream, positions per segment. */
    public long segmentFirstWindow;
    public SourceInfo source;
    /** Gap-filled (synthetic silence) frame ranges [from, to) of this segment, still buffered. */
    public long[] gapFrom = new long[0];
    public long[] gapTo = new long[0];

    public WindowerState() {
    }

    long framesAvailable() {
        return framesStart + melFrames;
    }

    /** First frame of the next window to emit. */
    long nextWindowStart(int hopFrames) {
        return (nextWindowIndex - segmentFirstWindow) * hopFrames;
    }
}
