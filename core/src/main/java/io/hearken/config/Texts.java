package io.hearken.config;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;

/** Small text helpers shared by the config loader and {@link StrictJson}: suggestions and number rendering. */
final class Texts {
    private Texts() {
    }

    static int levenshtein(String a, String b) {
        return EditDistance.between(a, b);
    }

    /** The closest candidate, if close enough to be a plausible typo: distance at most max(3, length / 3). */
    static Optional<String> nearest(String target, Collection<String> candidates) {
        int limit = Math.max(3, target.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = levenshtein(target, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code 1} rather than {@code 1.0}, {@code 0.0001} rather than {@code 1.0E-4}. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code maxNotHeard} -> {@code max_not_heard}, {@code max-not-heard} -> {@code max_not_heard}. */
    static String snakeCase(String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c == '-' || c == ' ' ? '_' : c);
            }
        }
        return out.toString();
    }

    static String quote(String value) {
        return "'" + value + "'";
    }
}
