package io.hearken.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Hearken settings and rule files: a number and a unit ({@code 250us}, {@code 500ms},
 * {@code 2s}, {@code 1.5s}, {@code 10m}, {@code 1h}; also {@code ns}), a bare {@code 0}, or ISO-8601
 * ({@code PT2S}, {@code PT0.5S}). Negative durations are rejected.
 *
 * <p>{@link #format} gives the canonical form: the largest unit in which the value is at least 1 and exact with at
 * most 3 decimals ({@code 1.5s}, {@code 500ms}, {@code 10m}, {@code 90s -> 1.5m}, {@code 61s}), and {@code 0}.
 * {@code parse(format(d))} is always {@code d}.
 */
public final class Durations {
    /** What the error messages and the reference show as the accepted syntax. */
    public static final String SYNTAX = "e.g. 500ms, 2s, 1.5s, 10m, 1h, 250us, 0 or ISO-8601 PT2S";

    private static final Pattern UNIT_FORM = Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");

    private record Unit(String symbol, long nanos) {
    }

    // Largest first: format() takes the first that fits.
    private static final List<Unit> UNITS = List.of(new Unit("h", 3_600_000_000_000L), new Unit("m", 60_000_000_000L),
            new Unit("s", 1_000_000_000L), new Unit("ms", 1_000_000L), new Unit("us", 1_000L), new Unit("ns", 1L));

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private Durations() {
    }

    /**
     * Parses {@code text} (surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException whose message starts with the quoted text and says what is accepted
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("P") || s.startsWith("-P") || s.startsWith("p")) {
            return parseIso(text, s);
        }
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            throw invalid(text, "needs a unit (" + SYNTAX + ")");
        }
        Matcher m = UNIT_FORM.matcher(s);
        if (!m.matches()) {
            throw invalid(text, "is not a duration (" + SYNTAX + ")");
        }
        if (!m.group(1).isEmpty()) {
            throw invalid(text, "must not be negative");
        }
        Unit unit = UNITS.stream().filter(u -> u.symbol().equals(m.group(3))).findFirst()
                .orElseThrow(() -> invalid(text, "has an unknown unit '" + m.group(3) + "' (use h, m, s, ms, us or ns)"));
        BigDecimal nanos = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(unit.nanos()));
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw invalid(text, "is finer than a nanosecond");
        }
        BigInteger[] secondsAndNanos = nanos.toBigInteger().divideAndRemainder(NANOS_PER_SECOND);
        if (secondsAndNanos[0].bitLength() > 63) {
            throw invalid(text, "is too long");
        }
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    private static Duration parseIso(String text, String s) {
        Duration d;
        try {
            d = Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(text, "is not a duration (" + SYNTAX + ")");
        }
        if (d.isNegative()) {
            throw invalid(text, "must not be negative");
        }
        return d;
    }

    /** The canonical text of {@code d} (see the class comment); {@code d} must not be negative. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration " + d);
        }
        if (d.isZero()) {
            return "0";
        }
        BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(d.getNano()));
        for (Unit unit : UNITS) {
            BigInteger perUnit = BigInteger.valueOf(unit.nanos());
            boolean exactToMillis = nanos.multiply(BigInteger.valueOf(1000)).mod(perUnit).signum() == 0;
            if (nanos.compareTo(perUnit) >= 0 && exactToMillis) {
                BigDecimal amount = new BigDecimal(nanos).divide(new BigDecimal(perUnit)).stripTrailingZeros();
                return amount.toPlainString() + unit.symbol();
            }
        }
        throw new AssertionError("nanoseconds always fit: " + d);
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException(Texts.quote(text.strip()) + " " + problem);
    }
}
