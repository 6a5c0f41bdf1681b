package io.hearken.cli;

import io.hearken.config.HearkenConfig;
import io.hearken.inference.engine.ModelLocator;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.bench.InferenceBench;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.InferenceDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/hearken bench inference}: the inference benchmark ({@link InferenceBench}), a subcommand of the
 * {@code bench} group ({@link BenchCommands}).
 */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = "Windows/s and audio-seconds/s of the model at several batch sizes and intra-op thread counts, "
                + "p50/p99 latency per batch, and the dynamic-batching path; compared with PyTorch eager (1 thread, "
                + "batch 32 of 1 s windows: 54.5 ms = 587 audio-s/s; goal 1.5x).")
public final class InferenceBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (model.dir; default: $HEARKEN_MODEL_DIR, then ../shared/models/efficientat-mn04).")
    Path model;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda[:N] or auto (inference.device; default ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Intra-op thread counts (default ${DEFAULT-VALUE}).")
    List<Integer> threads;
    @Option(names = "--batches", split = ",", defaultValue = "1,8,32,128", description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batches;
    @Option(names = "--frames", defaultValue = "100", description = "Frames per window; 100 = 1 s (default ${DEFAULT-VALUE}).")
    int frames;
    @Option(names = "--seconds", defaultValue = "3", description = "Measuring time per case (default ${DEFAULT-VALUE}).")
    double seconds;
    @Option(names = "--producers", defaultValue = "32", description = "Producer threads of the dynamic-batching row; 0 skips it (default ${DEFAULT-VALUE}).")
    int producers;
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Double.isFinite(seconds)) {
            throw HearkenException.config("bench inference: --seconds must be a number of seconds, got " + seconds);
        }
        HearkenConfig settings = config.load(new NamedFlags(spec).set("--model", EngineSettings.MODEL_DIR.key(), model)
                .set("--device", EngineSettings.DEVICE.key(), device));
        InferenceDevice dev = EngineSettings.from(settings).device();
        Path dir = ModelLocator.resolve(settings);
        InferenceBench.Options options = new InferenceBench.Options(dir, dev, threads, batches, frames,
                Duration.ofMillis(Math.round(seconds * 1000)), producers);
        // The command line's output (stdout, or what a test set): the table is this command's result.
        InferenceBench.run(options, spec.commandLine().getOut());
        return HearkenCli.EXIT_OK;
    }
}
