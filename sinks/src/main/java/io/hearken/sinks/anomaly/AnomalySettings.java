package io.hearken.sinks.anomaly;

import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed settings of the anomaly sink. Keys (all under {@code sinks.anomaly.}; {@link #fromMap} rejects unknown ones):
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code feature}</td><td>model output scored (default {@code mid}: see the model's MODEL.md)</td></tr>
 *   <tr><td>{@code k}, {@code metric}, {@code threshold.quantile}, {@code threshold.neighbour.gap.ms},
 *       {@code bank.cap}, {@code bank.seed}</td><td>the scorer ({@link ScorerConfig})</td></tr>
 *   <tr><td>{@code enrol.windows}</td><td>enrolment ends after this many windows (default 0: no window limit)</td></tr>
 *   <tr><td>{@code enrol.duration.ms}</td><td>... or after this much audio (default 60 s; 0: no limit). With both
 *       0 only a FINISH_ENROLMENT control record ends enrolment.</td></tr>
 *   <tr><td>{@code consecutive}</td><td>windows over threshold in a row that open an event (default 3)</td></tr>
 *   <tr><td>{@code hold.off.ms}</td><td>time at or below threshold that closes it (default 2 s)</td></tr>
 *   <tr><td>{@code inactivity.timeout.ms}</td><td>wall-clock time without windows after which a stream's open
 *       event is closed (default 30 s)</td></tr>
 *   <tr><td>{@code profiles}</td><td>comma-separated window profiles monitored (default {@code machine};
 *       {@code *} = every profile)</td></tr>
 *   <tr><td>{@code group.<streamId>}</td><td>machine group of a stream: the streams of a group share one bank and
 *       threshold (default: every stream is its own group)</td></tr>
 * </table>
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
    public static final String PREFIX = "sinks.anomaly.";
    public static final String ALL_PROFILES = "*";
    public static final String DEFAULT_FEATURE = "mid";
    public static final int DEFAULT_ENROL_WINDOWS = 0;
    public static final Duration DEFAULT_ENROL_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_CONSECUTIVE = 3;
    public static final Duration DEFAULT_HOLD_OFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofSeconds(30);
    public static final Set<String> DEFAULT_PROFILES = Set.of("machine");

    public AnomalySettings {
        if (featureName == null || featureName.isBlank()) {
            throw HearkenException.config(PREFIX + "feature must not be blank");
        }
        if (scorer == null) {
            throw HearkenException.config("anomaly scorer settings are missing");
        }
        if (enrolWindows < 0) {
            throw HearkenException.config(PREFIX + "enrol.windows must be >= 0, got " + enrolWindows);
        }
        if (enrolDuration == null || enrolDuration.isNegative()) {
            throw HearkenException.config(PREFIX + "enrol.duration.ms must be >= 0, got " + enrolDuration);
        }
        if (consecutive < 1) {
            throw HearkenException.config(PREFIX + "consecutive must be >= 1, got " + consecutive);
        }
        if (holdOff == null || holdOff.isNegative()) {
            throw HearkenException.config(PREFIX + "hold.off.ms must be >= 0, got " + holdOff);
        }
        if (inactivityTimeout == null || inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw HearkenException.config(PREFIX + "inactivity.timeout.ms must be > 0, got " + inactivityTimeout);
        }
        if (profiles == null || profiles.isEmpty() || profiles.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw HearkenException.config(PREFIX + "profiles must name at least one profile (or *), got " + profiles);
        }
        profiles = Set.copyOf(profiles);
        if (groups == null) {
            groups = Map.of();
        }
        groups.forEach((stream, group) -> {
            if (group == null || group.isBlank()) {
                throw HearkenException.config(PREFIX + "group." + stream + " must not be blank");
            }
            if (group.indexOf('\u0000') >= 0 || stream.indexOf('\u0000') >= 0) {
                throw HearkenException.config(PREFIX + "group." + stream + " contains a NUL character");
            }
        });
        groups = Map.copyOf(new TreeMap<>(groups));
    }

    public static AnomalySettings defaults() {
        return new AnomalySettings(DEFAULT_FEATURE, ScorerConfig.defaults(), DEFAULT_ENROL_WINDOWS,
                DEFAULT_ENROL_DURATION, DEFAULT_CONSECUTIVE, DEFAULT_HOLD_OFF, DEFAULT_INACTIVITY_TIMEOUT,
                DEFAULT_PROFILES, Map.of());
    }

    /**
     * Settings from a properties file of {@value #PREFIX}* keys (as {@link #fromMap}); an unreadable file or a key
     * without the prefix (which fromMap would ignore) is a CONFIG error naming it.
     */
    public static AnomalySettings load(java.nio.file.Path file) {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new HearkenException(io.hearken.error.ErrorKind.CONFIG, "cannot read anomaly settings " + file + ": " + e, e);
        }
        Map<String, String> config = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                throw HearkenException.config(file + ": unknown setting " + key + " (anomaly settings start with "
                        + PREFIX + ")");
            }
            config.put(key, properties.getProperty(key));
        }
        return fromMap(config);
    }

    /**
     * Settings from dotted keys (e.g. a properties file); keys not starting with {@value #PREFIX} are ignored, unknown
     * keys under it and malformed values are CONFIG errors naming the key.
     */
    public static AnomalySettings fromMap(Map<String, String> config) {
        AnomalySettings d = defaults();
        ScorerConfig s = d.scorer();
        String feature = d.featureName();
        int k = s.k();
        DistanceMetric metric = s.metric();
        double quantile = s.quantile();
        Duration gap = s.neighbourGap();
        int cap = s.bankCap();
        long seed = s.seed();
        int enrolWindows = d.enrolWindows();
        Duration enrolDuration = d.enrolDuration();
        int consecutive = d.consecutive();
        Duration holdOff = d.holdOff();
        Duration inactivity = d.inactivityTimeout();
        Set<String> profiles = d.profiles();
        Map<String, String> groups = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(config).entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                continue;
            }
            String key = e.getKey().substring(PREFIX.length());
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (key.startsWith("group.") && key.length() > "group.".length()) {
                groups.put(key.substring("group.".length()), value);
                continue;
            }
            switch (key) {
                case "feature" -> feature = value;
                case "k" -> k = (int) parseLong(e.getKey(), value);
                case "metric" -> metric = DistanceMetric.parse(value);
                case "threshold.quantile" -> quantile = parseDouble(e.getKey(), value);
                case "threshold.neighbour.gap.ms" -> gap = Duration.ofMillis(parseLong(e.getKey(), value));
                case "bank.cap" -> cap = (int) parseLong(e.getKey(), value);
                case "bank.seed" -> seed = parseLong(e.getKey(), value);
                case "enrol.windows" -> enrolWindows = (int) parseLong(e.getKey(), value);
                case "enrol.duration.ms" -> enrolDuration = Duration.ofMillis(parseLong(e.getKey(), value));
                case "consecutive" -> consecutive = (int) parseLong(e.getKey(), value);
                case "hold.off.ms" -> holdOff = Duration.ofMillis(parseLong(e.getKey(), value));
                case "inactivity.timeout.ms" -> inactivity = Duration.ofMillis(parseLong(e.getKey(), value));
                case "profiles" -> profiles = new LinkedHashSet<>(Arrays.stream(value.split(","))
                        .map(String::trim).filter(p -> !p.isEmpty()).toList());
                default -> throw HearkenException.config("unknown setting " + e.getKey() + " (known: " + PREFIX
                        + "{feature, k, metric, threshold.quantile, threshold.neighbour.gap.ms, bank.cap, bank.seed, "
                        + "enrol.windows, enrol.duration.ms, consecutive, hold.off.ms, inactivity.timeout.ms, profiles, "
                        + "group.<streamId>})");
            }
        }
        return new AnomalySettings(feature, new ScorerConfig(k, metric, quantile, gap, cap, seed), enrolWindows,
                enrolDuration, consecutive, holdOff, inactivity, profiles, groups);
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

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw HearkenException.config(key + " must be an integer, got '" + value + "'");
        }
    }

    private static double parseDouble(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw HearkenException.config(key + " must be a number, got '" + value + "'");
        }
    }
}
