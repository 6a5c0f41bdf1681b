package io.hearken.config;

import java.nio.file.Path;

/**
 * Where a raw setting came from, as messages name it: {@code hearken.properties:12}, {@code environment HEARKEN_X},
 * {@code flag --set}. {@code line} is the line in a file, 0 for other sources.
 */
public record Origin(String source, int line) {
    /** For problems that belong to no single source, such as a required setting that nobody set. */
    public static final Origin NONE = new Origin("", 0);
    public static final Origin SET_FLAG = flag("--set");
    /** Values given to {@link HearkenConfig#with}. */
    public static final Origin OVERRIDE = new Origin("override", 0);
    /** Values given to {@link HearkenConfig#fromRaw}, e.g. shipped to a remote process. */
    public static final Origin RAW = new Origin("shipped settings", 0);

    public static Origin file(Path file, int line) {
        return new Origin(file.toString(), line);
    }

    public static Origin file(Path file) {
        return new Origin(file.toString(), 0);
    }

    public static Origin environment(String variable) {
        return new Origin("environment " + variable, 0);
    }

    /** A command-line flag, e.g. {@code flag("--checkpoint-ms")}. */
    public static Origin flag(String name) {
        return new Origin("flag " + name, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source;
    }
}
