package io.hearken.cli;

import io.hearken.config.HearkenConfig;
import io.hearken.config.Origin;
import io.hearken.config.RawSetting;
import io.hearken.error.HearkenException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --set KEY=VALUE}, shared by the commands (a picocli mixin). Precedence, later
 * wins: the {@code --config} file &lt; {@code HEARKEN_*} environment variables &lt; alias files such as
 * {@code demo --anomaly-settings} &lt; {@code --set} &lt; the command's named flags.
 */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of settings (key=value; see bin/hearken config reference, docs/CONFIGURATION.md).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set any setting; repeatable. Wins over --config and HEARKEN_* variables, loses to the named flags.")
    List<String> sets = new ArrayList<>();

    /** The configuration from the file, this process's environment, {@code --set} and {@code named}. */
    HearkenConfig load(NamedFlags named) {
        return load(System.getenv(), named);
    }

    HearkenConfig load(Map<String, String> environment, NamedFlags named) {
        List<RawSetting> flags = new ArrayList<>(named.files());
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw HearkenException.config("--set expects KEY=VALUE, got '" + set + "'");
            }
            flags.add(new RawSetting(set.substring(0, eq).strip(), set.substring(eq + 1), Origin.SET_FLAG));
        }
        flags.addAll(named.flags());
        return SettingsCatalog.loader().load(Optional.ofNullable(file), environment, flags);
    }
}
