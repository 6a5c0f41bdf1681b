package io.hearken.inference.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.hearken.config.ConfigLoader;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Device selection. CI and this machine have no GPU and the CPU-only ONNX Runtime: cpu and auto (falling back to the
 * CPU) run for real, cuda must fail with the documented CONFIG error. The CUDA run itself is only attempted where the
 * CUDA provider and a device exist (the -Pgpu build on a GPU machine); elsewhere it is skipped, not faked.
 */
class InferenceDeviceTest {
    private static final ConfigLoader LOADER = ConfigLoader.of(List.of(EngineSettings.CONFIG));

    private static boolean cudaProviderPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    @Test
    void parsesTheSetting() {
        assertThat(InferenceDevice.parse("cpu")).isEqualTo(InferenceDevice.CPU);
        assertThat(InferenceDevice.parse(" AUTO ")).isEqualTo(InferenceDevice.AUTO);
        assertThat(InferenceDevice.parse("cuda")).isEqualTo(InferenceDevice.cuda(0));
        assertThat(InferenceDevice.parse("cuda:3")).isEqualTo(InferenceDevice.cuda(3));
        assertThat(InferenceDevice.cuda(1)).hasToString("cuda:1");
        assertThat(InferenceDevice.CPU).hasToString("cpu");
        assertThat(InferenceDevice.AUTO).hasToString("auto");
        for (String bad : new String[] {"", "tpu", "cuda:", "cuda:-1", "cuda:x", "cuda:0:1"}) {
            assertThatThrownBy(() -> InferenceDevice.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(HearkenException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                        assertThat(e.getMessage()).contains("inference.device");
                    });
        }
    }

