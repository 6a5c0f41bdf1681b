package io.hearken.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link HearkenConfig} from its three sources, a later one winning: the properties file
 * ({@code --config FILE}) &lt; environment variables ({@code HEARKEN_} + the key upper-cased, {@code .} and
 * {@code -} as {@code _}) &lt; command-line flags ({@code --set key=value} and named flags).
 *
 * <p>Every problem is collected and reported at once, in one CONFIG {@code HearkenException},
 * one problem a line, each with its origin. Environment variables that name no setting are ignored
 * ({@code HEARKEN_HOME} and {@code HEARKEN_JAVA_OPTS} are the launcher's); pattern keys are read from the file and
 * flags only, since an environment name cannot tell where a placeholder such as a stream name ends. An empty
 * environment variable counts as unset. Values are trimmed. Only the values that win are validated, so a flag can
 * override a bad value in the file.
 */
public final class ConfigLoader {
    private final Catalog catalog;

    private ConfigLoader(Catalog catalog) {
        this.catalog = catalog;
    }

    /** @throws IllegalArgumentException if a key is declared in two groups (a bug, not a configuration error) */
    public static ConfigLoader of(List<ConfigGroup> known) {
        return new ConfigLoader(new Catalog(known));
    }

    public List<ConfigGroup> groups() {
        return catalog.groups();
    }

    /** Loads with {@code flags} from {@code --set} (in the map's iteration order; origin {@code flag --set}). */
    public HearkenConfig load(Optional<Path> propertiesFile, Map<String, String> environment, Map<String, String> flags) {
        List<RawSetting> flagSettings = new ArrayList<>();
        flags.forEach((key, value) -> flagSettings.add(new RawSetting(key, value, Origin.SET_FLAG)));
        return load(propertiesFile, environment, flagSettings);
    }

    /** Loads with flags that carry their own origins, e.g. {@link RawSetting#flag(String, String, String)}. */
    public HearkenConfig load(Optional<Path> propertiesFile, Map<String, String> environment, List<RawSetting> flags) {
        List<Problem> problems = new ArrayList<>();
        List<RawSetting> settings = new ArrayList<>();
        propertiesFile.ifPresent(file -> readProperties(file, settings, problems));
        settings.addAll(fromEnvironment(environment));
        settings.addAll(flags);
        HearkenConfig config = HearkenConfig.resolve(catalog, settings, true, problems);
        if (!problems.isEmpty()) {
            throw Problem.failure(problems);
        }
        return config;
    }

    /**
     * Checks one properties file on its own, for {@code config check FILE}: syntax, unknown keys, bad values and
     * duplicates, but not required settings (those may come from the environment or flags). Empty when valid.
     */
    public List<Problem> check(Path file) {
        List<Problem> problems = new ArrayList<>();
        List<RawSetting> settings = new ArrayList<>();
        readProperties(file, settings, problems);
        HearkenConfig.resolve(catalog, settings, false, problems);
        return Problem.inSourceOrder(problems);
    }

    /**
     * Reads a properties file (the {@code java.util.Properties} syntax: {@code #}/{@code !} comments, {@code =},
     * {@code :} or space separators, backslash continuations and escapes), keeping each entry's line for error
     * messages. A key set twice is an error rather than last-one-wins, since it is nearly always a slip.
     *
     * <p>Throws a CONFIG {@code HearkenException} if the file cannot be read or is malformed.
     */
    public static List<RawSetting> parseProperties(Path file) {
        List<Problem> problems = new ArrayList<>();
        List<RawSetting> settings = new ArrayList<>();
        readProperties(file, settings, problems);
        if (!problems.isEmpty()) {
            throw Problem.failure(problems);
        }
        return List.copyOf(settings);
    }

    private List<RawSetting> fromEnvironment(Map<String, String> environment) {
        List<RawSetting> out = new ArrayList<>();
        for (Field<?> field : catalog.exactFields()) {
            String name = field.envName().orElseThrow();
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                out.add(new RawSetting(field.key(), value, Origin.environment(name)));
            }
        }
        return out;
    }

    private static void readProperties(Path file, List<RawSetting> out, List<Problem> problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(new Problem(Origin.file(file), "config file does not exist"));
            return;
        } catch (CharacterCodingException e) {
            problems.add(new Problem(Origin.file(file), "config file is not UTF-8 text"));
            return;
        } catch (IOException e) {
            problems.add(new Problem(Origin.file(file), "config file cannot be read: " + e));
            return;
        }
        List<String> lines = text.lines().toList();
        Map<String, Integer> firstLine = new HashMap<>();
        int i = 0;
        while (i < lines.size()) {
            int lineNumber = i + 1;
            String line = lines.get(i++).stripLeading();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line) && i < lines.size()) {
                logical.append(line, 0, line.length() - 1);
                line = lines.get(i++).stripLeading();
            }
            logical.append(endsWithContinuation(line) ? line.substring(0, line.length() - 1) : line);
            Origin origin = Origin.file(file, lineNumber);
            try {
                RawSetting setting = parseEntry(logical.toString(), origin);
                Integer previous = firstLine.putIfAbsent(setting.key(), lineNumber);
                if (previous != null) {
                    problems.add(new Problem(origin, "duplicate setting " + Texts.quote(setting.key()) + " (first set on line " + previous + ")"));
                } else {
                    out.add(setting);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(origin, e.getMessage()));
            }
        }
    }

    /** An odd number of trailing backslashes continues the line; an even number is escaped backslashes. */
    private static boolean endsWithContinuation(String line) {
        int count = 0;
        for (int j = line.length() - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
            count++;
        }
        return count % 2 == 1;
    }

    private static RawSetting parseEntry(String line, Origin origin) {
        int keyEnd = 0;
        while (keyEnd < line.length()) {
            char c = line.charAt(keyEnd);
            if (c == '\\') {
                keyEnd += 2;
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            keyEnd++;
        }
        keyEnd = Math.min(keyEnd, line.length());
        int valueStart = keyEnd;
        while (valueStart < line.length() && Character.isWhitespace(line.charAt(valueStart))) {
            valueStart++;
        }
        if (valueStart < line.length() && (line.charAt(valueStart) == '=' || line.charAt(valueStart) == ':')) {
            valueStart++;
        }
        while (valueStart < line.length() && Character.isWhitespace(line.charAt(valueStart))) {
            valueStart++;
        }
        String key = unescape(line.substring(0, keyEnd));
        if (key.isEmpty()) {
            throw new IllegalArgumentException("missing key before " + Texts.quote(line));
        }
        return new RawSetting(key, unescape(line.substring(valueStart)), origin);
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c != '\\' || j + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++j);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    String hex = s.substring(j + 1, Math.min(j + 5, s.length()));
                    if (!hex.matches("[0-9a-fA-F]{4}")) {
                        throw new IllegalArgumentException("malformed \\u escape in " + Texts.quote(s));
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    j += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
