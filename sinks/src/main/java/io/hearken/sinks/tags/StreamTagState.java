package io.hearken.sinks.tags;

import io.hearken.schemas.SourceMetadata;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-stream state of the tag lifecycle: open tags and onsets still gathering their K windows, by event label, and
 * what is needed to close them later. Stored as JSON (public fields).
 */
public final class StreamTagState {
    public Map<String, OpenTag> open = new TreeMap<>();
    /** Labels heard in the last window(s) but not yet for the K consecutive windows an onset needs. */
    public Map<String, OpenTag> pending = new TreeMap<>();
    public String modelId = "";
    public long lastWindowEndMicros;
    /** Wall-clock time the last window arrived, for the inactivity timeout. */
    public long lastSeenWallClockMillis;
    public String device = "";
    public String location = "";
    public Map<String, String> attributes = new TreeMap<>();

    public StreamTagState() {
    }

    public SourceMetadata source() {
        return SourceMetadata.newBuilder().setDevice(device).setLocation(location).setAttributes(Map.copyOf(attributes)).build();
    }

    void remember(SourceMetadata source) {
        device = source.getDevice();
        location = source.getLocation();
        attributes = new TreeMap<>(source.getAttributes());
    }
}
