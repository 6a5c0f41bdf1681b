package io.hearken.inference.job;

/** One analysis window of a stream: its log-mel, ready for the model (Flink POJO). */
public class AudioWindow {
    public String streamId;
    public long windowIndex;
    public long startMicros;
    public long endMicros;
    /** Row-major [melBins][frames], the model's input layout. */
    public float[] mel;
    public int frames;
    public float loudnessDbfs;
    public boolean endOfStream;
    /** The window overlaps audio the job replaced with silence because chunks were missing. */
    public boolean gapFilled;
    public String profile;
    public SourceInfo source;

    public AudioWindow() {
    }

    public String windowId() {
        return streamId + "@" + startMicros;
    }
}
