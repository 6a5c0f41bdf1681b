package io.hearken.inference.job;

/** The model's output for one window (Flink POJO); the sink turns it into a WindowResult Avro record. */
public class WindowScores {
    public String streamId;
    public String windowId;
    public long windowIndex;
    public long startMicros;
    public long endMicros;
    public String profile;
    public String modelId;
    public String modelVersion;
    public float scoreFloor;
    /** Classes in descending score: every class at or above scoreFloor, and at least the top few. */
    public int[] classIndices;
    public String[] classLabels;
    public float[] classScores;
    public String[] featureNames;
    public float[][] featureValues;
    public float loudnessDbfs;
    public boolean endOfStream;
    public SourceInfo source;

    public WindowScores() {
    }
}
