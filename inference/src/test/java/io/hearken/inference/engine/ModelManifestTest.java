package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.dsp.FrontendConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelManifestTest {

    static String shippedText() {
        try {
            return Files.readString(Fixtures.shippedManifestDir().resolve(ModelManifest.FILE_NAME));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theShippedManifestDescribesEfficientAtMn04() {
        ModelManifest m = ModelManifest.read(Fixtures.shippedManifestDir().resolve(ModelManifest.FILE_NAME));
        assertThat(m.id()).isEqualTo("efficientat-mn04");
        assertThat(m.licence()).isEqualTo("MIT");
        assertThat(m.sha256()).isEqualTo("a2508b43ca03e5eb50b18775704484dd5470eb3d4f29456a2aa147c305f685ed");
        assertThat(m.onnx()).isEqualTo("model.onnx");
        assertThat(m.labels()).hasValue("labels.csv");
        assertThat(m.files()).containsExactly("model.onnx", "labels.csv");
        assertThat(m.input()).isEqualTo(new InputSpec("mel", "batch,1,mel,frames", 128));
        assertThat(m.defaultWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(m.defaultHop()).isEqualTo(Duration.ofSeconds(1));
        assertThat(m.outputs()).extracting(OutputSpec::name, OutputSpec::role, OutputSpec::dim).containsExactly(
                org.assertj.core.groups.Tuple.tuple("logits", OutputSpec.Role.LOGITS, 527),
                org.assertj.core.groups.Tuple.tuple("embedding", OutputSpec.Role.EMBEDDING, 384),
                org.assertj.core.groups.Tuple.tuple("mid", OutputSpec.Role.FEATURE, 256),
                org.assertj.core.groups.Tuple.tuple("late", OutputSpec.Role.FEATURE, 256),
                org.assertj.core.groups.Tuple.tuple("hidden", OutputSpec.Role.FEATURE, 512));
        assertThat(m.logits().orElseThrow().activation()).isEqualTo(OutputSpec.Activation.SIGMOID);
        assertThat(m.featureNames()).containsExactly("embedding", "mid", "late", "hidden");
        // The front end block is exactly the featurizer's EfficientAT configuration.
        assertThat(m.frontend().isEfficientAt()).isTrue();
        assertThat(m.frontend().toConfig()).isEqualTo(FrontendConfig.efficientAt());
        assertThat(m.frontend().framesPerSecond()).isEqualTo(100.0);
    }

    @Test
    void toJsonRoundTrips() {
        ModelManifest m = ModelManifest.parse(shippedText(), "shipped");
        assertThat(ModelManifest.parse(m.toJson(), "round trip")).isEqualTo(m);
        ModelManifest renamed = m.withId("other");
        assertThat(ModelManifest.parse(renamed.toJson(), "renamed").id()).isEqualTo("other");
    }

    @Test
    void frontendSpecMirrorsFrontendConfig() {
        FrontendConfig byola = FrontendConfig.byolA().withNormalization(-4.2, 4.5);
        FrontendSpec spec = FrontendSpec.of(byola);
        assertThat(spec.toConfig()).isEqualTo(byola);
        assertThat(spec.isEfficientAt()).isFalse();
        assertThat(FrontendSpec.efficientAt().toConfig()).isEqualTo(FrontendConfig.efficientAt());
        // a manifest with an HTK front end and a normalisation parses into the same configuration
        String json = shippedText().replaceFirst("(?s)\"frontend\": \\{.*?\\}", "\"frontend\": "
                + spec.toJson().toString().replace("\"melBins\":64", "\"melBins\":128"));
        ModelManifest m = ModelManifest.parse(json, "htk.json");
        assertThat(m.frontend().melScale()).isEqualTo(FrontendConfig.MelScale.HTK);
        assertThat(m.frontend().normalization()).isEqualTo(new FrontendConfig.Normalization(-4.2, 4.5));
    }

    @Test
    void durationsAreIsoOrMillis() {
        ModelManifest m = ModelManifest.parse(shippedText().replace("\"PT2S\"", "1500")
                .replace("\"PT1S\"", "\"PT0.5S\""), "t.json");
        assertThat(m.defaultWindow()).isEqualTo(Duration.ofMillis(1500));
        assertThat(m.defaultHop()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void topLevelLabelsIsTheDefaultOfTheLogitsOutput() {
        ModelManifest m = ModelManifest.parse(shippedText().replace(", \"labels\": \"labels.csv\"}", "}")
                .replace("\"onnx\": \"model.onnx\",", "\"onnx\": \"model.onnx\", \"labels\": \"classes.csv\","),
                "t.json");
        assertThat(m.labels()).hasValue("classes.csv");
        assertThat(m.logits().orElseThrow().labels()).hasValue("classes.csv");
    }

    @Test
    void problemsAreModelErrorsNamingTheFileAndField() {
        bad(t -> t.replace("\"licence\": \"MIT\",", ""), "licence is missing");
        bad(t -> t.replace("\"licence\"", "\"license\""), "unknown field(s) [license]");
        bad(t -> t.replace("a2508b43", "zz508b43"), "sha256 must be 64 hex digits");
        bad(t -> t.replace("batch,1,mel,frames", "batch,frames,mel"), "input.layout", "not supported");
        bad(t -> t.replace("\"dim\": 384", "\"dim\": 0"), "dim must be >= 1");
        bad(t -> t.replace("\"dim\": 384", "\"dim\": \"384\""), "outputs[1].dim must be an integer");
        bad(t -> t.replace("\"name\": \"late\"", "\"name\": \"mid\""), "output 'mid' is named twice");
        bad(t -> t.replace("\"role\": \"embedding\", \"dim\": 384", "\"role\": \"logits\", \"dim\": 384, "
                + "\"activation\": \"sigmoid\", \"labels\": \"labels.csv\""), "at most one logits output");
        bad(t -> t.replace("\"role\": \"embedding\", \"dim\": 384", "\"role\": \"logits\", \"dim\": 384"),
                "outputs[1].activation is missing");
        bad(t -> t.replace("\"role\": \"feature\", \"dim\": 256}", "\"role\": \"feature\", \"dim\": 256, "
                + "\"activation\": \"sigmoid\"}"), "activation applies to logits only");
        bad(t -> t.replace(", \"labels\": \"labels.csv\"}", "}"), "needs a labels file");
        bad(t -> t.replace("\"role\": \"feature\"", "\"role\": \"features\""), "role must be one of");
        bad(t -> t.replace("\"sigmoid\"", "\"relu\""), "activation must be one of");
        bad(t -> t.replace("\"fMax\": 15000.0", "\"fMax\": 17000.0"), "frontend", "fMax");
        bad(t -> t.replace("\"melScale\": \"kaldi\"", "\"melScale\": \"slaney\""), "frontend.melScale must be one of");
        bad(t -> t.replace("\"melBins\": 128\n  },\n  \"frontend\"", "\"melBins\": 64\n  },\n  \"frontend\""),
                "input.melBins (64) differs from frontend.melBins (128)");
        bad(t -> t.replace("\"PT2S\"", "\"2 seconds\""), "defaultWindow must be an ISO-8601 duration");
        bad(t -> t.replace("\"PT1S\"", "0"), "defaultHop must be positive");
        bad(t -> t.replace("\"model.onnx\"", "\"../model.onnx\""), "onnx must be a plain file name");
        bad(t -> t.replace("\"format\": 1", "\"format\": 2"), "format is 2", "newer Hearken");
        bad(t -> t.replace("\"id\": \"efficientat-mn04\"", "\"id\": \"../evil\""), "id must be");
        bad(t -> t.substring(0, t.length() / 2), "not valid JSON");
        bad(t -> "[]", "must be a JSON object");
    }

    private static void bad(UnaryOperator<String> edit, String... fragments) {
        String text = edit.apply(shippedText());
        assertThatThrownBy(() -> ModelManifest.parse(text, "bad-manifest.json"))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("bad-manifest.json").contains(fragments);
                });
    }

    @Test
    void activationsTurnLogitsIntoProbabilities() {
        float[] logits = {0f, 2f, -2f};
        assertThat(OutputSpec.Activation.SIGMOID.apply(logits)).containsExactly(Sigmoid.of(logits));
        float[] soft = OutputSpec.Activation.SOFTMAX.apply(logits);
        assertThat(soft[0] + soft[1] + soft[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(soft[1]).isGreaterThan(soft[0]).isGreaterThan(soft[2]);
        assertThat(OutputSpec.Activation.NONE.apply(logits)).containsExactly(logits);
        Prediction p = new Prediction(logits, java.util.Map.of(), OutputSpec.Activation.SOFTMAX);
        assertThat(p.probabilities()).containsExactly(soft);
        assertThat(new OutputSpec("x", OutputSpec.Role.FEATURE, 3, OutputSpec.Activation.NONE, Optional.empty())
                .isLogits()).isFalse();
        assertThat(List.of(OutputSpec.Role.values())).hasSize(3);
    }
}
