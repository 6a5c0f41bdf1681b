package io.hearken.cli;

import io.hearken.inference.engine.ModelSearchPath;
import io.hearken.inference.engine.store.ModelStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsCommandTest {
    private static final String SHA = "a2508b43ca03e5eb50b18775704484dd5470eb3d4f29456a2aa147c305f685ed";

    @TempDir
    Path tmp;

    private Path installRoot;
    private ModelStore store;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static Path sharedModels() {
        String prop = System.getProperty("hearken.shared.dir");
        return (prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("../../shared")).resolve("models")
                .toAbsolutePath().normalize();
    }

    static Path bundled() {
        return Paths.get("").toAbsolutePath().getParent().resolve("models");
    }

    @BeforeEach
    void setUp() {
        installRoot = tmp.resolve("installed");
        store = new ModelStore(new ModelSearchPath(List.of(installRoot, bundled(), sharedModels())), installRoot);
    }

    /** Runs {@code models ARGS} with the CLI's error convention (CONFIG exits 2, other HearkenExceptions 3). */
    private int run(String... args) {
        return HearkenCli.withConventions(new CommandLine(new ModelsCommand(() -> store)), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
    }

    private List<String> installRootEntries() throws IOException {
        if (!Files.exists(installRoot)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(installRoot)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void listShowsTheShippedModel() {
        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("ID", "efficientat-mn04", "1.0.0", "ok",
                bundled().resolve("efficientat-mn04").toString(), "files in " + sharedModels().resolve("efficientat-mn04"));
    }

    @Test
    void verifyOneAndAll() {
        assertThat(run("verify", "efficientat-mn04")).isZero();
        assertThat(out.toString()).contains("efficientat-mn04 1.0.0: ok (sha256 " + SHA, "logits[527] sigmoid",
                "mid[256]", "527 labels");
        assertThat(run("verify")).isZero();
        assertThat(run("verify", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("error: no model 'nope'");
    }

    @Test
    void installThenVerify() throws IOException {
        assertThat(run("install", bundled().resolve("efficientat-mn04").toString())).isZero();
        assertThat(out.toString()).contains("installed efficientat-mn04 1.0.0 (sha256 " + SHA + ") in "
                + installRoot.resolve("efficientat-mn04"));
        assertThat(run("install", bundled().resolve("efficientat-mn04").toString(), "--id", "copy",
                "--sha256", SHA)).isZero();
        assertThat(installRootEntries()).containsExactlyInAnyOrder("efficientat-mn04", "copy");
        assertThat(run("verify", "copy")).isZero();
    }

    @Test
    void aWrongChecksumFailsAndLeavesNothing() throws IOException {
        assertThat(run("install", bundled().resolve("efficientat-mn04").toString(), "--sha256", "0".repeat(64)))
                .isEqualTo(3);
        assertThat(err.toString()).contains("checksum mismatch", "nothing installed");
        assertThat(installRootEntries()).isEmpty();
    }

    @Test
    void withoutASubcommandPrintsUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(out.toString()).contains("list", "verify", "install");
        assertThat(run("install")).isEqualTo(2); // picocli: missing SOURCE
    }
}
