package io.hearken.config;

/** The value types a {@link Field} can have; each has one text syntax, shared by files, environment and flags. */
public enum FieldType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    DOUBLE("number"),
    BOOLEAN("boolean"),
    /** {@code 500ms}, {@code 1.5s}, {@code 10m}, ISO-8601 {@code PT2S}: see {@link Durations}. */
    DURATION("duration"),
    /** One of a fixed set of strings, matched ignoring case. */
    ENUM("enum"),
    /** Comma-separated strings, trimmed, empty items dropped. */
    LIST("list"),
    PATH("path");

    private final String label;

    FieldType(String label) {
        this.label = label;
    }

    /** The name shown in the reference. */
    public String label() {
        return label;
    }
}
