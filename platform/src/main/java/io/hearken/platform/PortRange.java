package io.hearken.platform;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A TCP port ({@code 9249}) or an inclusive range of them ({@code 9249-9299}), written as Flink's reporters take it. */
public record PortRange(int first, int last) {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad port range " + first + "-" + last + ": ports are 1-65535, first <= last");
        }
    }

    /**
     * Parses {@code 9249} or {@code 9249-9299}.
     *
     * @throws IllegalArgumentException whose message completes "'TEXT' ...", as a setting's parser does
     */
    public static PortRange parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a port or a port range");
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (first < 1 || last > 65535) {
            throw new IllegalArgumentException("is outside the ports 1-65535");
        }
        if (first > last) {
            throw new IllegalArgumentException("is an empty range");
        }
        return new PortRange(first, last);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
