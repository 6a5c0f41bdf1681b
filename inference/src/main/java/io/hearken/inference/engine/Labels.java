package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The class list of a tagger, read from the model package's {@code labels.csv} ({@code index,mid,display_name}).
 * Row i is output i of the logits. Display names are CSV-quoted and may contain commas, so this is a real
 * (RFC 4180 style) field parser, not a split on ",". Immutable and thread-safe.
 */
public final class Labels {
    static final List<String> HEADER = List.of("index", "mid", "display_name");

    private final List<String> names;
    private final List<String> mids;
    private final Map<String, Integer> byName;

    private Labels(List<String> names, List<String> mids) {
        this.names = List.copyOf(names);
        this.mids = List.copyOf(mids);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i); // first wins if a name were ever duplicated
        }
        this.byName = Map.copyOf(index);
    }

    /** No classes: the labels of a model without a logits output. */
    public static Labels empty() {
        return new Labels(List.of(), List.of());
    }

    /** Reads and validates a labels file; any problem is a {@link ErrorKind#MODEL} error naming file and line. */
    public static Labels load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read labels file " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the lines of a labels file; {@code source} names it in error messages. */
    public static Labels parse(List<String> lines, String source) {
        if (lines.isEmpty()) {
            throw bad(source, 1, "file is empty, expected header " + String.join(",", HEADER));
        }
        List<String> header = splitCsv(stripBom(lines.get(0)), source, 1);
        if (!header.equals(HEADER)) {
            throw bad(source, 1, "expected header " + String.join(",", HEADER) + " but found " + lines.get(0));
        }
        List<String> names = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue; // tolerate a trailing empty line
            }
            List<String> fields = splitCsv(line, source, lineNo);
            if (fields.size() != 3) {
                throw bad(source, lineNo, "expected 3 fields (index,mid,display_name) but found " + fields.size());
            }
            int index;
            try {
                index = Integer.parseInt(fields.get(0).trim());
            } catch (NumberFormatException e) {
                throw bad(source, lineNo, "index is not an integer: '" + fields.get(0) + "'");
            }
            // The row order is the logit order; a gap or reordering would silently mislabel every class.
            if (index != names.size()) {
                throw bad(source, lineNo, "expected index " + names.size() + " but found " + index);
            }
            if (fields.get(2).isEmpty()) {
                throw bad(source, lineNo, "empty display_name");
            }
            mids.add(fields.get(1));
            names.add(fields.get(2));
        }
        if (names.isEmpty()) {
            throw bad(source, 1, "no labels after the header");
        }
        return new Labels(names, mids);
    }

    public String label(int index) {
        Objects.checkIndex(index, names.size());
        return names.get(index);
    }

    /** The ontology id (e.g. {@code /m/09x0r}) of class {@code index}. */
    public String mid(int index) {
        Objects.checkIndex(index, mids.size());
        return mids.get(index);
    }

    public int size() {
        return names.size();
    }

    /** Index of the class with this exact display name. */
    public OptionalInt indexOf(String label) {
        Integer i = byName.get(label);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public List<String> all() {
        return names;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Splits one CSV record: fields may be quoted, and a quote inside a quoted field is written twice. */
    static List<String> splitCsv(String line, String source, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (!closed) {
                    throw bad(source, lineNo, "unterminated quoted field");
                }
                if (i < n && line.charAt(i) != ',') {
                    throw bad(source, lineNo, "unexpected character after closing quote at column " + (i + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw bad(source, lineNo, "stray quote in unquoted field at column " + i);
                    }
                    field.append(c);
                }
            }
            out.add(field.toString());
            if (i >= n) {
                return out;
            }
            i++; // skip the comma; a trailing comma yields a final empty field
            if (i == n) {
                out.add("");
                return out;
            }
        }
    }

    private static HearkenException bad(String source, int lineNo, String what) {
        return new HearkenException(ErrorKind.MODEL, "bad labels file " + source + " line " + lineNo + ": " + what);
    }

    @Override
    public String toString() {
        return "Labels[" + names.size() + " classes]";
    }
}
