package io.hearken.cli;

import picocli.CommandLine.Command;

/** {@code bin/hearken bench ...}: benchmarks that print their figures and the reference they compare against. */
@Command(name = "bench", description = "Benchmarks.", subcommands = {StreamBenchCommand.class, InferenceBenchCommand.class})
final class BenchCommands extends CommandGroup {
}
