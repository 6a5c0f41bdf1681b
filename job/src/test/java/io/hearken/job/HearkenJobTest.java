package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.schemas.topics.KafkaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point's argument and configuration handling, without starting Flink. */
class HearkenJobTest {
    private static final Path MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
            .resolve("models/efficientat-mn04").toAbsolutePath().normalize();
    private static final Map<String, String> ENV = Map.of("HEARKEN_MODEL_DIR", MODEL.toString(),
            "HEARKEN_KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092", "HEARKEN_SCHEMA_REGISTRY_URL", "http://registry:8081",
            "HEARKEN_HOME", "/opt/hearken"); // not a setting: ignored

    @TempDir
    Path dir;

    private static String failure(String[] args, Map<String, String> env) {
        try {
            HearkenJob.settings(args, env);
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void fileThenEnvironmentThenArguments() throws IOException {
        Path file = dir.resolve("job.properties");
        Files.write(file, List.of("job.parallelism=8", "job.checkpoint.interval=10s", "job.checkpoint.dir=s3://ckpt/hearken",
                "inference.device=auto", "job.profile.speech.window=3s", "job.profile.speech.hop=1s"));
        HearkenJob.Launch launch = HearkenJob.settings(new String[] {"--config", file.toString(), "--set", "job.parallelism=2",
                "inference.intra.op.threads=3", "--set", "job.checkpoint.interval=2s"}, ENV);
        JobSettings job = launch.job();
        assertThat(launch.bootstrapServers()).isEqualTo("kafka-0:9092,kafka-1:9092");
        assertThat(launch.registryUrl()).isEqualTo("http://registry:8081");
        assertThat(launch.checkpointDir()).contains("s3://ckpt/hearken");
        assertThat(job.modelDir()).isEqualTo(MODEL.toString());
        assertThat(job.parallelism()).isEqualTo(2);
        assertThat(job.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(job.engine()).isEqualTo(new EngineSettings(3, InferenceDevice.AUTO));
        assertThat(job.profiles()).containsKeys("default", "machine", "speech");

        Configuration flink = HearkenJob.flinkConfiguration(launch);
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(flink.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://ckpt/hearken");
    }

    @Test
    void withoutACheckpointDirTheClustersStorageIsKept() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.properties"), "# nothing\n");
        HearkenJob.Launch launch = HearkenJob.settings(new String[] {"--config=" + empty}, ENV);
        assertThat(launch.checkpointDir()).isEmpty();
        assertThat(HearkenJob.flinkConfiguration(launch).getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsKeyAndOrigin() {
        String message = failure(new String[] {"job.parallelism=0", "--set", "job.delivery.guarantee=twice", "job.chekpoint.interval=1s"},
                Map.of("HEARKEN_MODEL_DIR", MODEL.toString()));
        assertThat(message).startsWith("invalid configuration (3 problems):")
                .contains("argument 1: job.parallelism: '0' must be between 1 and 32768")
                .contains("flag --set: job.delivery.guarantee: 'twice' is not allowed (allowed: exactly-once, at-least-once)")
                .contains("argument 4: unknown setting 'job.chekpoint.interval' (did you mean 'job.checkpoint.interval'?)");
        // The job connects to an external Kafka: both connection settings are required, each named.
        assertThat(failure(new String[] {}, Map.of("HEARKEN_MODEL_DIR", MODEL.toString())))
                .contains("kafka.bootstrap.servers: required but not set")
                .contains("HEARKEN_KAFKA_BOOTSTRAP_SERVERS")
                .contains("schema.registry.url: required but not set");
    }

    @Test
    void badArgumentsAreConfigErrors() {
        assertThat(failure(new String[] {"--parallelism", "2"}, ENV)).contains("unknown argument '--parallelism'", HearkenJob.USAGE);
        assertThat(failure(new String[] {"--set"}, ENV)).contains("missing value: --set key=value");
        assertThat(failure(new String[] {"--set", "job.parallelism"}, ENV)).contains("flag --set: expected key=value, got 'job.parallelism'");
        assertThat(failure(new String[] {"--config", "a", "--config", "b"}, ENV)).contains("--config given twice");
        assertThat(failure(new String[] {"--config", dir.resolve("missing.properties").toString()}, ENV))
                .contains("missing.properties: config file does not exist");
    }

    @Test
    void settingsAreCheckedAgainstTheModelBeforeStarting() {
        assertThat(failure(new String[] {"job.feature.outputs=embedding,latent"}, ENV))
                .contains("job.feature.outputs: [latent] not among the feature outputs of model");
    }

    /** This build has the CPU-only ONNX Runtime (the -Pgpu build is checked on a GPU machine). */
    @Test
    void cudaWithoutTheCudaProviderIsAConfigErrorAtStartUp() {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime has the CUDA provider");
        assertThat(failure(new String[] {"inference.device=cuda:1"}, ENV))
                .startsWith("inference.device=cuda:1 but this ONNX Runtime has no CUDA execution provider")
                .endsWith("build with -Pgpu and run on a machine with a CUDA device");
        assertThat(HearkenJob.settings(new String[] {"inference.device=auto"}, ENV).job().engine().device())
                .isEqualTo(InferenceDevice.AUTO);
    }

    @Test
    void theJobReadsTheJobEngineAndKafkaGroups() {
        assertThat(HearkenJob.GROUPS).containsExactly(JobSettings.CONFIG, EngineSettings.CONFIG, KafkaSettings.CONFIG);
    }
}
