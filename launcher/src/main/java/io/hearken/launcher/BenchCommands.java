package io.hearken.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/hearken bench ...}: benchmarks that print their figures and the reference they compare against. */
@Command(name = "bench", description = "Benchmarks.", subcommands = {StreamBenchCommand.class, BenchCommand.class})
final class BenchCommands implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return HearkenCli.EXIT_USAGE;
    }
}
