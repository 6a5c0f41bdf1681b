package io.hearken.schemas.topics;

import java.util.List;

/** Names of Hearken's topics. The value schema of each is registered under {@code <name>-value}. */
public final class TopicNames {
    public static final String AUDIO_CHUNKS = "hearken.audio.chunks";
    public static final String AUDIO_WINDOWS = "hearken.audio.windows";
    public static final String TAG_EVENTS = "hearken.events.tags";
    public static final String ANOMALY_EVENTS = "hearken.events.anomalies";
    public static final String CAPTION_EVENTS = "hearken.events.captions";
    public static final String DEAD_LETTERS = "hearken.dlq";
    /** Commands to the anomaly sink: enrolment vectors computed offline, finish enrolment, reset (key: stream id). */
    public static final String ANOMALY_CONTROL = "hearken.control.anomaly";

    public static final List<String> ALL = List.of(AUDIO_CHUNKS, AUDIO_WINDOWS, TAG_EVENTS, ANOMALY_EVENTS,
            CAPTION_EVENTS, DEAD_LETTERS, ANOMALY_CONTROL);

    private TopicNames() {
    }
}
