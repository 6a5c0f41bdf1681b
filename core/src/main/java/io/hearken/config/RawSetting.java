package io.hearken.config;

import java.util.Objects;

/** One key and its unparsed value, as read from a file, the environment or a flag. */
public record RawSetting(String key, String value, Origin origin) {
    public RawSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    /** A value set by a named command-line flag, so errors name that flag. */
    public static RawSetting flag(String key, String value, String flagName) {
        return new RawSetting(key, value, Origin.flag(flagName));
    }
}
