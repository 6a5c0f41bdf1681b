package io.hearken.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A resolved, validated configuration: every explicitly set value parsed and checked, every required setting
 * present. Immutable. Built by {@link ConfigLoader}, by {@link #fromRaw} (e.g. in a remote process, from
 * {@link #asProperties()}) or from another one with {@link #with(Map)}.
 *
 * <p>Fields passed to the accessors must be the very instances declared in this configuration's groups; anything
 * else is a bug and throws {@link IllegalArgumentException}.
 */
public final class HearkenConfig {
    private record Entry(Field<?> field, String placeholder, String raw, Object value, Origin origin) {
    }

    private final Catalog catalog;
    /** Explicitly set values by key, sorted by key. */
    private final Map<String, Entry> explicit;

    private HearkenConfig(Catalog catalog, Map<String, Entry> explicit) {
        this.catalog = catalog;
        this.explicit = Collections.unmodifiableMap(new TreeMap<>(explicit));
    }

    /**
     * Resolves {@code settings}, lowest precedence first, adding every problem to {@code problems}: unknown keys,
     * bad values (only of the values that win) and, when {@code requireAll}, required settings nobody set.
     */
    static HearkenConfig resolve(Catalog catalog, List<RawSetting> settings, boolean requireAll, List<Problem> problems) {
        // Problems are keyed by the position of their setting so they read in source order.
        Map<Integer, Problem> found = new TreeMap<>();
        Map<String, Integer> winners = new LinkedHashMap<>();
        Map<String, Catalog.Match> matches = new LinkedHashMap<>();
        for (int i = 0; i < settings.size(); i++) {
            RawSetting setting = settings.get(i);
            Optional<Catalog.Match> match = catalog.lookup(setting.key());
            if (match.isEmpty()) {
                found.put(i, new Problem(setting.origin(), catalog.unknown(setting.key())));
            } else {
                winners.put(setting.key(), i);
                matches.put(setting.key(), match.get());
            }
        }
        Map<String, Entry> values = new LinkedHashMap<>();
        winners.forEach((key, index) -> {
            RawSetting setting = settings.get(index);
            Catalog.Match match = matches.get(key);
            try {
                Object value = match.field().parse(setting.value());
                values.put(key, new Entry(match.field(), match.placeholder(), setting.value().strip(), value, setting.origin()));
            } catch (IllegalArgumentException e) {
                found.put(index, new Problem(setting.origin(), key + ": " + e.getMessage()));
            }
        });
        problems.addAll(found.values());
        if (requireAll) {
            for (Field<?> field : catalog.exactFields()) {
                if (field.isRequired() && !winners.containsKey(field.key())) {
                    problems.add(new Problem(Origin.NONE, field.key() + ": required but not set (set it in the --config file, as "
                            + field.envName().orElseThrow() + " or with --set " + field.key() + "=VALUE)"));
                }
            }
        }
        return new HearkenConfig(catalog, values);
    }

    static HearkenConfig resolveOrThrow(Catalog catalog, List<RawSetting> settings) {
        List<Problem> problems = new ArrayList<>();
        HearkenConfig config = resolve(catalog, settings, true, problems);
        if (!problems.isEmpty()) {
            throw Problem.failure(problems);
        }
        return config;
    }

    /** Validates {@code raw} (as from {@link #asProperties()}) against {@code known}; throws one CONFIG error listing every problem. */
    public static HearkenConfig fromRaw(List<ConfigGroup> known, Map<String, String> raw) {
        return resolveOrThrow(new Catalog(known), toSettings(raw, Origin.RAW));
    }

    /** The value of an exact field, else its default. Throws {@link IllegalStateException} for an unset optional field. */
    public <T> T get(Field<T> field) {
        return find(field).orElseThrow(() -> new IllegalStateException(field.key() + " is optional and not set; use find()"));
    }

    /** The value of an exact field, else its default, else empty (only for {@link Field#optional()} fields). */
    public <T> Optional<T> find(Field<T> field) {
        requireKind(field, false);
        Entry entry = explicit.get(field.key());
        return entry == null ? field.defaultValue() : Optional.of(cast(field, entry.value()));
    }

    /** The value a pattern field has for {@code name} ({@code line-3} for {@code sinks.anomaly.group.line-3}), else its default. */
    public <T> Optional<T> find(Field<T> pattern, String name) {
        requireKind(pattern, true);
        Entry entry = explicit.get(pattern.keyFor(name));
        return entry == null ? pattern.defaultValue() : Optional.of(cast(pattern, entry.value()));
    }

    /** Every explicitly set instance of a pattern field: placeholder value to value, sorted by placeholder. */
    public <T> Map<String, T> patterned(Field<T> pattern) {
        requireKind(pattern, true);
        Map<String, T> out = new TreeMap<>();
        for (Entry entry : explicit.values()) {
            if (entry.field() == pattern) {
                out.put(entry.placeholder(), cast(pattern, entry.value()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether the field (for a pattern field: any instance of it) was set explicitly rather than defaulted. */
    public boolean has(Field<?> field) {
        catalog.requireDeclared(field);
        return explicit.values().stream().anyMatch(e -> e.field() == field);
    }

    /** Where an explicitly set key came from; empty when it was not set (its value, if any, is the default). */
    public Optional<Origin> origin(String key) {
        return Optional.ofNullable(explicit.get(key)).map(Entry::origin);
    }

    /** A copy with {@code overrides} applied on top (origin {@link Origin#OVERRIDE}), validated again. */
    public HearkenConfig with(Map<String, String> overrides) {
        List<RawSetting> settings = new ArrayList<>();
        explicit.forEach((key, e) -> settings.add(new RawSetting(key, e.raw(), e.origin())));
        settings.addAll(toSettings(overrides, Origin.OVERRIDE));
        return resolveOrThrow(catalog, settings);
    }

    /** The explicitly set values as written (trimmed), sorted by key: what to ship to a remote process. */
    public Map<String, String> asProperties() {
        Map<String, String> out = new TreeMap<>();
        explicit.forEach((key, e) -> out.put(key, e.raw()));
        return Collections.unmodifiableMap(out);
    }

    public List<ConfigGroup> groups() {
        return catalog.groups();
    }

    private void requireKind(Field<?> field, boolean pattern) {
        catalog.requireDeclared(field);
        if (field.isPattern() != pattern) {
            throw new IllegalArgumentException(field.key() + (pattern ? " is not a pattern key" : " is a pattern key; use patterned() or find(field, name)"));
        }
    }

    @SuppressWarnings("unchecked") // Safe: entries are parsed by the very field they are read through.
    private static <T> T cast(Field<T> field, Object value) {
        return (T) value;
    }

    private static List<RawSetting> toSettings(Map<String, String> raw, Origin origin) {
        return new TreeMap<>(raw).entrySet().stream().map(e -> new RawSetting(e.getKey(), e.getValue(), origin)).toList();
    }

    @Override
    public String toString() {
        return explicit.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().raw() + " (" + e.getValue().origin() + ")")
                .collect(Collectors.joining(", ", "HearkenConfig{", "}"));
    }
}