    @Test
    void engineSettingsFromConfiguration() {
        assertThat(EngineSettings.from(LOADER.load(Optional.empty(), Map.of(), Map.of()))).isEqualTo(EngineSettings.cpu(1));
        assertThat(EngineSettings.from(LOADER.load(Optional.empty(), Map.of("HEARKEN_INFERENCE_DEVICE", "cuda:1"),
                Map.of("inference.intra.op.threads", "4")))).isEqualTo(new EngineSettings(4, InferenceDevice.cuda(1)));
        assertThat(EngineSettings.from(LOADER.load(Optional.empty(), Map.of(), Map.of("inference.device", "AUTO"))).device())
                .isEqualTo(InferenceDevice.AUTO);
        assertThat(configFailure(Map.of("inference.intra.op.threads", "two")))
                .contains("flag --set: inference.intra.op.threads: 'two' is not an integer");
        assertThat(configFailure(Map.of("inference.intra.op.threads", "0")))
                .contains("inference.intra.op.threads: '0' must be between 1 and 1024");
        assertThat(configFailure(Map.of("inference.device", "tpu")))
                .contains("inference.device: 'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)");
        assertThat(configFailure(Map.of("inference.device", "cuda:x")))
                .contains("inference.device: 'cuda:x' has a bad CUDA device index");
        assertThatThrownBy(() -> EngineSettings.cpu(0)).isInstanceOfSatisfying(HearkenException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
    }

    @Test
    void modelDirFromTheSettingOrItsEnvironmentVariableElseTheDefault(@TempDir Path tmp) throws IOException {
        Path model = Fixtures.modelDir();
        assertThat(ModelLocator.resolve(LOADER.load(Optional.empty(), Map.of(ModelLocator.ENV_VAR, model.toString()), Map.of())))
                .isEqualTo(model);
        assertThat(ModelLocator.resolve(LOADER.load(Optional.empty(), Map.of(), Map.of("model.dir", model.toString()))))
                .isEqualTo(model);
        // Unset: the checkout's default beside the project root, as the commands find it.
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Path def = Files.createDirectories(tmp.resolve("shared/models/efficientat-mn04"));
        Files.writeString(def.resolve("model.onnx"), "x");
        Files.writeString(def.resolve("labels.csv"), "x");
        assertThat(ModelLocator.resolve(LOADER.load(Optional.empty(), Map.of(), Map.of()), root)).isEqualTo(def);

        HearkenConfig missing = LOADER.load(Optional.empty(), Map.of(ModelLocator.ENV_VAR, tmp.resolve("nope").toString()), Map.of());
        assertThatThrownBy(() -> ModelLocator.resolve(missing)).isInstanceOfSatisfying(HearkenException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).startsWith("model.dir=" + tmp.resolve("nope") + " (environment HEARKEN_MODEL_DIR): no such directory");
        });
    }

    @Test
    void cudaWithoutTheProviderFailsBeforeAnyModelIsLoaded() {
        Assumptions.assumeFalse(cudaProviderPresent(), "a CUDA provider is present");
        assertThat(EngineSettings.cpu(2).requireDeviceAvailable()).isEqualTo(EngineSettings.cpu(2));
        EngineSettings auto = new EngineSettings(1, InferenceDevice.AUTO);
        assertThat(auto.requireDeviceAvailable()).isEqualTo(auto);
        assertThatThrownBy(() -> new EngineSettings(1, InferenceDevice.cuda(1)).requireDeviceAvailable())
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).startsWith("inference.device=cuda:1 but this ONNX Runtime has no CUDA execution provider")
                            .endsWith("build with -Pgpu and run on a machine with a CUDA device");
                });
    }

    private static String configFailure(Map<String, String> flags) {
        try {
            LOADER.load(Optional.empty(), Map.of(), flags);
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error for " + flags);
    }

    @Test
    void cpuRunsOnTheCpu() {
        try (AudioTagger t = AudioTagger.load(Fixtures.modelDir(), EngineSettings.cpu(1))) {
            assertThat(t.device()).isEqualTo(InferenceDevice.CPU);
            assertThat(t.settings().intraOpThreads()).isEqualTo(1);
        }
    }

    @Test
    void autoFallsBackToTheCpuWithoutCuda() {
        Assumptions.assumeFalse(cudaProviderPresent(), "a CUDA provider is present: auto may legitimately use it");
        try (AudioTagger t = AudioTagger.load(Fixtures.modelDir(), new EngineSettings(1, InferenceDevice.AUTO))) {
            assertThat(t.device()).isEqualTo(InferenceDevice.CPU);
            float[] mel = Fixtures.golden(Fixtures.clips().get(0), "mel");
            assertThat(Fixtures.maxAbsDiff(t.predict(mel, mel.length / 128).logits(),
                    Fixtures.golden(Fixtures.clips().get(0), "logits"))).isLessThan(1e-3f);
        }
    }

    @Test
    void cudaWithoutCudaIsAClearStartUpError() {
        Assumptions.assumeFalse(cudaProviderPresent(), "a CUDA provider is present");
        assertThatThrownBy(() -> AudioTagger.load(Fixtures.modelDir(), new EngineSettings(1, InferenceDevice.cuda(0))))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).startsWith("inference.device=cuda:0 but ")
                            .contains("no CUDA execution provider")
                            .endsWith("build with -Pgpu and run on a machine with a CUDA device");
                });
    }

    /** Only with the GPU build on a machine with a CUDA device; skipped elsewhere. */
    @Test
    void cudaMatchesTheGoldenFilesWhereAvailable() {
        Assumptions.assumeTrue(cudaProviderPresent(), "no CUDA execution provider (CPU-only build)");
        AudioTagger t;
        try {
            t = AudioTagger.load(Fixtures.modelDir(), new EngineSettings(1, InferenceDevice.cuda(0)));
        } catch (HearkenException e) {
            Assumptions.abort("CUDA provider present but unusable here: " + e.getMessage());
            return;
        }
        try (t) {
            assertThat(t.device()).isEqualTo(InferenceDevice.cuda(0));
            for (String clip : Fixtures.clips()) {
                float[] mel = Fixtures.golden(clip, "mel");
                assertThat(Fixtures.maxAbsDiff(t.predict(mel, mel.length / 128).logits(),
                        Fixtures.golden(clip, "logits"))).as(clip).isLessThan(1e-3f);
            }
        }
    }
}
