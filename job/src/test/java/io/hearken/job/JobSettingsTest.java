package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.BatchingConfig;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import io.hearken.inference.engine.StreamProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSettingsTest {
    private static final Path MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
            .resolve("models/efficientat-mn04").toAbsolutePath().normalize();
    private static final ConfigLoader LOADER = ConfigLoader.of(JobSettings.GROUPS);

    @TempDir
    Path dir;

    private static JobSettings load(Map<String, String> flags) {
        Map<String, String> all = new LinkedHashMap<>(flags);
        all.putIfAbsent("model.dir", MODEL.toString());
        return JobSettings.from(LOADER.load(Optional.empty(), Map.of(), all));
    }

    private static String failure(Runnable r) {
        try {
            r.run();
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void defaultsAreTheDeclaredOnes() {
        JobSettings s = JobSettings.defaults(MODEL.toString());
        assertThat(s.modelDir()).isEqualTo(MODEL.toString());
        assertThat(s.engine()).isEqualTo(EngineSettings.cpu(1));
        assertThat(s.batching()).isEqualTo(BatchingConfig.DEFAULT);
        assertThat(s.profiles()).containsOnly(Map.entry("default", StreamProfile.DEFAULT), Map.entry("machine", StreamProfile.MACHINE));
        assertThat(s.parallelism()).isEqualTo(JobSettings.PARALLELISM.defaultValue().orElseThrow());
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.exactlyOnce()).isTrue();
        assertThat(s.scoreFloor()).isEqualTo(0.05f);
        assertThat(s.minTopClasses()).isEqualTo(5);
        assertThat(s.featureOutputs()).containsExactly("embedding", "mid");
        assertThat(s.inFlightWindows()).isEqualTo(s.batching().maxBatchSize());
        assertThat(s.inferenceTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.reassembly()).isEqualTo(ReassemblySettings.DEFAULT);
        assertThat(s.groupId()).isEqualTo("hearken-streaming-job");
        assertThat(s.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void everySettingIsRead() throws IOException {
        Path file = dir.resolve("job.properties");
        Files.write(file, List.of("job.parallelism=4", "job.profile.speech.window=3s", "job.profile.speech.hop=1.5s",
                "job.profile.machine.hop=250ms", "job.reassembly.reorder.bound=500ms", "job.reassembly.max.reorder.chunks=8",
                "job.reassembly.max.gap.fill=0", "job.reassembly.idle.timeout=30s", "job.feature.outputs=",
                "inference.batch.max.size=64", "inference.batch.max.wait=2ms"));
        HearkenConfig config = LOADER.load(Optional.of(file),
                Map.of("HEARKEN_MODEL_DIR", MODEL.toString(), "HEARKEN_INFERENCE_DEVICE", "auto", "HEARKEN_JOB_PARALLELISM", "3"),
                Map.of("job.checkpoint.interval", "5s", "job.delivery.guarantee", "at-least-once", "job.score.floor", "0.2",
                        "job.min.top.classes", "2", "job.inference.capacity", "32", "job.inference.timeout", "30s",
                        "job.kafka.group.id", "hearken-b", "job.transaction.timeout", "1m", "inference.intra.op.threads", "2"));
        JobSettings s = JobSettings.from(config);
        assertThat(s.modelDir()).isEqualTo(MODEL.toString());
        assertThat(s.engine()).isEqualTo(new EngineSettings(2, InferenceDevice.AUTO));
        assertThat(s.batching()).isEqualTo(new BatchingConfig(64, Duration.ofMillis(2)));
        assertThat(s.parallelism()).isEqualTo(3);
        assertThat(s.profiles()).containsOnly(Map.entry("default", StreamProfile.DEFAULT),
                Map.entry("machine", new StreamProfile("machine", Duration.ofSeconds(1), Duration.ofMillis(250))),
                Map.entry("speech", new StreamProfile("speech", Duration.ofSeconds(3), Duration.ofMillis(1500))));
        assertThat(s.reassembly()).isEqualTo(new ReassemblySettings(Duration.ofMillis(500), 8, Duration.ZERO, Duration.ofSeconds(30)));
        assertThat(s.featureOutputs()).isEmpty();
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.exactlyOnce()).isFalse();
        assertThat(s.scoreFloor()).isEqualTo(0.2f);
        assertThat(s.minTopClasses()).isEqualTo(2);
        assertThat(s.inFlightWindows()).isEqualTo(32);
        assertThat(s.inferenceTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.groupId()).isEqualTo("hearken-b");
        assertThat(s.transactionTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void errorsNameTheKeysThatAreRead() {
        assertThat(failure(() -> load(Map.of("job.checkpoint.interval", "50ms"))))
                .contains("job.checkpoint.interval: '50ms' must be at least 100ms");
        assertThat(failure(() -> load(Map.of("job.reassembly.max.gap.fill", "2m", "job.score.floor", "1"))))
                .contains("job.reassembly.max.gap.fill: '2m' must be at most 1m", "job.score.floor: '1' must be greater than 0 and less than 1");
        assertThat(failure(() -> load(Map.of("job.delivery.guarantee", "maybe"))))
                .contains("job.delivery.guarantee: 'maybe' is not allowed (allowed: exactly-once, at-least-once)");
        assertThat(failure(() -> load(Map.of("job.checkpoint.interval", "10m"))))
                .contains("job.transaction.timeout (10m) must be longer than job.checkpoint.interval (10m)");
        assertThat(failure(() -> load(Map.of("model.dir", dir.resolve("none").toString()))))
                .startsWith("model.dir=" + dir.resolve("none") + " (flag --set): no such directory");
    }

    @Test
    void profileProblemsAreReportedTogetherWithTheirKeys() {
        String message = failure(() -> load(Map.of("job.profile.speech.window", "3s", "job.profile.music.hop", "1s",
                "job.profile.machine.hop", "2s")));
        assertThat(message).startsWith("invalid configuration (3 problems):")
                .contains("flag --set: job.profile.speech.hop: required with job.profile.speech.window (a new profile needs both)")
                .contains("flag --set: job.profile.music.window: required with job.profile.music.hop")
                .contains("flag --set: job.profile.machine.hop (2s) must be at most job.profile.machine.window (1s)");
    }

    @Test
    void settingsAreCheckedAgainstTheModel() {
        ModelManifest manifest = ModelPackage.locate(MODEL).manifest();
        load(Map.of()).checkAgainst(manifest);
        String message = failure(() -> load(Map.of("job.profile.default.window", "2005ms", "job.profile.default.hop", "1005ms",
                "job.feature.outputs", "embedding,bogus")).checkAgainst(manifest));
        assertThat(message).contains("job.profile.default.window: 2.005s is not a whole number of the model's frames (10ms)",
                "job.profile.default.hop: 1.005s is not a whole number of the model's frames (10ms)",
                "job.feature.outputs: [bogus] not among the feature outputs of model " + manifest.id());
    }

    @Test
    void withersKeepTheChecks() {
        JobSettings s = JobSettings.defaults(MODEL.toString());
        assertThat(s.withParallelism(2).withCheckpointInterval(Duration.ofMillis(200)).withInFlightWindows(4))
                .extracting(JobSettings::parallelism, JobSettings::checkpointInterval, JobSettings::inFlightWindows)
                .containsExactly(2, Duration.ofMillis(200), 4);
        assertThat(failure(() -> s.withCheckpointInterval(Duration.ofMillis(50)))).contains("job.checkpoint.interval");
        assertThat(failure(() -> s.withParallelism(0))).contains("job.parallelism");
        assertThat(failure(() -> s.withInFlightWindows(0))).contains("job.inference.capacity");
    }

    /** The operators carry the settings to the TaskManagers. */
    @Test
    void survivesJavaSerialization() throws Exception {
        JobSettings s = load(Map.of("inference.device", "cuda:1", "job.profile.speech.window", "3s", "job.profile.speech.hop", "1s"));
        assertThat(InstantiationUtil.clone(s)).isEqualTo(s);
    }
}
