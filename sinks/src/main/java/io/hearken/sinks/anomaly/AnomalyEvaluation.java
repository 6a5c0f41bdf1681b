package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import io.hearken.schemas.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The anomaly sink's method evaluated offline, as DCASE Task 2 does (only normal sound known in advance): enrol on
 * normal recordings into a bounded bank (as the sink), fit the {@link AnomalyScorer}, score every test window, and
 * report the window-level AUC and pAUC (p = 0.1, {@link RocMetrics}) of normal against anomalous test windows and,
 * per test recording, the events the sink's {@link EventTracker} would raise.
 */
public final class AnomalyEvaluation {
    private AnomalyEvaluation() {
    }

    /**
     * A recording's feature windows, times from its start.
     *
     * @param frames     the recording's length in samples at {@code sampleRate}: a split point is a whole sample
     * @param sampleRate the recording's own sample rate
     */
    public record Recording(String name, long frames, int sampleRate, List<EnrolmentVector> windows) {
        public Recording {
            windows = List.copyOf(windows);
        }
    }

    /** A continuous piece of test audio and its windows. */
    public record Segment(String name, List<EnrolmentVector> windows) {
        public Segment {
            windows = List.copyOf(windows);
        }
    }

    /** How one test segment fared: its windows' scores, how many were over threshold, and the events raised. */
    public record SegmentOutcome(String name, boolean anomalous, double[] scores, int over,
                                 List<EventTracker.Emission> onsets) {
        public boolean raised() {
            return !onsets.isEmpty();
        }
    }

    /**
     * @param auc      window-level AUC (NaN without normal or anomalous test windows)
     * @param pauc     window-level pAUC, p = 0.1
     * @param enrolled vectors in the bank the scorer was fitted on
     */
    public record EvalResult(double auc, double pauc, AnomalyScorer scorer, int enrolled, List<SegmentOutcome> segments) {
        public long anomalousRaised() {
            return segments.stream().filter(s -> s.anomalous() && s.raised()).count();
        }

        public long anomalousCount() {
            return segments.stream().filter(SegmentOutcome::anomalous).count();
        }

        public long normalQuiet() {
            return segments.stream().filter(s -> !s.anomalous() && !s.raised()).count();
        }

        public long normalCount() {
            return segments.stream().filter(s -> !s.anomalous()).count();
        }
    }

    /**
     * Evaluates on recordings. With {@code splitNormal} F each normal recording is treated as one live stream
     * enrolled on its first F: its windows ending by that point are enrolled, the later ones (from the first one
     * that ends after it, which straddles the cut) are normal test windows, exactly as the sink splits a stream with
     * {@code sinks.anomaly.enrol.duration.ms}. Without it the normal recordings are all enrolled.
     */
    public static EvalResult evaluate(List<Recording> normal, OptionalDouble splitNormal, List<Recording> testNormal,
                                      List<Recording> testAnomaly, ScorerConfig config, EventTracker tracker) {
        if (splitNormal.isPresent() && !(splitNormal.getAsDouble() > 0 && splitNormal.getAsDouble() < 1)) {
            throw HearkenException.config("the normal recordings' split must be in (0, 1), got "
                    + splitNormal.getAsDouble());
        }
        List<EnrolmentVector> enrolment = new ArrayList<>();
        List<Segment> normalTests = new ArrayList<>();
        for (Recording recording : normal) {
            if (splitNormal.isEmpty()) {
                enrolment.addAll(recording.windows());
                continue;
            }
            double split = splitNormal.getAsDouble();
            long cutMicros = (long) Math.floor(split * recording.frames()) * 1_000_000L / recording.sampleRate();
            List<EnrolmentVector> rest = new ArrayList<>();
            for (EnrolmentVector w : recording.windows()) {
                (w.endMicros() <= cutMicros ? enrolment : rest).add(w);
            }
            normalTests.add(new Segment(String.format(Locale.ROOT, "%s[%.0f-100%%]", recording.name(), split * 100),
                    rest));
        }
        testNormal.forEach(r -> normalTests.add(new Segment(r.name(), r.windows())));
        List<Segment> anomalyTests = testAnomaly.stream().map(r -> new Segment(r.name(), r.windows())).toList();
        List<String> normalNames = normal.stream().map(Recording::name).toList();
        if (enrolment.isEmpty()) {
            throw HearkenException.badInput("no enrolment windows in " + normalNames);
        }
        try {
            return evaluate(enrolment, normalTests, anomalyTests, config, tracker);
        } catch (IllegalArgumentException e) {
            throw HearkenException.badInput("cannot fit the scorer on " + normalNames + ": " + e.getMessage());
        }
    }

    /** Enrols (bounded bank, as the sink), scores every test window and runs the event lifecycle per segment. */
    public static EvalResult evaluate(List<EnrolmentVector> enrolment, List<Segment> testNormal,
                                      List<Segment> testAnomalous, ScorerConfig config, EventTracker tracker) {
        ReservoirBank bank = new ReservoirBank(config.bankCap(), config.seed());
        bank.offerAll(enrolment);
        AnomalyScorer scorer = AnomalyScorer.fit(bank.entries(), config);
        List<SegmentOutcome> outcomes = new ArrayList<>();
        List<Double> normalScores = new ArrayList<>();
        List<Double> anomalousScores = new ArrayList<>();
        for (Segment segment : testNormal) {
            outcomes.add(run(segment, false, scorer, tracker, normalScores));
        }
        for (Segment segment : testAnomalous) {
            outcomes.add(run(segment, true, scorer, tracker, anomalousScores));
        }
        double auc = Double.NaN;
        double pauc = Double.NaN;
        if (!normalScores.isEmpty() && !anomalousScores.isEmpty()) {
            double[] n = normalScores.stream().mapToDouble(Double::doubleValue).toArray();
            double[] a = anomalousScores.stream().mapToDouble(Double::doubleValue).toArray();
            auc = RocMetrics.auc(n, a);
            pauc = RocMetrics.pauc(n, a);
        }
        return new EvalResult(auc, pauc, scorer, bank.size(), outcomes);
    }

    /** Scores a segment's windows in order as one stream, adding the scores to {@code scores}. */
    private static SegmentOutcome run(Segment segment, boolean anomalous, AnomalyScorer scorer, EventTracker tracker,
                                      List<Double> scores) {
        TrackerState state = new TrackerState();
        double[] segmentScores = new double[segment.windows().size()];
        int over = 0;
        List<EventTracker.Emission> onsets = new ArrayList<>();
        for (int i = 0; i < segmentScores.length; i++) {
            EnrolmentVector w = segment.windows().get(i);
            segmentScores[i] = scorer.score(w.values());
            boolean isOver = scorer.isAnomalous(segmentScores[i]);
            over += isOver ? 1 : 0;
            scores.add(segmentScores[i]);
            for (EventTracker.Emission e : tracker.step(state, segment.name() + "#" + i, w.startMicros(),
                    w.endMicros(), segmentScores[i], isOver, i == segmentScores.length - 1)) {
                if (e.kind() == EventKind.ONSET) {
                    onsets.add(e);
                }
            }
        }
        return new SegmentOutcome(segment.name(), anomalous, segmentScores, over, onsets);
    }
}
