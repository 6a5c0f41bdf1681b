package io.hearken.sinks.anomaly;

import io.hearken.schemas.SourceMetadata;
import java.util.Map;
import java.util.TreeMap;

/** Per-stream state of the anomaly sink (JSON in the stream store): event lifecycle, enrolment coverage, source. */
public final class StreamAnomalyState {
    public String group = "";
    public TrackerState tracker = new TrackerState();
    /** End of the latest window seen, for the audio an enrolling window adds. */
    public long lastWindowEndMicros = Long.MIN_VALUE;
    /** Wall-clock time the last window arrived, for the inactivity timeout. */
    public long lastSeenWallClockMillis;
    public String device = "";
    public String location = "";
    public Map<String, String> attributes = new TreeMap<>();

    public StreamAnomalyState() {
    }

    SourceMetadata source() {
        return SourceMetadata.newBuilder().setDevice(device).setLocation(location).setAttributes(Map.copyOf(attributes))
                .build();
    }

    /** Audio a window adds to what this stream already covered. */
    long newAudioMicros(long startMicros, long endMicros) {
        long from = lastWindowEndMicros == Long.MIN_VALUE ? startMicros : Math.max(startMicros, lastWindowEndMicros);
        return Math.max(0, endMicros - from);
    }
}
