package io.hearken.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the settings reference from the declarations themselves, so it cannot drift from the code: Markdown for
 * the docs ({@link #markdown}) and plain text for a terminal ({@link #text}). Groups come in the order given,
 * fields in declaration order; the output is deterministic.
 */
public final class ConfigReference {
    private static final String PRECEDENCE_MD = """
            Each setting can be given in three places; a later one wins:

            1. the properties file named with `--config FILE` (`key=value` lines);
            2. the environment: `HEARKEN_` and the key upper-cased, with `.` and `-` as `_` \
            (`job.parallelism` is `HEARKEN_JOB_PARALLELISM`); variables that name no setting are ignored, \
            and an empty one counts as unset;
            3. command-line flags, and `--set key=value` for any setting.

            Keys with a `<name>` part (such as `sinks.anomaly.group.<stream>`) stand for one setting per name; \
            they can be set in the file and with `--set` only, not from the environment.

            Durations are a number and a unit (`250us`, `500ms`, `2s`, `1.5s`, `10m`, `1h`; also `ns`), `0`, \
            or ISO-8601 such as `PT2S`. Lists are comma-separated. Settings marked *required* have no default \
            and must be set.
            """;

    private static final String PRECEDENCE_TEXT = """
            Precedence, later wins: --config FILE < environment HEARKEN_<KEY> (dots as _) < flags and --set key=value.
            Keys with a <name> part are set in the file or with --set only, not from the environment.
            Durations: 250us, 500ms, 2s, 1.5s, 10m, 1h, 0 or ISO-8601 (PT2S). Lists are comma-separated.
            """;

    private ConfigReference() {
    }

    /** The whole reference as Markdown; also checks the groups combine (no key declared twice). */
    public static String markdown(List<ConfigGroup> groups) {
        new Catalog(groups);
        StringBuilder out = new StringBuilder("# Hearken configuration reference\n\n").append(PRECEDENCE_MD);
        for (ConfigGroup group : groups) {
            out.append("\n## ").append(group.name()).append("\n\n");
            if (!group.description().isEmpty()) {
                out.append(cell(group.description())).append("\n\n");
            }
            out.append("| key | type | default | unit | description |\n| --- | --- | --- | --- | --- |\n");
            for (Field<?> field : group.fields()) {
                String key = "`" + field.key() + "` <br> "
                        + field.envName().map(env -> "`" + env + "`").orElse("file and `--set` only");
                out.append("| ").append(key)
                        .append(" | ").append(cell(markdownType(field)))
                        .append(" | ").append(defaultCell(field, true))
                        .append(" | ").append(cell(field.unit().orElse("")))
                        .append(" | ").append(cell(field.description()))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    /** The whole reference as plain text, for {@code config reference}. */
    public static String text(List<ConfigGroup> groups) {
        new Catalog(groups);
        StringBuilder out = new StringBuilder("Hearken configuration reference\n\n").append(PRECEDENCE_TEXT);
        for (ConfigGroup group : groups) {
            out.append('\n').append(group.name());
            if (!group.description().isEmpty()) {
                out.append(" - ").append(group.description());
            }
            out.append('\n');
            for (Field<?> field : group.fields()) {
                out.append("  ").append(field.key()).append("  ").append(field.type().label());
                field.unit().ifPresent(unit -> out.append(" (").append(unit).append(')'));
                out.append(", ").append(defaultCell(field, false));
                field.allowed().ifPresent(allowed -> out.append(", allowed: ").append(allowed));
                out.append("\n      ").append(field.envName().orElse("(file and --set only)")).append('\n');
                if (!field.description().isEmpty()) {
                    out.append("      ").append(field.description().replace("\n", "\n      ")).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String markdownType(Field<?> field) {
        if (field.type() == FieldType.ENUM) {
            return "enum: " + field.enumValues().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
        }
        return field.type().label() + field.allowed().map(a -> " (" + a + ")").orElse("");
    }

    private static String defaultCell(Field<?> field, boolean markdown) {
        if (field.defaultText().isPresent()) {
            String text = field.defaultText().get();
            return markdown ? (text.isEmpty() ? "`\"\"`" : "`" + cell(text) + "`") : "default " + (text.isEmpty() ? "\"\"" : text);
        }
        if (field.isRequired()) {
            return markdown ? "*required*" : "required";
        }
        return markdown ? "*none*" : "no default";
    }

    /** A table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text.replace("\r", "").replace("\n", " ").replace("|", "\\|");
    }
}
