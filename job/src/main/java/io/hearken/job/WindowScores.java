package io.hearken.job;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.WindowResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** The window overlaps audio the job replaced with silence because chunks were missing. */
    public boolean gapFilled;
    public SourceInfo source;

    public WindowScores() {
    }

    public WindowResult toAvro() {
        WindowScores w = this;
        List<ClassScore> classes = new ArrayList<>(w.classIndices.length);
        for (int i = 0; i < w.classIndices.length; i++) {
            classes.add(new ClassScore(w.classIndices[i], w.classLabels[i], w.classScores[i]));
        }
        Map<String, List<Float>> features = new LinkedHashMap<>();
        for (int i = 0; i < w.featureNames.length; i++) {
            float[] values = w.featureValues[i];
            List<Float> list = new ArrayList<>(values.length);
            for (float v : values) {
                list.add(v);
            }
            features.put(w.featureNames[i], list);
        }
        return WindowResult.newBuilder()
                .setStreamId(w.streamId).setWindowId(w.windowId).setWindowIndex(w.windowIndex)
                .setWindowStartMicros(w.startMicros).setWindowEndMicros(w.endMicros).setProfile(w.profile)
                .setModelId(w.modelId).setModelVersion(w.modelVersion).setScoreFloor(w.scoreFloor)
                .setClassScores(classes).setFeatures(features).setLoudnessDbfs(w.loudnessDbfs)
                .setEndOfStream(w.endOfStream).setGapFilled(w.gapFilled).setSource(w.source.toAvro())
                .build();
    }
}
