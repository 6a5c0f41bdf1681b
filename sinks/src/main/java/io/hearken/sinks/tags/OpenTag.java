package io.hearken.sinks.tags;

import java.util.ArrayList;
import java.util.List;

/**
 * A label currently sounding on a stream. Mutable on purpose: it lives only inside one processor call between a
 * state-store read and write.
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
    public int windows;
    public List<String> windowIds = new ArrayList<>();

    public OpenTag() {
    }

    static OpenTag open(int classIndex, long onsetMicros, long endMicros, float score, String windowId) {
        OpenTag tag = new OpenTag();
        tag.classIndex = classIndex;
        tag.onsetMicros = onsetMicros;
        tag.lastAboveEndMicros = endMicros;
        tag.support(endMicros, score, windowId);
        return tag;
    }

    void support(long endMicros, float score, String windowId) {
        lastAboveEndMicros = Math.max(lastAboveEndMicros, endMicros);
        peakScore = Math.max(peakScore, score);
        scoreSum += score;
        windows++;
        if (windowIds.size() < MAX_WINDOW_IDS) {
            windowIds.add(windowId);
        }
    }

    float meanScore() {
        return windows == 0 ? 0f : (float) (scoreSum / windows);
    }
}
