package io.hearken.job;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Origin;
import io.hearken.config.RawSetting;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.schemas.topics.KafkaSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the job jar ({@code flink run}, the Flink Kubernetes operator's application mode, or plain
 * {@code java} with Flink on the class path for a local run): reads the settings, builds the Kafka source and sinks
 * and runs {@link HearkenStreamingJob} on {@link StreamExecutionEnvironment#getExecutionEnvironment}.
 *
 * <p>Arguments: {@code --config FILE} (a properties file), {@code --set key=value} and bare {@code key=value}, any
 * number; with the {@code HEARKEN_*} environment, through {@link ConfigLoader} (file &lt; environment &lt;
 * arguments) over {@link #GROUPS}. A bad setting stops the job before it is submitted: the message names every
 * problem and its key, and the process exits 2 (3 for other start-up failures such as a broken model package), as
 * the CLI does.
 */
public final class HearkenJob {
    private static final Logger LOG = LoggerFactory.getLogger(HearkenJob.class);

    /** The settings the job reads. */
    public static final List<ConfigGroup> GROUPS = List.of(JobSettings.CONFIG, EngineSettings.CONFIG, KafkaSettings.CONFIG);
    public static final String JOB_NAME = "hearken-streaming-job";
    static final int EXIT_CONFIG = 2;
    static final int EXIT_FAILURE = 3;
    static final String USAGE = "usage: HearkenJob [--config FILE] [--set key=value]... [key=value]...";

    private HearkenJob() {
    }

    /**
     * What the job runs with, read and checked before Flink is involved.
     *
     * @param checkpointDir {@code job.checkpoint.dir}: only the client needs it, so it is not in {@link JobSettings}
     */
    public record Launch(JobSettings job, String bootstrapServers, String registryUrl, Optional<String> checkpointDir) {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Launch launch;
        try {
            launch = settings(args, System.getenv());
        } catch (HearkenException e) {
            // Nothing has run yet: the message is the user's to act on, a stack trace would bury it.
            System.err.println("hearken job: " + e.getMessage());
            System.exit(e.kind() == ErrorKind.CONFIG ? EXIT_CONFIG : EXIT_FAILURE);
            return;
        }
        run(launch, StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(launch)));
    }

    /**
     * Reads the settings from {@code args} and {@code environment} and checks them against the model and this
     * JVM's ONNX Runtime ({@link JobSettings#checkRunnable()}). Throws a CONFIG {@link HearkenException} naming every
     * bad or missing setting.
     */
    public static Launch settings(String[] args, Map<String, String> environment) {
        Optional<Path> file = Optional.empty();
        List<RawSetting> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                if (file.isPresent()) {
                    throw HearkenException.config("--config given twice (" + USAGE + ")");
                }
                String value = arg.equals("--config") ? next(args, ++i, "--config FILE") : arg.substring("--config=".length());
                file = Optional.of(Path.of(value));
            } else if (arg.equals("--set")) {
                flags.add(setting(next(args, ++i, "--set key=value"), Origin.SET_FLAG));
            } else if (!arg.startsWith("-") && arg.contains("=")) {
                flags.add(setting(arg, new Origin("argument " + (i + 1), 0)));
            } else {
                throw HearkenException.config("unknown argument '" + arg + "' (" + USAGE + ")");
            }
        }
        HearkenConfig config = ConfigLoader.of(GROUPS).load(file, environment, flags);
        KafkaSettings.Connection kafka = KafkaSettings.connection(config);
        JobSettings job = JobSettings.from(config);
        job.checkRunnable();
        LOG.info("settings: {}", config);
        return new Launch(job, kafka.bootstrapServers(), kafka.registryUrl(), config.find(JobSettings.CHECKPOINT_DIR));
    }

    /** The job's Flink settings ({@link HearkenStreamingJob#flinkConfiguration}) and its checkpoint storage, if set. */
    static Configuration flinkConfiguration(Launch launch) {
        Configuration conf = HearkenStreamingJob.flinkConfiguration(launch.job());
        launch.checkpointDir().ifPresent(dir -> {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        });
        return conf;
    }

    /** Builds the job on Kafka in {@code env} and runs it until it ends (it does not, unless cancelled or failed). */
    static JobExecutionResult run(Launch launch, StreamExecutionEnvironment env) throws Exception {
        JobSettings job = launch.job();
        env.setParallelism(job.parallelism());
        new HearkenStreamingJob(
                KafkaConnectors.chunkSource(launch.bootstrapServers(), launch.registryUrl(), job),
                KafkaConnectors.windowSink(launch.bootstrapServers(), launch.registryUrl(), job),
                KafkaConnectors.deadLetterSink(launch.bootstrapServers(), launch.registryUrl(), job),
                job).build(env);
        return env.execute(JOB_NAME);
    }

    private static String next(String[] args, int i, String form) {
        if (i >= args.length) {
            throw HearkenException.config("missing value: " + form);
        }
        return args[i];
    }

    private static RawSetting setting(String text, Origin origin) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw HearkenException.config(origin + ": expected key=value, got '" + text + "'");
        }
        return new RawSetting(text.substring(0, eq).strip(), text.substring(eq + 1), origin);
    }
}
