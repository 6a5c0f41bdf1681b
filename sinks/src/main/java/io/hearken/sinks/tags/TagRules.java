package io.hearken.sinks.tags;

import io.hearken.config.EditDistance;
import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * When windows' label scores open and close tag events: typed configuration with defaults and overrides, immutable
 * and validated on construction (every message names the offending key). Load it from JSON with
 * {@link TagRulesConfig#parse(String)} or {@link TagRulesConfig#load}; {@link #forStream(String)} resolves what applies to one stream.
 *
 * <p>What a label gets on a stream, most specific first (the first that sets a field wins, field by field):
 * {@code streams.<pattern>.labels.<label>}, {@code labels.<label>}, {@code streams.<pattern>.defaults},
 * {@code defaults}. A label-specific setting thus beats a stream-wide one: a stream that lowers every threshold does
 * not undo a label that was made stricter everywhere, unless it names that label too.
 *
 * <p>Stream patterns: a key of {@code streams} equal to the stream id wins; otherwise the first pattern (in document
 * order) that matches, with {@code *} for any run of characters and {@code ?} for one. One override applies at most.
 *
 * <p>Groups: a group's score in a window is the highest score of its members, and its events carry the group name as
 * label. A label that belongs to a group produces events only through its group, unless {@code listen} names it
 * itself. {@code listen}: when not empty, only these labels and groups produce events. Keys of {@code labels} name
 * what produces events: an AudioSet label or a group name (a grouped label's own rule is not used through its group).
 * Label, group and listen names are matched without regard to case; {@link #validateLabels} checks them against the
 * model's label list.
 */
public final class TagRules {
    public static final float DEFAULT_THRESHOLD = 0.3f;
    public static final Duration DEFAULT_HOLD_OFF = Duration.ofMillis(1500);
    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofSeconds(30);
    public static final LabelRule DEFAULT_RULE = new LabelRule(DEFAULT_THRESHOLD, LabelRule.NO_GATE, 1, DEFAULT_HOLD_OFF);
    /** Resolved rules are cached per stream id; beyond this many ids the cache starts over. */
    private static final int CACHE_LIMIT = 10_000;

    private final LabelRule defaults;
    private final Map<String, LabelRuleOverride> labels;
    private final Map<String, Group> groups;
    private final List<String> listen;
    private final Map<String, StreamOverride> streams;
    private final Map<String, Pattern> globs;
    private final Duration inactivityTimeout;
    private final Map<String, StreamRules> resolved = new ConcurrentHashMap<>();

    record Group(String name, List<String> members) {
    }

    /** The rules of earlier versions: one threshold and hold-off for every label, no gate, K = 1. */
    public TagRules(float threshold, Duration holdOff, Duration inactivityTimeout) {
        this(builder().defaults(new LabelRule(threshold, LabelRule.NO_GATE, 1, requireHoldOff(holdOff)))
                .inactivityTimeout(inactivityTimeout));
    }

    private TagRules(Builder b) {
        if (b.inactivityTimeout == null || b.inactivityTimeout.isNegative() || b.inactivityTimeout.isZero()) {
            throw HearkenException.config("tag rules: inactivity_timeout must be > 0, got " + b.inactivityTimeout);
        }
        this.defaults = b.defaults;
        this.inactivityTimeout = b.inactivityTimeout;
        this.labels = normaliseLabels(b.labels, "labels");
        this.groups = normaliseGroups(b.groups, "groups");
        this.listen = List.copyOf(checkListen(b.listen, "listen"));
        Map<String, StreamOverride> streams = new LinkedHashMap<>();
        Map<String, Pattern> globs = new LinkedHashMap<>();
        b.streams.forEach((pattern, o) -> {
            String path = join("streams", pattern);
            if (pattern.isBlank()) {
                throw HearkenException.config("tag rules: streams has an empty stream id or pattern");
            }
            o.defaults().validate(join(path, "defaults"));
            if (o.inactivityTimeout() != null && (o.inactivityTimeout().isNegative() || o.inactivityTimeout().isZero())) {
                throw HearkenException.config("tag rules: " + join(path, "inactivity_timeout") + " must be > 0, got "
                        + o.inactivityTimeout());
            }
            normaliseLabels(o.labels(), join(path, "labels"));
            normaliseGroups(o.groups(), join(path, "groups"));
            if (o.listen() != null) {
                checkListen(o.listen(), join(path, "listen"));
            }
            streams.put(pattern, o);
            if (pattern.contains("*") || pattern.contains("?")) {
                globs.put(pattern, glob(pattern));
            }
        });
        this.streams = streams;
        this.globs = globs;
    }

    public static TagRules defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses the JSON form; see {@link TagRulesConfig}. */
    public static TagRules fromJson(String json) {
        return TagRulesConfig.parse(json);
    }

    /** Default threshold (the {@code defaults} section). */
    public float threshold() {
        return defaults.threshold();
    }

    /** Default hold-off ({@code defaults.max_not_heard}). */
    public Duration holdOff() {
        return defaults.maxNotHeard();
    }

    /** Global inactivity timeout: wall-clock time without any window after which a stream's open tags close. */
    public Duration inactivityTimeout() {
        return inactivityTimeout;
    }

    /** The shortest inactivity timeout of any stream: how often the sinks must look for dead streams. */
    public Duration shortestInactivityTimeout() {
        Duration shortest = inactivityTimeout;
        for (StreamOverride o : streams.values()) {
            if (o.inactivityTimeout() != null && o.inactivityTimeout().compareTo(shortest) < 0) {
                shortest = o.inactivityTimeout();
            }
        }
        return shortest;
    }

    public LabelRule defaultRule() {
        return defaults;
    }

    /** What applies to one stream (cached). */
    public StreamRules forStream(String streamId) {
        StreamRules rules = resolved.get(streamId);
        if (rules == null) {
            if (resolved.size() >= CACHE_LIMIT) {
                resolved.clear();
            }
            rules = resolve(streamId);
            resolved.put(streamId, rules);
        }
        return rules;
    }

    /** The key of {@code streams} that applies to a stream (its id, else the first matching pattern), or null. */
    public String overrideFor(String streamId) {
        if (streams.containsKey(streamId)) {
            return streamId;
        }
        for (Map.Entry<String, Pattern> g : globs.entrySet()) {
            if (g.getValue().matcher(streamId).matches()) {
                return g.getKey();
            }
        }
        return null;
    }

    private StreamRules resolve(String streamId) {
        String key = overrideFor(streamId);
        StreamOverride o = key == null ? null : streams.get(key);
        LabelRule base = o == null ? defaults : o.defaults().applyTo(defaults);
        Map<String, LabelRule> byLabel = new HashMap<>();
        Map<String, LabelRuleOverride> streamLabels = o == null ? Map.of() : normaliseLabels(o.labels(), "");
        Set<String> named = new HashSet<>(labels.keySet());
        named.addAll(streamLabels.keySet());
        for (String label : named) {
            LabelRule rule = base;
            rule = labels.getOrDefault(label, LabelRuleOverride.NONE).applyTo(rule);
            rule = streamLabels.getOrDefault(label, LabelRuleOverride.NONE).applyTo(rule);
            byLabel.put(label, rule);
        }
        Map<String, Group> allGroups = new LinkedHashMap<>(groups);
        if (o != null) {
            allGroups.putAll(normaliseGroups(o.groups(), ""));
        }
        List<String> listening = o != null && o.listen() != null ? o.listen() : listen;
        Duration timeout = o != null && o.inactivityTimeout() != null ? o.inactivityTimeout() : inactivityTimeout;
        return new StreamRules(key, base, byLabel, allGroups.values(), listening, timeout);
    }

    /**
     * Checks every label this configuration names against the model's label list, so that a typo fails at start-up
     * instead of silently never firing. Every unknown name is reported at once, one a line.
     */
    public void validateLabels(Collection<String> modelLabels) {
        Map<String, String> known = new HashMap<>();
        modelLabels.forEach(l -> known.put(lower(l), l));
        List<String> problems = new ArrayList<>();
        checkNames(known, groups, labels.keySet(), listen, groups, "", problems);
        streams.forEach((pattern, o) -> {
            Map<String, Group> streamGroups = normaliseGroups(o.groups(), "");
            Map<String, Group> visible = new LinkedHashMap<>(groups);
            visible.putAll(streamGroups);
            checkNames(known, streamGroups, normaliseLabels(o.labels(), "").keySet(),
                    o.listen() == null ? List.of() : o.listen(), visible, join("streams", pattern) + ".", problems);
        });
        if (!problems.isEmpty()) {
            throw HearkenException.config(String.join("\n", problems));
        }
    }

    private static void checkNames(Map<String, String> known, Map<String, Group> definedHere, Collection<String> labelKeys,
                                   List<String> listenHere, Map<String, Group> visibleGroups, String prefix,
                                   List<String> problems) {
        for (Group g : definedHere.values()) {
            for (String member : g.members()) {
                if (!known.containsKey(lower(member))) {
                    problems.add(unknownLabel(prefix + join("groups", g.name()), member, known));
                }
            }
        }
        for (String label : labelKeys) {
            if (!known.containsKey(label) && !visibleGroups.containsKey(label)) {
                problems.add(unknownLabel(prefix + "labels", label, known));
            }
        }
        for (int i = 0; i < listenHere.size(); i++) {
            String name = listenHere.get(i);
            if (!known.containsKey(lower(name)) && !visibleGroups.containsKey(lower(name))) {
                problems.add(unknownLabel(prefix + "listen[" + i + "]", name, known));
            }
        }
    }

    private static String unknownLabel(String path, String name, Map<String, String> known) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known.keySet()) {
            int d = EditDistance.between(lower(name), candidate);
            if (d < best) {
                best = d;
                nearest = known.get(candidate);
            }
        }
        String hint = nearest != null && best <= Math.max(2, name.length() / 3) ? " (did you mean \"" + nearest + "\"?)" : "";
        return "tag rules: " + path + ": \"" + name + "\" is neither a label of the model nor a group" + hint;
    }

    private static Map<String, LabelRuleOverride> normaliseLabels(Map<String, LabelRuleOverride> raw, String path) {
        Map<String, LabelRuleOverride> out = new HashMap<>();
        raw.forEach((label, rule) -> {
            if (label == null || label.isBlank()) {
                throw HearkenException.config("tag rules: " + path + " has an empty label name");
            }
            if (rule == null) {
                throw HearkenException.config("tag rules: " + join(path, label) + " has no settings");
            }
            rule.validate(join(path, label));
            if (out.put(lower(label), rule) != null) {
                throw HearkenException.config("tag rules: " + path + " names \"" + label
                        + "\" twice (names are matched without regard to case)");
            }
        });
        return out;
    }

    private static Map<String, Group> normaliseGroups(Map<String, List<String>> raw, String path) {
        Map<String, Group> out = new LinkedHashMap<>();
        raw.forEach((name, members) -> {
            if (name == null || name.isBlank()) {
                throw HearkenException.config("tag rules: " + path + " has a group with an empty name");
            }
            if (members == null || members.isEmpty()) {
                throw HearkenException.config("tag rules: " + join(path, name) + " must list at least one label");
            }
            for (String member : members) {
                if (member == null || member.isBlank()) {
                    throw HearkenException.config("tag rules: " + join(path, name) + " has an empty label");
                }
            }
            if (out.put(lower(name), new Group(name, List.copyOf(members))) != null) {
                throw HearkenException.config("tag rules: " + path + " defines \"" + name
                        + "\" twice (names are matched without regard to case)");
            }
        });
        return out;
    }

    private static List<String> checkListen(List<String> listen, String path) {
        for (int i = 0; i < listen.size(); i++) {
            if (listen.get(i) == null || listen.get(i).isBlank()) {
                throw HearkenException.config("tag rules: " + path + "[" + i + "] is empty");
            }
        }
        return listen;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static Duration requireHoldOff(Duration holdOff) {
        if (holdOff == null || holdOff.isNegative()) {
            throw HearkenException.config("tag rules: defaults.max_not_heard must be >= 0, got " + holdOff);
        }
        return holdOff;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public String toString() {
        return "TagRules{defaults=" + defaults + ", labels=" + labels.keySet() + ", groups=" + groups.keySet()
                + ", listen=" + listen + ", streams=" + streams.keySet() + ", inactivityTimeout=" + inactivityTimeout + "}";
    }

    /** Programmatic construction; {@link #build()} validates. */
    public static final class Builder {
        private LabelRule defaults = DEFAULT_RULE;
        private final Map<String, LabelRuleOverride> labels = new LinkedHashMap<>();
        private final Map<String, List<String>> groups = new LinkedHashMap<>();
        private List<String> listen = List.of();
        private final Map<String, StreamOverride> streams = new LinkedHashMap<>();
        private Duration inactivityTimeout = DEFAULT_INACTIVITY_TIMEOUT;

        private Builder() {
        }

        public Builder defaults(LabelRule rule) {
            this.defaults = rule;
            return this;
        }

        /** Overrides {@link #defaults(LabelRule)} field by field. */
        public Builder defaults(LabelRuleOverride override) {
            this.defaults = override.applyTo(defaults);
            return this;
        }

        public Builder label(String label, LabelRuleOverride rule) {
            labels.put(label, rule);
            return this;
        }

        public Builder group(String name, String... members) {
            return group(name, List.of(members));
        }

        public Builder group(String name, List<String> members) {
            groups.put(name, members == null ? null : new ArrayList<>(members));
            return this;
        }

        public Builder listen(String... names) {
            return listen(List.of(names));
        }

        public Builder listen(List<String> names) {
            this.listen = new ArrayList<>(names);
            return this;
        }

        /** An override for the stream with this id, or for every stream matching this glob pattern. */
        public Builder stream(String idOrPattern, StreamOverride override) {
            streams.put(idOrPattern, override);
            return this;
        }

        public Builder inactivityTimeout(Duration timeout) {
            this.inactivityTimeout = timeout;
            return this;
        }

        public TagRules build() {
            return new TagRules(this);
        }
    }
}
