package io.hearken.inference.job;

/** A validated audio chunk inside the job (Flink POJO). Samples stay PCM16 little-endian until the windower. */
public class ChunkEvent {
    public String streamId;
    public long sequenceNumber;
    public long captureTimeMicros;
    public int sampleRate;
    public int channels;
    public byte[] pcm16;
    public boolean endOfStream;
    public String profile;
    public SourceInfo source;

    public ChunkEvent() {
    }
}
