package io.hearken.config;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Common {@link Validator}s. Bounds are rendered in the user's syntax ({@code 100ms}, not {@code PT0.1S}). */
public final class Validators {
    private Validators() {
    }

    public static <T> Validator<T> of(String requirement, Predicate<? super T> test) {
        return new Validator<>(requirement, test);
    }

    public static <T extends Comparable<? super T>> Validator<T> atLeast(T min) {
        return of("at least " + display(min), v -> v.compareTo(min) >= 0);
    }

    public static <T extends Comparable<? super T>> Validator<T> atMost(T max) {
        return of("at most " + display(max), v -> v.compareTo(max) <= 0);
    }

    /** Inclusive on both ends. */
    public static <T extends Comparable<? super T>> Validator<T> range(T min, T max) {
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("empty range " + display(min) + ".." + display(max));
        }
        return of("between " + display(min) + " and " + display(max),
                v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0);
    }

    public static Validator<String> nonBlank() {
        return of("non-blank", v -> !v.isBlank());
    }

    public static <C extends Collection<?>> Validator<C> nonEmpty() {
        return of("non-empty", v -> !v.isEmpty());
    }

    /** The whole value must match {@code regex}; {@code description} completes "must be ...", e.g. "a host:port". */
    public static Validator<String> matching(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return of(description, v -> pattern.matcher(v).matches());
    }

    static String display(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Double d) {
            return Texts.number(d);
        }
        return String.valueOf(value);
    }
}
