package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLocatorTest {

    @TempDir
    Path tmp;

    private Path fakePackage(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("model.onnx"), "x");
        Files.writeString(dir.resolve("labels.csv"), "index,mid,display_name\n0,/m/a,A\n");
        return dir;
    }

    @Test
    void cliWinsOverEnvWhichWinsOverDefault() throws IOException {
        Path cli = fakePackage("cli");
        Path env = fakePackage("env");
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Path def = Files.createDirectories(tmp.resolve("shared/models/efficientat-mn04"));
        Files.writeString(def.resolve("model.onnx"), "x");
        Files.writeString(def.resolve("labels.csv"), "x");
        Map<String, String> envMap = Map.of(ModelLocator.ENV_VAR, env.toString());

        assertThat(ModelLocator.resolve(Optional.of(cli), envMap, root)).isEqualTo(cli);
        assertThat(ModelLocator.resolve(Optional.empty(), envMap, root)).isEqualTo(env);
        assertThat(ModelLocator.resolve(Optional.empty(), Map.of(), root)).isEqualTo(def);
        assertThat(ModelLocator.resolve(Optional.empty(), Map.of(ModelLocator.ENV_VAR, " "), root)).isEqualTo(def);
    }

    @Test
    void nothingAvailableIsAConfigErrorSayingWhereToPutTheModel() {
        assertThatThrownBy(() -> ModelLocator.resolve(Optional.empty(), Map.of(), tmp.resolve("checkout")))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("HEARKEN_MODEL_DIR", "--model",
                            tmp.resolve("shared/models/efficientat-mn04").toString());
                });
    }

    @Test
    void explicitMissingDirectoryIsAConfigError() {
        assertThatThrownBy(() -> ModelLocator.resolve(Optional.of(tmp.resolve("nope")), Map.of(), tmp))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("--model");
                });
        assertThatThrownBy(() -> ModelLocator.resolve(Optional.empty(),
                Map.of(ModelLocator.ENV_VAR, tmp.resolve("nope").toString()), tmp))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("HEARKEN_MODEL_DIR");
                });
    }

    @Test
    void incompletePackageIsAModelErrorNamingTheMissingFile() throws IOException {
        Path dir = fakePackage("partial");
        Files.delete(dir.resolve("labels.csv"));
        assertThatThrownBy(() -> ModelLocator.resolve(Optional.of(dir), Map.of(), tmp))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("labels.csv");
                });
        Files.delete(dir.resolve("model.onnx"));
        assertThatThrownBy(() -> ModelLocator.resolve(Optional.of(dir), Map.of(), tmp))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("model.onnx");
                });
    }

    @Test
    void projectRootPrefersTheHomeProperty() {
        String old = System.getProperty(ModelLocator.HOME_PROPERTY);
        try {
            System.setProperty(ModelLocator.HOME_PROPERTY, tmp.toString());
            assertThat(ModelLocator.projectRoot()).isEqualTo(tmp.toAbsolutePath().normalize());
            System.clearProperty(ModelLocator.HOME_PROPERTY);
            assertThat(ModelLocator.projectRoot()).isEqualTo(Path.of("").toAbsolutePath());
        } finally {
            if (old != null) {
                System.setProperty(ModelLocator.HOME_PROPERTY, old);
            }
        }
    }
}
