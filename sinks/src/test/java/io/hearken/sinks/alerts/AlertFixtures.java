package io.hearken.sinks.alerts;

import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import java.util.List;
import java.util.Map;

/** Event records for the alert tests. */
final class AlertFixtures {
    static final long T0 = 1_735_732_800_000_000L; // 2025-01-01T12:00:00Z in micros

    private AlertFixtures() {
    }

    static SourceMetadata source(String device) {
        return SourceMetadata.newBuilder().setDevice(device).setLocation("plant 2, line 3")
                .setAttributes(Map.of("machine", "press-7")).build();
    }

    static TagEvent tag(String stream, String label, EventKind kind, float peak, long onsetMicros) {
        Long offset = kind == EventKind.OFFSET ? onsetMicros + 2_500_000L : null;
        return TagEvent.newBuilder()
                .setEventId(stream + "/" + label + "/" + onsetMicros + "/" + kind)
                .setStreamId(stream)
                .setKind(kind)
                .setLabel(label)
                .setClassIndex(74)
                .setOnsetMicros(onsetMicros)
                .setOffsetMicros(offset)
                .setPeakScore(peak)
                .setMeanScore(peak * 0.8f)
                .setWindowIds(List.of(stream + "@" + onsetMicros))
                .setModelId("efficientat-mn04")
                .setSource(source("mic-" + stream))
                .build();
    }

    static TagEvent onset(String stream, String label, float peak, int n) {
        return tag(stream, label, EventKind.ONSET, peak, T0 + n * 1_000_000L);
    }

    static AnomalyEvent anomaly(String stream, EventKind kind, float peak, long onsetMicros) {
        return AnomalyEvent.newBuilder()
                .setEventId(stream + "/anomaly/" + onsetMicros + "/" + kind)
                .setStreamId(stream)
                .setKind(kind)
                .setOnsetMicros(onsetMicros)
                .setOffsetMicros(kind == EventKind.OFFSET ? onsetMicros + 4_000_000L : null)
                .setPeakScore(peak)
                .setThreshold(0.25f)
                .setFeatureName("mid")
                .setSource(source("mic-" + stream))
                .build();
    }

    static CaptionEvent caption(String stream, String text, long startMicros) {
        return CaptionEvent.newBuilder()
                .setEventId(stream + "/caption/" + startMicros)
                .setStreamId(stream)
                .setStartMicros(startMicros)
                .setEndMicros(startMicros + 10_000_000L)
                .setCaption(text)
                .setCaptioner("grammar-v1")
                .setSource(source("mic-" + stream))
                .build();
    }
}
