package io.hearken.sinks.anomaly;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one stream stands in the anomaly event lifecycle ({@link EventTracker}). Mutable, with public fields, so it
 * can live in a JSON state-store value.
 */
public final class TrackerState {
    /** Consecutive windows over threshold while no event is open. */
    public int overRun;
    public long runStartMicros;
    public double runPeak;
    public List<String> runWindowIds = new ArrayList<>();
    /** An ONSET was emitted and its OFFSET not yet. */
    public boolean open;
    public long onsetMicros;
    /** End of the last window over threshold in the open event. */
    public long lastOverEndMicros;
    public double peak;
    public List<String> windowIds = new ArrayList<>();
    public long lastWindowEndMicros;

    public TrackerState() {
    }

    void clearRun() {
        overRun = 0;
        runStartMicros = 0;
        runPeak = 0;
        runWindowIds = new ArrayList<>();
    }

    void clear() {
        clearRun();
        open = false;
        onsetMicros = 0;
        lastOverEndMicros = 0;
        peak = 0;
        windowIds = new ArrayList<>();
    }
}
