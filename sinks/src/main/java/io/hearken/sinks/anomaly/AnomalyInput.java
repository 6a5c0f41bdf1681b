package io.hearken.sinks.anomaly;

import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.EnrolmentWindow;
import io.hearken.schemas.WindowResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the anomaly processor consumes, re-keyed by machine group on the topology's internal repartition topic
 * (JSON): a window reduced to what the sink needs (the scored feature vector, times, source), or a control command.
 * Exactly one of {@link #window} and {@link #control} is set.
 */
public final class AnomalyInput {
    public String streamId;
    public String group;
    public Window window;
    public Control control;

    public AnomalyInput() {
    }

    /**
     * @param vector null when the window cannot be scored (it lacks the feature, or it overlaps audio the job filled
     *               with silence): it still counts for the lifecycle (end of stream, activity)
     */
    public record Window(String windowId, long startMicros, long endMicros, boolean endOfStream, float[] vector,
                         String device, String location, Map<String, String> attributes) {
    }

    /** A control command; {@code vectors} only for ENROL. */
    public record Control(String controlId, String action, String featureName, List<EnrolmentVector> vectors) {
    }

    /** The input for a window record, or empty when the window's profile is not monitored. */
    static Optional<AnomalyInput> of(WindowResult w, AnomalySettings settings) {
        if (w == null || !settings.monitors(w.getProfile())) {
            return Optional.empty();
        }
        List<Float> values = w.getFeatures().get(settings.featureName());
        float[] vector = null;
        if (values != null && !values.isEmpty() && !w.getGapFilled()) {
            vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = values.get(i);
            }
        }
        AnomalyInput in = new AnomalyInput();
        in.streamId = w.getStreamId();
        in.group = settings.groupOf(in.streamId);
        in.window = new Window(w.getWindowId(), w.getWindowStartMicros(), w.getWindowEndMicros(), w.getEndOfStream(),
                vector, w.getSource().getDevice(), w.getSource().getLocation(),
                new TreeMap<>(w.getSource().getAttributes()));
        return Optional.of(in);
    }

    /** The input for a control record (a tombstone gives none). */
    static Optional<AnomalyInput> of(AnomalyControl c, AnomalySettings settings) {
        if (c == null) {
            return Optional.empty();
        }
        List<EnrolmentVector> vectors = new ArrayList<>(c.getVectors().size());
        for (EnrolmentWindow v : c.getVectors()) {
            float[] values = new float[v.getValues().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = v.getValues().get(i);
            }
            if (values.length > 0 && v.getEndMicros() >= v.getStartMicros()) {
                vectors.add(new EnrolmentVector(v.getSegment(), v.getStartMicros(), v.getEndMicros(), values));
            }
        }
        AnomalyInput in = new AnomalyInput();
        in.streamId = c.getStreamId();
        in.group = c.getGroup() != null && !c.getGroup().isBlank() ? c.getGroup() : settings.groupOf(in.streamId);
        in.control = new Control(c.getControlId(), c.getAction().name(), c.getFeatureName(), vectors);
        return Optional.of(in);
    }
}
