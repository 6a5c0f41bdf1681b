package io.hearken.sinks.anomaly;

import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolment then monitoring per machine group (records keyed by group), anomaly events per stream.
 *
 * <p><b>Enrolling.</b> Each scorable window's feature vector is offered to the group's bounded reservoir bank (bank
 * store, one entry per slot, so no changelog record grows with the bank). Enrolment ends when the group has enrolled
 * {@code enrol.windows} windows or {@code enrol.duration} of audio (live windows and vectors from files alike), or on
 * a FINISH_ENROLMENT command: the scorer is fitted ({@link AnomalyScorer#fit}) and its standardisation and threshold
 * kept in the group store. A fit that fails (too few vectors) leaves the group enrolling.
 *
 * <p><b>Monitoring.</b> Each scorable window is scored; {@link EventTracker} turns the scores into ONSET/OFFSET
 * events (M consecutive windows over threshold; hold-off; end of stream; inactivity; reset). ENROL commands while
 * monitoring add to the bank; the group is refitted before its next window is scored (or on FINISH_ENROLMENT).
 * Windows that cannot be scored (no vector: the feature is missing or the job filled a gap with silence) are neither
 * enrolled nor scored, but still end a stream.
 *
 * <p>The fitted scorer is cached per group in memory and rebuilt from the stores after a restart.
 */
final class AnomalyProcessor implements Processor<String, AnomalyInput, String, AnomalyEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyProcessor.class);
    /** Separates group and slot in bank keys; stream and group ids never contain it. */
    static final char KEY_SEPARATOR = '\u0000';

    private final AnomalySettings settings;
    private final EventTracker tracker;
    private final Map<String, AnomalyScorer> scorers = new HashMap<>();
    private ProcessorContext<String, AnomalyEvent> context;
    private KeyValueStore<String, GroupState> groups;
    private KeyValueStore<String, EnrolmentVector> bank;
    private KeyValueStore<String, StreamAnomalyState> streams;

    AnomalyProcessor(AnomalySettings settings) {
        this.settings = settings;
        this.tracker = settings.tracker();
    }

    @Override
    public void init(ProcessorContext<String, AnomalyEvent> context) {
        this.context = context;
        this.groups = context.getStateStore(AnomalyTopology.GROUP_STORE);
        this.bank = context.getStateStore(AnomalyTopology.BANK_STORE);
        this.streams = context.getStateStore(AnomalyTopology.STREAM_STORE);
        scorers.clear();
        long everyMillis = Math.max(1000, settings.inactivityTimeout().toMillis() / 4);
        context.schedule(Duration.ofMillis(everyMillis), PunctuationType.WALL_CLOCK_TIME, this::closeInactive);
    }

    @Override
    public void process(Record<String, AnomalyInput> record) {
        AnomalyInput in = record.value();
        if (in == null || in.group == null || in.streamId == null) {
            return;
        }
        if (in.control != null) {
            control(in);
        } else if (in.window != null) {
            window(in.group, in.streamId, in.window);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Windows

    private void window(String group, String streamId, AnomalyInput.Window w) {
        StreamAnomalyState stream = streams.get(streamId);
        if (stream == null) {
            stream = new StreamAnomalyState();
        }
        stream.group = group;
        stream.device = nullToEmpty(w.device());
        stream.location = nullToEmpty(w.location());
        stream.attributes = w.attributes() == null ? new TreeMap<>() : new TreeMap<>(w.attributes());
        stream.lastSeenWallClockMillis = context.currentSystemTimeMs();
        long newAudio = stream.newAudioMicros(w.startMicros(), w.endMicros());
        stream.lastWindowEndMicros = Math.max(stream.lastWindowEndMicros, w.endMicros());

        GroupState state = groups.get(group);
        if (state == null) {
            state = new GroupState();
        }
        float[] vector = w.vector();
        if (vector != null && state.dimension != 0 && vector.length != state.dimension) {
            LOG.warn("anomaly sink: window {} of stream {} has a {} vector of {} values, group {} has {}; not scored",
                    w.windowId(), streamId, settings.featureName(), vector.length, group, state.dimension);
            vector = null;
        }
        if (!state.monitoring()) {
            if (vector != null) {
                enrol(group, state, List.of(new EnrolmentVector(streamId, w.startMicros(), w.endMicros(), vector)),
                        newAudio);
                if (enrolmentComplete(state)) {
                    fit(group, state, "enrolment complete");
                }
                groups.put(group, state);
            }
            // Nothing is open while enrolling; a stream that ends leaves no state.
            finishWindow(streamId, stream, w.endOfStream());
            return;
        }
        if (state.refitPending) {
            state.refitPending = false;
            fit(group, state, "bank extended by ENROL commands");
            groups.put(group, state);
        }
        AnomalyScorer scorer = scorer(group, state);
        List<EventTracker.Emission> emissions;
        if (vector != null && scorer != null) {
            double score = scorer.score(vector);
            emissions = tracker.step(stream.tracker, w.windowId(), w.startMicros(), w.endMicros(), score,
                    scorer.isAnomalous(score), w.endOfStream());
        } else if (w.endOfStream()) {
            emissions = tracker.close(stream.tracker, EventTracker.CLOSED_BY_END_OF_STREAM).stream().toList();
        } else {
            emissions = List.of();
        }
        for (EventTracker.Emission e : emissions) {
            emit(streamId, stream, state, e);
        }
        finishWindow(streamId, stream, w.endOfStream());
    }

    private void finishWindow(String streamId, StreamAnomalyState stream, boolean endOfStream) {
        if (endOfStream) {
            streams.delete(streamId);
        } else {
            streams.put(streamId, stream);
        }
    }

    private boolean enrolmentComplete(GroupState state) {
        boolean byWindows = settings.enrolWindows() > 0 && state.enrolledWindows >= settings.enrolWindows();
        long durationMicros = settings.enrolDuration().toNanos() / 1000;
        boolean byAudio = durationMicros > 0 && state.enrolledAudioMicros >= durationMicros;
        return byWindows || byAudio;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Enrolment and fitting

    /** Offers vectors to the group's reservoir bank (bank store entries) and counts them. */
    private void enrol(String group, GroupState state, List<EnrolmentVector> vectors, long audioMicros) {
        ScorerConfig scorer = settings.scorer();
        for (EnrolmentVector v : vectors) {
            if (state.dimension == 0) {
                state.dimension = v.values().length;
            }
            int slot = ReservoirBank.slot(state.offered, scorer.bankCap(), scorer.seed());
            state.offered++;
            if (slot >= 0) {
                bank.put(bankKey(group, slot), v);
                state.bankSize = Math.max(state.bankSize, slot + 1);
            }
        }
        state.enrolledWindows += vectors.size();
        state.enrolledAudioMicros += audioMicros;
    }

    /** Fits the group's scorer on its bank; on success the group is MONITORING. Returns whether it succeeded. */
    private boolean fit(String group, GroupState state, String why) {
        List<EnrolmentVector> vectors = bankOf(group);
        try {
            AnomalyScorer scorer = AnomalyScorer.fit(vectors, settings.scorer());
            state.phase = GroupState.MONITORING;
            state.refitPending = false;
            state.mean = scorer.mean();
            state.scale = scorer.scale();
            state.threshold = scorer.threshold();
            state.thresholdScores = scorer.enrolmentScores().length;
            scorers.put(group, scorer);
            LOG.info("anomaly sink: group {} monitoring ({}): bank {} of {} vectors, threshold {} from {} enrolment scores",
                    group, why, vectors.size(), state.offered, String.format(Locale.ROOT, "%.4f",
                            state.threshold), state.thresholdScores);
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("anomaly sink: group {} keeps enrolling ({}): {}", group, why, e.getMessage());
            return false;
        }
    }

    /** The cached scorer of a monitoring group, rebuilt from the stores when missing (after a restart). */
    private AnomalyScorer scorer(String group, GroupState state) {
        AnomalyScorer scorer = scorers.get(group);
        if (scorer == null) {
            List<EnrolmentVector> vectors = bankOf(group);
            if (vectors.isEmpty() || state.mean == null || state.scale == null) {
                LOG.warn("anomaly sink: group {} is monitoring without a bank; enrolling again", group);
                resetGroup(group);
                return null;
            }
            scorer = AnomalyScorer.restore(vectors, state.mean, state.scale, state.threshold, settings.scorer());
            scorers.put(group, scorer);
        }
        return scorer;
    }

    private List<EnrolmentVector> bankOf(String group) {
        List<EnrolmentVector> vectors = new ArrayList<>();
        try (KeyValueIterator<String, EnrolmentVector> it = bank.prefixScan(group + KEY_SEPARATOR,
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                vectors.add(it.next().value);
            }
        }
        return vectors;
    }

    static String bankKey(String group, int slot) {
        return group + KEY_SEPARATOR + String.format(Locale.ROOT, "%08d", slot);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Control commands

    private void control(AnomalyInput in) {
        AnomalyInput.Control c = in.control;
        String group = in.group;
        switch (c.action()) {
            case "ENROL" -> {
                if (c.featureName() != null && !c.featureName().equals(settings.featureName())) {
                    LOG.warn("anomaly sink: control {} for {} enrols '{}' vectors, the sink scores '{}'; ignored",
                            c.controlId(), group, c.featureName(), settings.featureName());
                    return;
                }
                GroupState state = groups.get(group);
                if (state == null) {
                    state = new GroupState();
                }
                List<EnrolmentVector> accepted = new ArrayList<>();
                for (EnrolmentVector v : c.vectors()) {
                    int dim = state.dimension != 0 ? state.dimension
                            : accepted.isEmpty() ? v.values().length : accepted.get(0).values().length;
                    if (v.values().length == dim) {
                        accepted.add(v);
                    }
                }
                if (accepted.size() < c.vectors().size()) {
                    LOG.warn("anomaly sink: control {} for {}: {} of {} vectors have the wrong dimension; ignored",
                            c.controlId(), group, c.vectors().size() - accepted.size(), c.vectors().size());
                }
                if (accepted.isEmpty()) {
                    return;
                }
                enrol(group, state, accepted, coverage(accepted));
                LOG.info("anomaly sink: group {} enrolled {} vectors from control {}", group, accepted.size(), c.controlId());
                if (state.monitoring()) {
                    // Refitted before the group's next window is scored: one fit for a burst of ENROL records.
                    state.refitPending = true;
                } else if (enrolmentComplete(state)) {
                    fit(group, state, "enrolment complete");
                }
                groups.put(group, state);
            }
            case "FINISH_ENROLMENT" -> {
                GroupState state = groups.get(group);
                if (state == null || state.bankSize == 0) {
                    LOG.warn("anomaly sink: control {}: group {} has nothing enrolled; nothing to finish", c.controlId(), group);
                    return;
                }
                if (fit(group, state, "finished by control " + c.controlId())) {
                    groups.put(group, state);
                }
            }
            case "RESET" -> {
                closeGroupEvents(group, EventTracker.CLOSED_BY_RESET);
                resetGroup(group);
                LOG.info("anomaly sink: group {} reset by control {}; enrolling again", group, c.controlId());
            }
            default -> LOG.warn("anomaly sink: control {} has unknown action {}; ignored", c.controlId(), c.action());
        }
    }

    /** Audio covered by vectors: per segment, the union of their time ranges. */
    static long coverage(List<EnrolmentVector> vectors) {
        List<EnrolmentVector> sorted = new ArrayList<>(vectors);
        sorted.sort(Comparator.comparing(EnrolmentVector::segment).thenComparingLong(EnrolmentVector::startMicros));
        long total = 0;
        String segment = null;
        long coveredTo = Long.MIN_VALUE;
        for (EnrolmentVector v : sorted) {
            if (!v.segment().equals(segment)) {
                segment = v.segment();
                coveredTo = Long.MIN_VALUE;
            }
            long from = coveredTo == Long.MIN_VALUE ? v.startMicros() : Math.max(v.startMicros(), coveredTo);
            total += Math.max(0, v.endMicros() - from);
            coveredTo = Math.max(coveredTo, v.endMicros());
        }
        return total;
    }

    private void resetGroup(String group) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, EnrolmentVector> it = bank.prefixScan(group + KEY_SEPARATOR,
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(bank::delete);
        groups.delete(group);
        scorers.remove(group);
    }

    private void closeGroupEvents(String group, String closedBy) {
        GroupState state = groups.get(group);
        List<KeyValue<String, StreamAnomalyState>> members = new ArrayList<>();
        try (KeyValueIterator<String, StreamAnomalyState> all = streams.all()) {
            while (all.hasNext()) {
                KeyValue<String, StreamAnomalyState> entry = all.next();
                if (group.equals(entry.value.group)) {
                    members.add(entry);
                }
            }
        }
        for (KeyValue<String, StreamAnomalyState> entry : members) {
            Optional<EventTracker.Emission> closed = tracker.close(entry.value.tracker, closedBy);
            if (closed.isPresent() && state != null) {
                emit(entry.key, entry.value, state, closed.get());
            }
            streams.put(entry.key, entry.value);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Inactivity and output

    private void closeInactive(long nowMillis) {
        List<KeyValue<String, StreamAnomalyState>> idle = new ArrayList<>();
        try (KeyValueIterator<String, StreamAnomalyState> all = streams.all()) {
            while (all.hasNext()) {
                KeyValue<String, StreamAnomalyState> entry = all.next();
                if (nowMillis - entry.value.lastSeenWallClockMillis >= settings.inactivityTimeout().toMillis()) {
                    idle.add(entry);
                }
            }
        }
        for (KeyValue<String, StreamAnomalyState> entry : idle) {
            Optional<EventTracker.Emission> closed = tracker.close(entry.value.tracker, EventTracker.CLOSED_BY_INACTIVITY);
            if (closed.isPresent()) {
                GroupState state = groups.get(entry.value.group);
                if (state != null) {
                    emit(entry.key, entry.value, state, closed.get());
                }
            }
            streams.delete(entry.key);
        }
    }

    private void emit(String streamId, StreamAnomalyState stream, GroupState state, EventTracker.Emission e) {
        boolean offset = e.kind() == EventKind.OFFSET;
        AnomalyEvent event = AnomalyEvent.newBuilder()
                .setEventId(streamId + "/anomaly/" + e.onsetMicros() + "/" + e.kind())
                .setStreamId(streamId)
                .setKind(e.kind())
                .setOnsetMicros(e.onsetMicros())
                .setOffsetMicros(e.offsetMicros())
                .setPeakScore((float) e.peakScore())
                .setThreshold((float) state.threshold)
                .setFeatureName(settings.featureName())
                .setWindowIds(e.windowIds())
                .setClosedBy(e.closedBy())
                .setSource(stream.source())
                .build();
        long timestampMillis = (offset ? e.offsetMicros() : e.onsetMicros()) / 1000;
        context.forward(new Record<>(streamId, event, timestampMillis));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
