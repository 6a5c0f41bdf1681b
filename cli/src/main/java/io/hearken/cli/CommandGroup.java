package io.hearken.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code hearken}, {@code bench}, {@code models}, {@code eval},
 * {@code anomaly}): run without one, it prints its usage to the command line's output and exits with
 * {@link HearkenCli#EXIT_USAGE}.
 */
abstract class CommandGroup implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return HearkenCli.EXIT_USAGE;
    }
}
