package io.hearken.job;

/** One analysis window of a stream: its log-mel, ready for the model (Flink POJO). */
public class AudioWindow {
    public String streamId;
    public long windowIndex;
    public long startMicros;
    public long endMicros;
    /**
     * Row-major [melBins][frames] (the model's input layout) as float32 little-endian: windows waiting for inference
     * are in every checkpoint, and Flink writes a byte[] in one call but a float[] value by value.
     */
    public byte[] mel;
    public int frames;
    public float loudnessDbfs;
    public boolean endOfStream;
    /** The window overlaps audio the job replaced with silence because chunks were missing. */
    public boolean gapFilled;
    public String profile;
    public SourceInfo source;

    public AudioWindow() {
    }

    /** {@link #mel} as floats, for the model. */
    public float[] melValues() {
        float[] values = new float[mel.length / Float.BYTES];
        java.nio.ByteBuffer.wrap(mel).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    public String windowId() {
        return streamId + "@" + startMicros;
    }
}
