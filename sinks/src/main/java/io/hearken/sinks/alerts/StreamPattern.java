package io.hearken.sinks.alerts;

import java.util.regex.Pattern;

/** A stream id or a simple glob over stream ids: {@code *} any run of characters, {@code ?} one character. */
public record StreamPattern(String glob, Pattern regex) {

    public static StreamPattern of(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new StreamPattern(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String streamId) {
        return regex.matcher(streamId).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
