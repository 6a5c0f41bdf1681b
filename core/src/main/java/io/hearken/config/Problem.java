package io.hearken.config;

import io.hearken.error.HearkenException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** One thing wrong with a configuration, and where it came from. Reads {@code ORIGIN: MESSAGE}. */
public record Problem(Origin origin, String message) {
    @Override
    public String toString() {
        return origin.source().isEmpty() ? message : origin + ": " + message;
    }

    /**
     * Problems as a user reads them: the file's by line (its syntax problems are found before the values are
     * checked), then the rest in the order found, which is environment, flags, then required settings.
     */
    static List<Problem> inSourceOrder(List<Problem> problems) {
        return problems.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.origin().line() > 0 ? 0 : 1).thenComparingInt(p -> p.origin().line()))
                .toList();
    }

    /** One exception listing every problem, one per line. */
    static HearkenException failure(List<Problem> problems) {
        String header = "invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):";
        return HearkenException.config(inSourceOrder(problems).stream().map(p -> "  " + p)
                .collect(Collectors.joining("\n", header + "\n", "")));
    }
}
