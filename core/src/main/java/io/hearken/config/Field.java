package io.hearken.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One setting, declared once: its dotted lower-case key, type, default, unit, description and what values it
 * accepts. Immutable; the {@code with...} methods return modified copies. Declare fields as constants and group
 * them with {@link ConfigGroup}; read them with {@link HearkenConfig#get(Field)}.
 *
 * <p>A field without a default is required, unless marked {@link #optional()}. A <em>pattern</em> field has one
 * {@code <name>} segment in its key ({@code sinks.anomaly.group.<stream>}) and stands for any number of settings
 * that fill it in ({@code sinks.anomaly.group.line-3}); read those with {@link HearkenConfig#patterned(Field)}.
 *
 * <p>A custom parser ({@link #withParser}) reports a bad value by throwing {@link IllegalArgumentException}; its
 * message completes the sentence "'VALUE' ..." (e.g. {@code is not allowed}), or may itself start with the quoted
 * value. The key and the allowed values are added by the loader.
 */
public final class Field<T> {
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z][a-z0-9-]*>");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final String key;
    private final FieldType type;
    private final T defaultValue;
    private final boolean optional;
    private final String unit;
    private final String description;
    private final List<String> enumValues;
    private final String allowed;
    private final Function<String, ? extends T> parser;
    private final Function<? super T, String> formatter;
    private final List<Validator<? super T>> validators;
    /** For pattern keys, the text before and after the placeholder; null for exact keys. */
    private final String prefix;
    private final String suffix;

    private Field(String key, FieldType type, T defaultValue, boolean optional, String unit, String description,
                  List<String> enumValues, String allowed, Function<String, ? extends T> parser,
                  Function<? super T, String> formatter, List<Validator<? super T>> validators) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.optional = optional;
        this.unit = unit;
        this.description = description;
        this.enumValues = List.copyOf(enumValues);
        this.allowed = allowed;
        this.parser = parser;
        this.formatter = formatter;
        this.validators = List.copyOf(validators);
        String[] parts = splitPattern(key);
        this.prefix = parts == null ? null : parts[0];
        this.suffix = parts == null ? null : parts[1];
    }

    private static <T> Field<T> create(String key, FieldType type, Function<String, ? extends T> parser,
                                       Function<? super T, String> formatter, List<String> enumValues) {
        return new Field<>(key, type, null, false, null, "", enumValues, null, parser, formatter, List.of());
    }

    private Field<T> copy(T newDefault, boolean newOptional, String newUnit, String newDescription, String newAllowed,
                          Function<String, ? extends T> newParser, Function<? super T, String> newFormatter,
                          List<Validator<? super T>> newValidators) {
        return new Field<>(key, type, newDefault, newOptional, newUnit, newDescription, enumValues, newAllowed,
                newParser, newFormatter, newValidators);
    }

    // ---- factories ----

    public static Field<String> string(String key) {
        return create(key, FieldType.STRING, s -> s, s -> s, List.of());
    }

    public static Field<Integer> integer(String key) {
        return create(key, FieldType.INT, s -> parseWhole(s, "an integer", Integer.MIN_VALUE, Integer.MAX_VALUE).intValue(),
                String::valueOf, List.of());
    }

    public static Field<Long> longInteger(String key) {
        return create(key, FieldType.LONG, s -> parseWhole(s, "an integer", Long.MIN_VALUE, Long.MAX_VALUE),
                String::valueOf, List.of());
    }

    public static Field<Double> number(String key) {
        return create(key, FieldType.DOUBLE, Field::parseDouble, Texts::number, List.of());
    }

    public static Field<Boolean> bool(String key) {
        return create(key, FieldType.BOOLEAN, Field::parseBoolean, String::valueOf, List.of());
    }

    public static Field<Duration> duration(String key) {
        return create(key, FieldType.DURATION, Durations::parse, Durations::format, List.of());
    }

    /** One of {@code values}, matched ignoring case; the value read is the declared spelling. */
    public static Field<String> enumeration(String key, String... values) {
        List<String> declared = List.of(values);
        if (declared.isEmpty() || declared.size() != declared.stream().map(v -> v.toLowerCase(Locale.ROOT)).distinct().count()) {
            throw new IllegalArgumentException(key + ": enum values must be non-empty and distinct: " + declared);
        }
        return create(key, FieldType.ENUM, s -> declared.stream().filter(v -> v.equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("is not allowed")), s -> s, declared);
    }

    /** A Java enum, written lower-case with {@code -} for {@code _} ({@code AT_LEAST_ONCE} is {@code at-least-once}). */
    public static <E extends Enum<E>> Field<E> enumeration(String key, Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'), constant);
        }
        Function<E, String> format = e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return create(key, FieldType.ENUM, s -> Optional.ofNullable(byName.get(s.toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> new IllegalArgumentException("is not allowed")), format, List.copyOf(byName.keySet()));
    }

    /** Comma-separated strings; items are trimmed and empty items dropped, so an empty value is an empty list. */
    public static Field<List<String>> list(String key) {
        return create(key, FieldType.LIST, s -> Arrays.stream(s.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList(),
                v -> String.join(",", v), List.of());
    }

    /** A file system path; a leading {@code ~/} means the user's home (shells expand it in flags, not in files). */
    public static Field<Path> path(String key) {
        return create(key, FieldType.PATH, Field::parsePath, Path::toString, List.of());
    }

    /** A value of any type with its own parser and formatter (shown as a string in the reference). */
    public static <T> Field<T> custom(String key, Function<String, ? extends T> parser, Function<? super T, String> formatter) {
        return create(key, FieldType.STRING, parser, formatter, List.of());
    }

    // ---- withers ----

    public Field<T> withDefault(T value) {
        return copy(Objects.requireNonNull(value, "default"), optional, unit, description, allowed, parser, formatter, validators);
    }

    /** Not required, and no default: {@link HearkenConfig#find(Field)} is empty when it is not set. */
    public Field<T> optional() {
        return copy(defaultValue, true, unit, description, allowed, parser, formatter, validators);
    }

    public Field<T> withUnit(String value) {
        return copy(defaultValue, optional, value, description, allowed, parser, formatter, validators);
    }

    public Field<T> withDescription(String value) {
        return copy(defaultValue, optional, unit, Objects.requireNonNull(value, "description"), allowed, parser, formatter, validators);
    }

    /** What the reference and error messages show as allowed, e.g. {@code cpu, cuda, cuda:N, auto}. */
    public Field<T> withAllowed(String value) {
        return copy(defaultValue, optional, unit, description, value, parser, formatter, validators);
    }

    /** Replaces the type's parser; see the class comment for how it reports bad values. */
    public Field<T> withParser(Function<String, ? extends T> value) {
        return copy(defaultValue, optional, unit, description, allowed, Objects.requireNonNull(value), formatter, validators);
    }

    /** Replaces how values (the default in the reference, {@link HearkenConfig#asProperties()}) are written. */
    public Field<T> withFormatter(Function<? super T, String> value) {
        return copy(defaultValue, optional, unit, description, allowed, parser, Objects.requireNonNull(value), validators);
    }

    /** Adds a check; all of a field's validators must pass. */
    public Field<T> withValidator(Validator<? super T> value) {
        List<Validator<? super T>> all = new ArrayList<>(validators);
        all.add(Objects.requireNonNull(value));
        return copy(defaultValue, optional, unit, description, allowed, parser, formatter, all);
    }

    // ---- accessors ----

    public String key() {
        return key;
    }

    public FieldType type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default written as a user would write it ({@code 1s}, not {@code PT1S}). */
    public Optional<String> defaultText() {
        return defaultValue().map(this::format);
    }

    /** Exact fields without a default that are not {@link #optional()} must be set. */
    public boolean isRequired() {
        return defaultValue == null && !optional && !isPattern();
    }

    public Optional<String> unit() {
        return Optional.ofNullable(unit);
    }

    public String description() {
        return description;
    }

    /** The declared values of an {@link FieldType#ENUM} field, else empty. */
    public List<String> enumValues() {
        return enumValues;
    }

    /** What is allowed: the explicit text, else the enum values, else the validators' requirements. */
    public Optional<String> allowed() {
        if (allowed != null) {
            return Optional.of(allowed);
        }
        if (!enumValues.isEmpty()) {
            return Optional.of(String.join(", ", enumValues));
        }
        if (type == FieldType.BOOLEAN) {
            return Optional.of("true, false");
        }
        if (!validators.isEmpty()) {
            return Optional.of(validators.stream().map(Validator::requirement).collect(Collectors.joining(" and ")));
        }
        return Optional.empty();
    }

    public boolean isPattern() {
        return prefix != null;
    }

    /** The environment variable ({@code HEARKEN_JOB_CHECKPOINT_INTERVAL}); none for pattern keys. */
    public Optional<String> envName() {
        return isPattern() ? Optional.empty() : Optional.of(envName(key));
    }

    static String envName(String key) {
        return "HEARKEN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** For a pattern field, the concrete key for {@code name}: {@code sinks.anomaly.group.<stream>} -> {@code sinks.anomaly.group.NAME}. */
    public String keyFor(String name) {
        if (!isPattern()) {
            throw new IllegalStateException(key + " is not a pattern key");
        }
        return prefix + name + suffix;
    }

    /** Writes a value in the syntax it is read in. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /**
     * Parses and validates {@code text} (surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException with a message naming the value and what is allowed, without the key
     */
    public T parse(String text) {
        String value = text.strip();
        T parsed;
        try {
            parsed = parser.apply(value);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? "is not allowed" : e.getMessage();
            String quoted = Texts.quote(value);
            String problem = message.startsWith(quoted) ? message : quoted + " " + message;
            throw new IllegalArgumentException(allowed().map(a -> problem + " (allowed: " + a + ")").orElse(problem), e);
        }
        Objects.requireNonNull(parsed, () -> key + ": the parser returned null for " + Texts.quote(value));
        for (Validator<? super T> validator : validators) {
            if (!validator.accepts(parsed)) {
                throw new IllegalArgumentException(Texts.quote(value) + " must be " + validator.requirement());
            }
        }
        return parsed;
    }

    /** For a pattern field, what {@code candidate} fills the placeholder with, if it matches. */
    Optional<String> match(String candidate) {
        if (!isPattern() || candidate.length() <= prefix.length() + suffix.length()
                || !candidate.startsWith(prefix) || !candidate.endsWith(suffix)) {
            return Optional.empty();
        }
        String name = candidate.substring(prefix.length(), candidate.length() - suffix.length());
        return name.isBlank() || name.chars().anyMatch(Character::isWhitespace) ? Optional.empty() : Optional.of(name);
    }

    /** The length of the fixed text of a pattern key: the more, the more specific. */
    int fixedLength() {
        return isPattern() ? prefix.length() + suffix.length() : key.length();
    }

    /** The key with its placeholder filled in from {@code candidate}'s segments at the same place, for suggestions. */
    String closestInstance(String candidate) {
        if (!isPattern()) {
            return key;
        }
        String[] mine = key.split("\\.");
        String[] theirs = candidate.split("\\.", -1);
        int at = prefix.isEmpty() ? 0 : prefix.split("\\.").length;
        int width = theirs.length - (mine.length - 1);
        if (width < 1 || at + width > theirs.length) {
            return key;
        }
        return keyFor(String.join(".", Arrays.copyOfRange(theirs, at, at + width)));
    }

    /** Checks the declaration itself; a bad one is a bug, so this throws {@link IllegalArgumentException}. */
    void checkDeclaration() {
        if (defaultValue != null) {
            String text = format(defaultValue);
            try {
                parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": the default is invalid: " + e.getMessage(), e);
            }
        }
    }

    private static String[] splitPattern(String key) {
        String[] segments = key.split("\\.", -1);
        int placeholderAt = -1;
        for (int i = 0; i < segments.length; i++) {
            if (PLACEHOLDER.matcher(segments[i]).matches() && placeholderAt < 0) {
                placeholderAt = i;
            } else if (!SEGMENT.matcher(segments[i]).matches()) {
                throw new IllegalArgumentException("bad setting key '" + key
                        + "': use lower-case dotted segments [a-z0-9]+, with at most one <name> segment");
            }
        }
        if (placeholderAt < 0) {
            return null;
        }
        String before = String.join(".", Arrays.copyOfRange(segments, 0, placeholderAt));
        String after = String.join(".", Arrays.copyOfRange(segments, placeholderAt + 1, segments.length));
        return new String[] {before.isEmpty() ? "" : before + ".", after.isEmpty() ? "" : "." + after};
    }

    private static Long parseWhole(String s, String what, long min, long max) {
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("is not " + what);
        }
        try {
            long value = Long.parseLong(s);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is out of range for " + what, e);
        }
        throw new IllegalArgumentException("is out of range for " + what);
    }

    private static Double parseDouble(String s) {
        // Double.parseDouble alone would also take "NaN", "1d" and hex floats.
        if (!DECIMAL.matcher(s).matches()) {
            throw new IllegalArgumentException("is not a number");
        }
        double value = Double.parseDouble(s);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("is out of range for a number");
        }
        return value;
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException("is not a boolean");
    }

    private static Path parsePath(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is not a path (empty)");
        }
        try {
            return s.startsWith("~/") ? Path.of(System.getProperty("user.home"), s.substring(2)) : Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a path: " + e.getReason(), e);
        }
    }

    @Override
    public String toString() {
        return key + " (" + type.label() + ")";
    }
}
