package io.hearken.job;

import io.hearken.schemas.SourceMetadata;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Source metadata inside the Flink job. A Flink POJO: attributes are parallel arrays because a {@code Map} field
 * would fall back to Kryo, which the job forbids.
 */
public class SourceInfo {
    public String device = "";
    public String location = "";
    public String[] attributeKeys = new String[0];
    public String[] attributeValues = new String[0];

    public SourceInfo() {
    }

    public static SourceInfo from(SourceMetadata meta) {
        SourceInfo info = new SourceInfo();
        info.device = meta.getDevice();
        info.location = meta.getLocation();
        info.attributeKeys = meta.getAttributes().keySet().toArray(String[]::new);
        info.attributeValues = new String[info.attributeKeys.length];
        for (int i = 0; i < info.attributeKeys.length; i++) {
            info.attributeValues[i] = meta.getAttributes().get(info.attributeKeys[i]);
        }
        return info;
    }

    public SourceMetadata toAvro() {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < attributeKeys.length; i++) {
            attributes.put(attributeKeys[i], attributeValues[i]);
        }
        return SourceMetadata.newBuilder().setDevice(device).setLocation(location).setAttributes(attributes).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceInfo s && device.equals(s.device) && location.equals(s.location)
                && Arrays.equals(attributeKeys, s.attributeKeys) && Arrays.equals(attributeValues, s.attributeValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(device, location, Arrays.hashCode(attributeKeys));
    }
}
