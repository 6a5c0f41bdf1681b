package io.hearken.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A check on a parsed value. {@code requirement} completes the sentence "'VALUE' must be ...", e.g.
 * {@code at least 100ms}, and is also what the reference shows as allowed. Factories are in {@link Validators}.
 */
public record Validator<T>(String requirement, Predicate<? super T> test) {
    public Validator {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(test, "test");
    }

    public boolean accepts(T value) {
        return test.test(value);
    }
}
