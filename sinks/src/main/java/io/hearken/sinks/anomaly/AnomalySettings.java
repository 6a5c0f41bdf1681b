package io.hearken.sinks.anomaly;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigLoader;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed settings of the anomaly sink: the {@code sinks.anomaly.*} settings ({@link #CONFIG}), read with
 * {@link #from(HearkenConfig)}. The fields below are the only place their defaults are written.
 *
 * @param featureName       which feature of the window record is scored
 * @param scorer            scoring and threshold
 * @param enrolWindows      windows that end enrolment (0 = no window limit)
 * @param enrolDuration     audio that ends enrolment (zero = no time limit)
 * @param consecutive       M: windows over threshold in a row that open an event
 * @param holdOff           time at or below threshold that closes an event
 * @param inactivityTimeout wall-clock time without any window after which an open event is closed
 * @param profiles          window profiles monitored; contains {@value #ALL_PROFILES} for all
 * @param groups            stream id → machine group; streams not listed are their own group
 */
public record AnomalySettings(String featureName, ScorerConfig scorer, int enrolWindows, Duration enrolDuration,
                              int consecutive, Duration holdOff, Duration inactivityTimeout, Set<String> profiles,
                              Map<String, String> groups) {
    public static final String ALL_PROFILES = "*";

    public static final Field<String> APPLICATION_ID = Field.string("sinks.anomaly.application.id")
            .withDefault("hearken-sinks-anomaly")
            .withValidator(Validators.matching("[A-Za-z0-9._-]+", "letters, digits, '.', '_' or '-'"))
            .withDescription("Kafka Streams application id of the anomaly sink: its consumer group and the prefix of "
                    + "its internal topics. Changing it starts the sink afresh, without its enrolment banks.");
    public static final Field<String> FEATURE = Field.string("sinks.anomaly.feature").withDefault("mid")
            .withValidator(Validators.nonBlank())
            .withDescription("Model output scored (see the model's MODEL.md).");
    public static final Field<Integer> K = Field.integer("sinks.anomaly.k").withDefault(1)
            .withValidator(Validators.range(1, ScorerConfig.MAX_K))
            .withDescription("Score = mean distance to the k nearest enrolment vectors (1: the nearest neighbour, "
                    + "as the reference method).");
    public static final Field<DistanceMetric> METRIC = Field.enumeration("sinks.anomaly.metric", DistanceMetric.class)
            .withDefault(DistanceMetric.EUCLIDEAN)
            .withDescription("Distance between feature vectors after per-dimension standardisation.");
    public static final Field<Double> THRESHOLD_QUANTILE = Field.number("sinks.anomaly.threshold.quantile")
            .withDefault(0.99)
            .withValidator(Validators.of("in (0, 1]", q -> q > 0 && q <= 1))
            .withDescription("The threshold is this quantile of the enrolment windows' own scores.");
    public static final Field<Duration> NEIGHBOUR_GAP = Field.duration("sinks.anomaly.threshold.neighbour.gap")
            .withDefault(Duration.ofSeconds(1))
            .withDescription("Windows of one segment closer than this (overlapping ones included) are temporal "
                    + "neighbours, left out of each other's enrolment score; 1s with 1s windows and 0.5s hop leaves "
                    + "out three windows on each side.");
    public static final Field<Integer> BANK_CAP = Field.integer("sinks.anomaly.bank.cap").withDefault(2000)
            .withUnit("vectors")
            .withValidator(Validators.range(2, ScorerConfig.MAX_BANK_CAP))
            .withDescription("Most enrolment vectors kept per bank (2,000 256-float mid vectors are 2 MB); beyond "
                    + "it a reservoir sample is kept.");
    public static final Field<Long> BANK_SEED = Field.longInteger("sinks.anomaly.bank.seed").withDefault(42L)
            .withDescription("Seed of the reservoir sample: the same windows in the same order give the same bank.");
    public static final Field<Integer> ENROL_WINDOWS = Field.integer("sinks.anomaly.enrol.windows").withDefault(0)
            .withUnit("windows")
            .withValidator(Validators.atLeast(0))
            .withDescription("Enrolment ends after this many windows (0: no window limit).");
    public static final Field<Duration> ENROL_DURATION = Field.duration("sinks.anomaly.enrol.duration")
            .withDefault(Duration.ofSeconds(60))
            .withDescription("Enrolment ends after this much audio (0: no time limit). With both limits 0 only a "
                    + "FINISH_ENROLMENT control record (anomaly finish) ends it.");
    public static final Field<Integer> CONSECUTIVE = Field.integer("sinks.anomaly.consecutive").withDefault(3)
            .withUnit("windows")
            .withValidator(Validators.atLeast(1))
            .withDescription("Windows over the threshold in a row that open an anomaly event.");
    public static final Field<Duration> HOLD_OFF = Field.duration("sinks.anomaly.hold.off")
            .withDefault(Duration.ofSeconds(2))
            .withDescription("Audio time at or below the threshold that closes an open event.");
    public static final Field<Duration> INACTIVITY_TIMEOUT = Field.duration("sinks.anomaly.inactivity.timeout")
            .withDefault(Duration.ofSeconds(30))
            .withValidator(Validators.of("more than 0", d -> !d.isZero()))
            .withDescription("Wall-clock time without windows after which a stream's open event is closed.");
    public static final Field<List<String>> PROFILES = Field.list("sinks.anomaly.profiles")
            .withDefault(List.of("machine"))
            .withValidator(Validators.nonEmpty())
            .withDescription("Window profiles monitored (" + ALL_PROFILES + ": every profile).");
    public static final Field<String> GROUP = Field.string("sinks.anomaly.group.<stream>")
            .withValidator(Validators.nonBlank())
            .withValidator(Validators.of("free of NUL characters", g -> g.indexOf('\u0000') < 0))
            .withDescription("Machine group of a stream: the streams of a group share one enrolment bank and "
                    + "threshold (default: every stream is its own group).");

    public static final ConfigGroup CONFIG = ConfigGroup.of("sinks.anomaly",
            "The anomaly sink: enrolment, kNN scoring against the enrolment bank, event lifecycle.",
            APPLICATION_ID, FEATURE, K, METRIC, THRESHOLD_QUANTILE, NEIGHBOUR_GAP, BANK_CAP, BANK_SEED,
            ENROL_WINDOWS, ENROL_DURATION, CONSECUTIVE, HOLD_OFF, INACTIVITY_TIMEOUT, PROFILES, GROUP);

    private static final AnomalySettings DEFAULTS = from(HearkenConfig.fromRaw(List.of(CONFIG), Map.of()));

    public AnomalySettings {
        // The same checks as the fields', for settings built in code (withX, tests); messages name the keys.
        if (featureName == null || featureName.isBlank()) {
            throw HearkenException.config(FEATURE.key() + " must not be blank");
        }
        if (scorer == null) {
            throw HearkenException.config("anomaly scorer settings are missing");
        }
        if (enrolWindows < 0) {
            throw HearkenException.config(ENROL_WINDOWS.key() + " must be >= 0, got " + enrolWindows);
        }
        if (enrolDuration == null || enrolDuration.isNegative()) {
            throw HearkenException.config(ENROL_DURATION.key() + " must be >= 0, got " + enrolDuration);
        }
        if (consecutive < 1) {
            throw HearkenException.config(CONSECUTIVE.key() + " must be >= 1, got " + consecutive);
        }
        if (holdOff == null || holdOff.isNegative()) {
            throw HearkenException.config(HOLD_OFF.key() + " must be >= 0, got " + holdOff);
        }
        if (inactivityTimeout == null || inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw HearkenException.config(INACTIVITY_TIMEOUT.key() + " must be > 0, got " + inactivityTimeout);
        }
        if (profiles == null || profiles.isEmpty() || profiles.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw HearkenException.config(PROFILES.key() + " must name at least one profile (or *), got " + profiles);
        }
        profiles = Set.copyOf(profiles);
        if (groups == null) {
            groups = Map.of();
        }
        groups.forEach((stream, group) -> {
            if (group == null || group.isBlank()) {
                throw HearkenException.config(GROUP.keyFor(stream) + " must not be blank");
            }
            if (group.indexOf('\u0000') >= 0 || stream.indexOf('\u0000') >= 0) {
                throw HearkenException.config(GROUP.keyFor(stream) + " contains a NUL character");
            }
        });
        groups = Map.copyOf(new TreeMap<>(groups));
    }

    /** Every setting at its default. */
    public static AnomalySettings defaults() {
        return DEFAULTS;
    }

    /** The settings of {@code config}, which must include {@link #CONFIG}. */
    public static AnomalySettings from(HearkenConfig config) {
        ScorerConfig scorer = new ScorerConfig(config.get(K), config.get(METRIC), config.get(THRESHOLD_QUANTILE),
                config.get(NEIGHBOUR_GAP), config.get(BANK_CAP), config.get(BANK_SEED));
        return new AnomalySettings(config.get(FEATURE), scorer, config.get(ENROL_WINDOWS), config.get(ENROL_DURATION),
                config.get(CONSECUTIVE), config.get(HOLD_OFF), config.get(INACTIVITY_TIMEOUT),
                new LinkedHashSet<>(config.get(PROFILES)), config.patterned(GROUP));
    }

    /**
     * The settings in a properties file of {@code sinks.anomaly.*} keys alone (demo {@code --anomaly-settings}),
     * read by the one configuration loader: every unknown key or bad value is reported at once, with its line.
     */
    public static AnomalySettings load(Path file) {
        return from(ConfigLoader.of(List.of(CONFIG)).load(Optional.of(file), Map.of(), Map.of()));
    }

    /** The machine group whose bank scores {@code streamId}'s windows. */
    public String groupOf(String streamId) {
        return groups.getOrDefault(streamId, streamId);
    }

    public boolean monitors(String profile) {
        return profiles.contains(ALL_PROFILES) || profiles.contains(profile);
    }

    public AnomalySettings withScorer(ScorerConfig newScorer) {
        return new AnomalySettings(featureName, newScorer, enrolWindows, enrolDuration, consecutive, holdOff,
                inactivityTimeout, profiles, groups);
    }

    public AnomalySettings withEnrolment(int windows, Duration duration) {
        return new AnomalySettings(featureName, scorer, windows, duration, consecutive, holdOff, inactivityTimeout,
                profiles, groups);
    }

    public AnomalySettings withLifecycle(int newConsecutive, Duration newHoldOff, Duration newInactivityTimeout) {
        return new AnomalySettings(featureName, scorer, enrolWindows, enrolDuration, newConsecutive, newHoldOff,
                newInactivityTimeout, profiles, groups);
    }

    public AnomalySettings withProfiles(Set<String> newProfiles) {
        return new AnomalySettings(featureName, scorer, enrolWindows, enrolDuration, consecutive, holdOff,
                inactivityTimeout, newProfiles, groups);
    }

    public AnomalySettings withGroups(Map<String, String> newGroups) {
        return new AnomalySettings(featureName, scorer, enrolWindows, enrolDuration, consecutive, holdOff,
                inactivityTimeout, profiles, newGroups);
    }

    public AnomalySettings withFeature(String feature) {
        return new AnomalySettings(feature, scorer, enrolWindows, enrolDuration, consecutive, holdOff,
                inactivityTimeout, profiles, groups);
    }

    public EventTracker tracker() {
        return new EventTracker(consecutive, holdOff);
    }
}
