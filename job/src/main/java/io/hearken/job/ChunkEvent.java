package io.hearken.job;

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
    /** Where the chunk came from, for dead letters raised after deserialization (e.g. a late chunk). */
    public String kafkaTopic = "";
    public int kafkaPartition = -1;
    public long kafkaOffset = -1;
    /**
     * Set by the reassembler on a synthetic chunk standing for missing audio: this many frames of silence,
     * and no samples.
     */
    public long gapFillFrames;
    /** Set by the reassembler: the stream's analysis state restarts here (long gap, or format change). */
    public boolean restart;

    public ChunkEvent() {
    }
}
