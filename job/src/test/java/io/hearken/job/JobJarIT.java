package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar as built by {@code mvn package}: what {@code flink run} and the Kubernetes operator's jarURI take.
 * It must start {@link HearkenJob}, carry Hearken, the Kafka connector, the registry client and ONNX Runtime, and
 * leave the Flink runtime to the cluster.
 */
class JobJarIT {
    private static final Path JAR = Path.of(System.getProperty("hearken.job.jar", "target/hearken-job-0.1.0-SNAPSHOT-job.jar"));
    private static final Path MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
            .resolve("models/efficientat-mn04").toAbsolutePath().normalize();
    /** Jars of this module's class path that the job jar must carry itself, so the child JVM does not get them. */
    private static final List<String> CARRIED = List.of("hearken-", "kafka-clients-", "flink-connector-kafka-",
            "flink-connector-base-", "flink-sql-avro-confluent-registry-", "onnxruntime", "avro-1.");

    private static Set<String> entries;
    private static Manifest manifest;

    @BeforeAll
    static void readJar() throws IOException {
        assertThat(JAR).as("the job jar (built by mvn package)").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            manifest = jar.getManifest();
            entries = jar.stream().map(e -> e.getName()).collect(Collectors.toUnmodifiableSet());
        }
    }

    @Test
    void startsTheJob() {
        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(HearkenJob.class.getName());
    }

    @Test
    void carriesHearkenTheConnectorsTheRegistryClientAndOnnxRuntime() {
        assertThat(entries).contains(
                "io/hearken/job/HearkenJob.class",
                "io/hearken/config/ConfigLoader.class",
                "io/hearken/schemas/AudioChunk.class",
                "io/hearken/schemas/topics/KafkaSettings.class",
                "io/hearken/featurizer/dsp/StreamingMelFrontend.class",
                "io/hearken/inference/engine/AudioTagger.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                "org/apache/flink/connector/base/DeliveryGuarantee.class",
                "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                "org/apache/avro/Schema.class",
                "org/apache/flink/avro/registry/confluent/shaded/io/confluent/kafka/schemaregistry/client/SchemaRegistryClient.class",
                "ai/onnxruntime/OrtSession.class",
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so");
    }

    @Test
    void leavesTheFlinkRuntimeAndLoggingToTheCluster() {
        List<String> clusterOwned = List.of("org/apache/flink/runtime/", "org/apache/flink/streaming/runtime/",
                "org/apache/flink/streaming/api/environment/", "org/apache/flink/api/common/", "org/apache/flink/configuration/",
                "org/apache/flink/client/", "org/apache/flink/shaded/", "org/apache/flink/core/", "org/apache/flink/metrics/",
                "org/slf4j/", "org/apache/logging/log4j/");
        assertThat(entries).noneMatch(e -> clusterOwned.stream().anyMatch(e::startsWith));
        assertThat(entries).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA)") || e.contains(".dSYM/"));
    }

    /**
     * {@code java -cp JOBJAR:FLINK io.hearken.job.HearkenJob ...} as on a cluster (its class path plays the cluster's
     * lib/): a bad setting ends the process before Flink is involved, with status 2 and a message naming the keys.
     */
    @Test
    void aBadSettingStopsTheJarWithStatusTwoAndTheKeys() throws Exception {
        Result r = runJar(List.of("--set", "job.parallelism=0", "model.dir=" + MODEL));
        assertThat(r.status()).as(r.stderr()).isEqualTo(HearkenJob.EXIT_CONFIG);
        assertThat(r.stderr()).startsWith("hearken job: invalid configuration (1 problem):")
                .contains("flag --set: job.parallelism: '0' must be between 1 and 32768")
                .doesNotContain("\tat ");
        // Valid settings, but no Kafka to connect to: both connection settings are named.
        Result noKafka = runJar(List.of("model.dir=" + MODEL));
        assertThat(noKafka.status()).as(noKafka.stderr()).isEqualTo(HearkenJob.EXIT_CONFIG);
        assertThat(noKafka.stderr()).contains("kafka.bootstrap.servers: required but not set",
                "schema.registry.url: required but not set").doesNotContain("\tat ");
    }

    /** The CPU build's jar: ONNX Runtime loads from inside it, and asking for CUDA is refused at start-up. */
    @Test
    void cudaOnTheCpuJarIsRefusedAtStartUp() throws Exception {
        boolean gpuBuild = entries.stream().anyMatch(e -> e.contains("onnxruntime_providers_cuda"));
        Assumptions.assumeFalse(gpuBuild, "a -Pgpu jar: CUDA may legitimately be available");
        Result r = runJar(List.of("model.dir=" + MODEL, "kafka.bootstrap.servers=localhost:1", "schema.registry.url=http://localhost:1",
                "inference.device=cuda"));
        assertThat(r.status()).as(r.stderr()).isEqualTo(HearkenJob.EXIT_CONFIG);
        assertThat(r.stderr()).contains("inference.device=cuda:0 but this ONNX Runtime has no CUDA execution provider");
    }

    private record Result(int status, String stderr) {
    }

    private static Result runJar(List<String> args) throws IOException, InterruptedException {
        String cluster = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith(".jar"))
                .filter(p -> CARRIED.stream().noneMatch(Path.of(p).getFileName().toString()::startsWith))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", JAR + File.pathSeparator + cluster, HearkenJob.class.getName()));
        command.addAll(args);
        Path err = Files.createTempFile("hearken-job-jar", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().keySet().removeIf(k -> k.startsWith("HEARKEN_"));
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the job jar did not stop within 120 s: " + command);
            }
            return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
