package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelPackageTest {
    private static final String SHA = "a2508b43ca03e5eb50b18775704484dd5470eb3d4f29456a2aa147c305f685ed";

    @TempDir
    Path tmp;

    /** A package directory: links to the real files plus the shipped manifest, edited. */
    private Path pkg(UnaryOperator<String> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg"));
        Files.createSymbolicLink(dir.resolve("model.onnx"), Fixtures.modelDir().resolve("model.onnx"));
        Files.createSymbolicLink(dir.resolve("labels.csv"), Fixtures.modelDir().resolve("labels.csv"));
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), edit.apply(ModelManifestTest.shippedText()));
        return dir;
    }

    @Test
    void theShippedManifestFindsItsFilesOnTheSearchPath() {
        ModelPackage p = ModelPackage.load(Fixtures.shippedManifestDir(), Fixtures.fixtureSearchPath());
        assertThat(p.isInferred()).isFalse();
        assertThat(p.id()).isEqualTo("efficientat-mn04");
        assertThat(p.dir()).isEqualTo(Fixtures.shippedManifestDir());
        assertThat(p.filesDir()).isEqualTo(Fixtures.modelDir());
        assertThat(p.onnxFile()).isEqualTo(Fixtures.modelDir().resolve("model.onnx"));
        assertThat(p.labels().size()).isEqualTo(527);
        assertThat(p.manifestFile()).hasValue(Fixtures.shippedManifestDir().resolve(ModelManifest.FILE_NAME));
    }

    @Test
    void aManifestOnlyDirectoryWhoseFilesAreNowhereIsAModelErrorNamingTheSearchPath() {
        Path empty = tmp.resolve("nothing-here");
        assertThatThrownBy(() -> ModelPackage.load(Fixtures.shippedManifestDir(), ModelSearchPath.of(empty)))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("model.onnx", empty.toString(), "HEARKEN_MODEL_PATH");
                });
    }

    @Test
    void aCompletePackageLoadsAndDrivesTheTagger() throws IOException {
        Path dir = pkg(t -> t);
        ModelPackage p = ModelPackage.load(dir, ModelSearchPath.of());
        assertThat(p.filesDir()).isEqualTo(dir);
        try (AudioTagger tagger = AudioTagger.load(p, EngineSettings.cpu(1))) {
            assertThat(tagger.modelId()).isEqualTo("efficientat-mn04");
            assertThat(tagger.manifest().version()).isEqualTo("1.0.0");
            assertThat(tagger.modelVersion()).isEqualTo("a2508b43ca03");
            assertThat(tagger.featureOutputs()).containsExactly("embedding", "mid", "late", "hidden");
        }
    }

    @Test
    void wrongSha256IsRejectedNamingExpectedAndActual() throws IOException {
        String wrong = "0".repeat(64);
        Path dir = pkg(t -> t.replace(SHA, wrong));
        assertModelError(dir, "sha256 mismatch", "model.onnx", "expects " + wrong, "has " + SHA);
    }

    @Test
    void anOutputTheGraphLacksIsRejected() throws IOException {
        Path dir = pkg(t -> t.replace("\"name\": \"late\"", "\"name\": \"later\""));
        assertModelError(dir, "no output 'later'", "embedding", "mid");
    }

    @Test
    void anOutputWithTheWrongDimIsRejected() throws IOException {
        Path dir = pkg(t -> t.replace("\"name\": \"mid\", \"role\": \"feature\", \"dim\": 256",
                "\"name\": \"mid\", \"role\": \"feature\", \"dim\": 255"));
        assertModelError(dir, "output 'mid' has dim 256 but the manifest says 255");
    }

    @Test
    void aNonExistentInputIsRejected() throws IOException {
        Path dir = pkg(t -> t.replace("\"name\": \"mel\"", "\"name\": \"spectrogram\""));
        assertModelError(dir, "no input 'spectrogram'", "[mel]");
    }

    @Test
    void wrongMelBinsAreRejected() throws IOException {
        Path dir = pkg(t -> t.replace("\"melBins\": 128", "\"melBins\": 64"));
        assertModelError(dir, "input 'mel'", "64");
    }

    @Test
    void labelsThatDoNotMatchTheLogitsAreRejected() throws IOException {
        Path dir = pkg(t -> t.replace("labels.csv", "few.csv"));
        Files.writeString(dir.resolve("few.csv"), "index,mid,display_name\n0,/m/a,A\n1,/m/b,B\n");
        assertModelError(dir, "few.csv", "2 classes", "527");
    }

    @Test
    void aCorruptOnnxFileIsRejectedNamingIt() throws IOException {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        String junkSha = ModelPackage.sha256Hex(junk);
        Path dir = pkg(t -> t.replace(SHA, junkSha));
        Files.delete(dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), junk);
        assertModelError(dir, dir.resolve("model.onnx").toString(), "corrupt");
    }

    @Test
    void aManifestNamingOnlySomeOutputsGetsOnlyThose() throws IOException {
        Path dir = pkg(t -> outputs(t, "{\"name\": \"logits\", \"role\": \"logits\", \"dim\": 527, "
                + "\"activation\": \"sigmoid\", \"labels\": \"labels.csv\"}, "
                + "{\"name\": \"mid\", \"role\": \"feature\", \"dim\": 256}"));
        try (AudioTagger tagger = AudioTagger.load(ModelPackage.load(dir, ModelSearchPath.of()), EngineSettings.cpu(1))) {
            assertThat(tagger.featureOutputs()).containsExactly("mid");
            String clip = Fixtures.clips().get(0);
            float[] mel = Fixtures.golden(clip, "mel");
            Prediction p = tagger.predict(mel, mel.length / 128);
            assertThat(p.features()).containsOnlyKeys("mid");
            assertThat(Fixtures.maxAbsDiff(p.feature("mid"), Fixtures.golden(clip, "mid"))).isLessThan(1e-3f);
            assertThat(Fixtures.maxAbsDiff(p.logits(), Fixtures.golden(clip, "logits"))).isLessThan(1e-3f);
        }
    }

    @Test
    void aManifestWithoutLogitsGivesFeaturesOnly() throws IOException {
        Path dir = pkg(t -> outputs(t, "{\"name\": \"embedding\", \"role\": \"embedding\", \"dim\": 384}, "
                + "{\"name\": \"mid\", \"role\": \"feature\", \"dim\": 256}, "
                + "{\"name\": \"late\", \"role\": \"feature\", \"dim\": 256}, "
                + "{\"name\": \"hidden\", \"role\": \"feature\", \"dim\": 512}"));
        try (AudioTagger tagger = AudioTagger.load(ModelPackage.load(dir, ModelSearchPath.of()), EngineSettings.cpu(1))) {
            assertThat(tagger.labels().size()).isZero();
            Prediction p = tagger.predict(Fixtures.windows(1, 100, 1).get(0), 100);
            assertThat(p.logits()).isEmpty();
            assertThat(p.probabilities()).isEmpty();
            assertThat(p.features()).containsOnlyKeys("embedding", "mid", "late", "hidden");
        }
    }

    @Test
    void aDirectoryWithoutManifestGetsOneInferredFromTheGraph() {
        ModelPackage p = ModelPackage.load(Fixtures.modelDir(), ModelSearchPath.of(tmp));
        assertThat(p.isInferred()).isTrue();
        assertThat(p.manifestFile()).isEmpty();
        ModelManifest m = p.manifest();
        assertThat(m.id()).isEqualTo("efficientat-mn04");
        assertThat(m.sha256()).isEqualTo(SHA);
        assertThat(m.outputs()).extracting(OutputSpec::name).containsExactly("logits", "embedding", "mid", "late",
                "hidden");
        assertThat(m.logits().orElseThrow().dim()).isEqualTo(527);
        assertThat(m.frontend().isEfficientAt()).isTrue();
    }

    @Test
    void aDirectoryWithoutManifestUsesTheMatchingManifestOnTheSearchPath() {
        ModelPackage p = ModelPackage.load(Fixtures.modelDir(),
                ModelSearchPath.of(Fixtures.shippedManifestDir().getParent()));
        assertThat(p.isInferred()).isFalse();
        assertThat(p.manifest().version()).isEqualTo("1.0.0");
        assertThat(p.filesDir()).isEqualTo(Fixtures.modelDir());
    }

    @Test
    void aMissingDirectoryIsAModelError() {
        assertModelError(tmp.resolve("absent"), "absent");
    }

    @Test
    void theLocatorAcceptsAManifestDirectory() {
        assertThat(ModelLocator.resolve(java.util.Optional.of(Fixtures.shippedManifestDir()), java.util.Map.of(),
                tmp)).isEqualTo(Fixtures.shippedManifestDir());
        List<Path> roots = ModelSearchPath.defaults(java.util.Map.of(ModelSearchPath.ENV_VAR, "/a: :/b:/a"),
                Path.of("/home/u"), Path.of("/p/main")).roots();
        assertThat(roots).containsExactly(Path.of("/a"), Path.of("/b"), Path.of("/home/u/.hearken/models"),
                Path.of("/p/main/models"), Path.of("/p/shared/models"));
    }

    /** The manifest text with its outputs array replaced. */
    static String outputs(String manifest, String items) {
        return manifest.replaceFirst("(?s)\"outputs\": \\[.*\\]", "\"outputs\": [" + items + "]");
    }

    private static void assertModelError(Path dir, String... fragments) {
        assertThatThrownBy(() -> ModelPackage.load(dir, ModelSearchPath.of()))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains(fragments);
                });
    }
}
