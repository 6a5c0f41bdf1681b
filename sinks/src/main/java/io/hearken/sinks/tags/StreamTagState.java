package io.hearken.sinks.tags;

import io.hearken.schemas.SourceMetadata;
import java.util.Map;
import java.util.TreeMap;

/** Per-stream state of the tag sink: open tags by label, and what is needed to close them later. */
public final class StreamTagState {
    public Map<String, OpenTag> open = new TreeMap<>();
    public String modelId = "";
    public long lastWindowEndMicros;
    /** Wall-clock time the last window arrived, for the inactivity timeout. */
    public long lastSeenWallClockMillis;
    public String device = "";
    public String location = "";
    public Map<String, String> attributes = new TreeMap<>();

    public StreamTagState() {
    }

    SourceMetadata source() {
        return SourceMetadata.newBuilder().setDevice(device).setLocation(location).setAttributes(Map.copyOf(attributes)).build();
    }

    void remember(SourceMetadata source) {
        device = source.getDevice();
        location = source.getLocation();
        attributes = new TreeMap<>(source.getAttributes());
    }
}
