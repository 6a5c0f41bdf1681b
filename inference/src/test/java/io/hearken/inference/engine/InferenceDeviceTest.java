package io.hearken.inference.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Device selection. CI and this machine have no GPU and the CPU-only ONNX Runtime: cpu and auto (falling back to the
 * CPU) run for real, cuda must fail with the documented CONFIG error. The CUDA run itself is only attempted where the
 * CUDA provider and a device exist (the -Pgpu build on a GPU machine); elsewhere it is skipped, not faked.
 */
class InferenceDeviceTest {

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
    void engineSettingsFromFlatSettings() {
        assertThat(EngineSettings.fromSettings(Map.of())).isEqualTo(EngineSettings.cpu(1));
        assertThat(EngineSettings.fromSettings(Map.of("inference.device", "cuda:1", "inference.intra.op.threads", "4")))
                .isEqualTo(new EngineSettings(4, InferenceDevice.cuda(1)));
        assertThatThrownBy(() -> EngineSettings.fromSettings(Map.of("inference.intra.op.threads", "two")))
                .hasMessageContaining("inference.intra.op.threads");
        assertThatThrownBy(() -> EngineSettings.cpu(0)).isInstanceOfSatisfying(HearkenException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
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
