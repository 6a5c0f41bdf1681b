package io.hearken.inference.job;

/** One analysis window of a stream's 32 kHz mono audio, ready for the front end and the model (Flink POJO). */
public class AudioWindow {
    public String streamId;
    public long windowIndex;
    public long startMicros;
    public long endMicros;
    public float[] samples;
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
