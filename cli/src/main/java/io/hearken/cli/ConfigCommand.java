package io.hearken.cli;

import io.hearken.config.ConfigLoader;
import io.hearken.config.ConfigReference;
import io.hearken.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/hearken config reference|check}: the settings of every group in {@link SettingsCatalog}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "The settings (--config FILE, HEARKEN_* environment variables, --set KEY=VALUE).",
        subcommands = {ConfigCommand.Reference.class, ConfigCommand.Check.class})
final class ConfigCommand extends CommandGroup {
    static final String REGENERATE = "bin/hearken config reference --markdown > docs/CONFIGURATION.md";

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Print every setting: key, type, default, unit, what is allowed, environment variable and description.")
    static final class Reference implements Callable<Integer> {
        @Option(names = "--markdown", description = "Markdown, as committed in docs/CONFIGURATION.md (" + REGENERATE + ").")
        boolean markdown;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(markdown ? ConfigReference.markdown(SettingsCatalog.ALL) : ConfigReference.text(SettingsCatalog.ALL));
            out.flush();
            return HearkenCli.EXIT_OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a properties file on its own: syntax, unknown keys (with the nearest known one), "
                    + "bad values (with what is allowed) and duplicates. Exits 0 when valid, 2 otherwise.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The properties file, as given to --config.")
        Path file;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<Problem> problems = SettingsCatalog.loader().check(file);
            if (!problems.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                problems.forEach(p -> err.println("error: " + p));
                err.flush();
                return HearkenCli.EXIT_USAGE;
            }
            int settings = ConfigLoader.parseProperties(file).size();
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": ok (" + settings + (settings == 1 ? " setting)" : " settings)"));
            out.flush();
            return HearkenCli.EXIT_OK;
        }
    }
}
