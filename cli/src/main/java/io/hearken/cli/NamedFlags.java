package io.hearken.cli;

import io.hearken.config.ConfigLoader;
import io.hearken.config.Durations;
import io.hearken.config.RawSetting;
import io.hearken.error.HearkenException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command's own options that set configuration keys ({@code demo --parallelism} is {@code job.parallelism}):
 * each one given on the command line becomes a setting whose origin names the flag. An option left out adds
 * nothing, not even its picocli default, so a file, the environment or {@code --set} can set the key.
 */
final class NamedFlags {
    private final ParseResult parsed;
    private final List<RawSetting> files = new ArrayList<>();
    private final List<RawSetting> flags = new ArrayList<>();

    /** For the options {@code command} was given. */
    NamedFlags(CommandSpec command) {
        this.parsed = command.commandLine().getParseResult();
    }

    /** {@code value} (a String, number, Path or Duration) for {@code key}, if {@code flag} was given. */
    NamedFlags set(String flag, String key, Object value) {
        if (parsed.hasMatchedOption(flag) && value != null) {
            String text = value instanceof Duration d ? Durations.format(d) : value instanceof Path p ? p.toString() : value.toString();
            flags.add(RawSetting.flag(key, text, flag));
        }
        return this;
    }

    /**
     * The settings of a properties file given with {@code flag}, each of whose keys must start with {@code prefix}
     * ({@code demo --anomaly-settings}); they rank below {@code --set} and the named flags.
     */
    NamedFlags file(String flag, Path file, String prefix) {
        if (file != null) {
            for (RawSetting setting : ConfigLoader.parseProperties(file)) {
                if (!setting.key().startsWith(prefix)) {
                    throw HearkenException.config(flag + " " + setting.origin() + ": '" + setting.key() + "' is not a "
                            + prefix + "* setting; give it with --config or --set");
                }
                files.add(setting);
            }
        }
        return this;
    }

    List<RawSetting> files() {
        return List.copyOf(files);
    }

    List<RawSetting> flags() {
        return List.copyOf(flags);
    }
}
