package io.hearken.sinks.anomaly;

/**
 * The enrolment and model of one machine group (a stream, unless streams are grouped): the value of the topology's
 * group store (JSON). The bank's vectors live in the bank store, one entry per reservoir slot.
 */
public final class GroupState {
    public static final String ENROLLING = "ENROLLING";
    public static final String MONITORING = "MONITORING";

    public String phase = ENROLLING;
    /** Dimension of the group's vectors (0 until the first one). */
    public int dimension;
    /** Vectors offered to the reservoir so far (kept or not): the input of {@link ReservoirBank#slot}. */
    public long offered;
    /** Slots in use in the bank store. */
    public int bankSize;
    /** Windows (live or from files) enrolled, for sinks.anomaly.enrol.windows. */
    public long enrolledWindows;
    /** Audio covered by them, for sinks.anomaly.enrol.duration.ms. */
    public long enrolledAudioMicros;
    /** Standardisation and threshold, once MONITORING. */
    public float[] mean;
    public float[] scale;
    public double threshold;
    /** Enrolment scores the threshold came from. */
    public int thresholdScores;
    /** ENROL commands extended the bank of a monitoring group: refit before the next window is scored. */
    public boolean refitPending;

    public GroupState() {
    }

    boolean monitoring() {
        return MONITORING.equals(phase);
    }
}
