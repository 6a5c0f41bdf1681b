package io.hearken.sinks.tags;

import java.util.ArrayList;
import java.util.List;

/**
 * A label sounding on a stream (or, while in {@link StreamTagState#pending}, gathering the K consecutive windows its
 * onset needs). Mutable on purpose: it lives only inside one processor call between a state-store read and write.
 * Public fields: it is stored as JSON.
 */
public final class OpenTag {
    /** Keeps state bounded for labels that sound for hours; the first windows are the evidence that matters. */
    static final int MAX_WINDOW_IDS = 32;

    public int classIndex;
    public long onsetMicros;
    /** End of the last window at or above threshold. */
    public long lastAboveEndMicros;
    public float peakScore;
    public double scoreSum;
    /** Sum of the supporting windows' loudness (dBFS), for their mean. */
    public double loudnessSum;
    public int windows;
    public List<String> windowIds = new ArrayList<>();

    public OpenTag() {
    }

    static OpenTag open(int classIndex, long onsetMicros, long endMicros, float score, float loudnessDbfs, String windowId) {
        OpenTag tag = new OpenTag();
        tag.classIndex = classIndex;
        tag.onsetMicros = onsetMicros;
        tag.lastAboveEndMicros = endMicros;
        tag.support(endMicros, score, loudnessDbfs, windowId, classIndex);
        return tag;
    }

    void support(long endMicros, float score, float loudnessDbfs, String windowId, int scoredIndex) {
        lastAboveEndMicros = Math.max(lastAboveEndMicros, endMicros);
        if (score > peakScore) {
            peakScore = score;
            classIndex = scoredIndex; // for a group: the member that scored highest
        }
        scoreSum += score;
        loudnessSum += loudnessDbfs;
        windows++;
        if (windowIds.size() < MAX_WINDOW_IDS) {
            windowIds.add(windowId);
        }
    }

    public float meanScore() {
        return windows == 0 ? 0f : (float) (scoreSum / windows);
    }

    public float meanLoudnessDbfs() {
        return windows == 0 ? Float.NEGATIVE_INFINITY : (float) (loudnessSum / windows);
    }
}
