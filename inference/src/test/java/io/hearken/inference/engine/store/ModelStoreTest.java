package io.hearken.inference.engine.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import io.hearken.inference.engine.ModelSearchPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model store against the real model files, served by a local HTTP server for the download cases: success,
 * wrong checksum, truncated transfer, server errors. Every failure must leave the install root as it was.
 */
class ModelStoreTest {
    private static final String ID = "efficientat-mn04";
    private static final String SHA = "a2508b43ca03e5eb50b18775704484dd5470eb3d4f29456a2aa147c305f685ed";

    @TempDir
    Path tmp;

    private Path installRoot;
    private ModelStore store;
    private HttpServer server;
    private String base;
    private final AtomicInteger requests = new AtomicInteger();

    static Path sharedDir() {
        String prop = System.getProperty("hearken.shared.dir");
        return (prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("../../shared")).toAbsolutePath()
                .normalize();
    }

    static Path fixtureRoot() {
        return sharedDir().resolve("models");
    }

    static Path bundledRoot() {
        return Paths.get("").toAbsolutePath().getParent().resolve("models");
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        installRoot = tmp.resolve("installed");
        store = new ModelStore(new ModelSearchPath(List.of(installRoot, bundledRoot(), fixtureRoot())), installRoot);

        byte[] model = read(fixtureRoot().resolve(ID).resolve("model.onnx"));
        byte[] labels = read(fixtureRoot().resolve(ID).resolve("labels.csv"));
        String manifest = Files.readString(bundledRoot().resolve(ID).resolve(ModelManifest.FILE_NAME));
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        byte[] badShaManifest = manifest.replace(SHA, "0".repeat(64)).getBytes(StandardCharsets.UTF_8);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            String dir = path.substring(1, path.lastIndexOf('/') < 1 ? 1 : path.lastIndexOf('/'));
            String file = path.substring(path.lastIndexOf('/') + 1);
            try {
                if (dir.equals("gone")) {
                    send(ex, 404, "not here".getBytes(StandardCharsets.UTF_8));
                } else if (file.equals(ModelManifest.FILE_NAME)) {
                    send(ex, 200, dir.equals("bad-sha") ? badShaManifest : manifestBytes);
                } else if (file.equals("labels.csv")) {
                    send(ex, 200, labels);
                } else if (file.equals("model.onnx")) {
                    switch (dir) {
                        case "error" -> send(ex, 500, "boom".getBytes(StandardCharsets.UTF_8));
                        case "truncated" -> {
                            // Promise the whole file, send half of it, hang up.
                            ex.sendResponseHeaders(200, model.length);
                            OutputStream os = ex.getResponseBody();
                            os.write(model, 0, model.length / 2);
                            os.flush();
                            ex.close();
                        }
                        default -> send(ex, 200, model);
                    }
                } else {
                    send(ex, 404, new byte[0]);
                }
            } catch (IOException e) {
                ex.close(); // the truncated case ends here: the connection is dropped mid-body
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    /** Everything in the install root, hidden staging directories included. */
    private List<String> installRootEntries() throws IOException {
        if (!Files.exists(installRoot)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(installRoot)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertFailsLeavingNothing(Runnable install, ErrorKind kind, String... fragments) throws IOException {
        List<String> before = installRootEntries();
        assertThatThrownBy(install::run).isInstanceOfSatisfying(HearkenException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(fragments);
            System.out.println("failed as expected: " + e.kind() + ": " + e.getMessage());
        });
        assertThat(installRootEntries()).as("install root after a failed install").isEqualTo(before);
    }

    @Test
    void listShowsTheShippedManifestWithItsFilesFromTheFixtures() {
        List<StoredModel> models = store.list();
        assertThat(models).hasSize(1); // the fixture directory's name is claimed by the shipped manifest
        StoredModel m = models.get(0);
        assertThat(m.id()).isEqualTo(ID);
        assertThat(m.version()).isEqualTo("1.0.0");
        assertThat(m.dir()).isEqualTo(bundledRoot().resolve(ID));
        assertThat(m.filesDir()).hasValue(fixtureRoot().resolve(ID));
        assertThat(m.hasManifest()).isTrue();
        assertThat(m.problem()).isEmpty();
    }

    @Test
    void listShowsBareDirectoriesAndProblems() throws IOException {
        Path root = tmp.resolve("other-root");
        Files.createDirectories(root.resolve("bare"));
        Files.writeString(root.resolve("bare/model.onnx"), "x");
        Files.createDirectories(root.resolve("broken"));
        Files.writeString(root.resolve("broken").resolve(ModelManifest.FILE_NAME), "{");
        ModelStore s = new ModelStore(ModelSearchPath.of(root), installRoot);
        List<StoredModel> models = s.list();
        assertThat(models).extracting(StoredModel::id).containsExactly("broken", "bare");
        assertThat(models.get(0).problem()).hasValueSatisfying(p -> assertThat(p).contains("not valid JSON"));
        assertThat(models.get(1).hasManifest()).isFalse();
        assertThat(models.get(1).problem()).hasValue("missing labels.csv");
    }

    @Test
    void verifyChecksTheWholePackage() {
        ModelPackage p = store.verify(ID);
        assertThat(p.filesDir()).isEqualTo(fixtureRoot().resolve(ID));
        assertThatThrownBy(() -> store.verify("nope")).isInstanceOfSatisfying(HearkenException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).contains("no model 'nope'", installRoot.toString());
        });
    }

    @Test
    void installFromTheShippedManifestOnlyDirectory() throws IOException {
        Installed first = store.install(bundledRoot().resolve(ID).toString(), Optional.empty());
        assertThat(first).isEqualTo(new Installed(ID, "1.0.0", SHA, installRoot.resolve(ID), false));
        try (Stream<Path> s = Files.list(installRoot.resolve(ID))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("hearken-model.json", "labels.csv", "model.onnx");
        }
        assertThat(store.list().get(0).dir()).isEqualTo(installRoot.resolve(ID)); // first root wins now
        assertThat(store.verify(ID).filesDir()).isEqualTo(installRoot.resolve(ID));

        Installed again = store.install(installRoot.resolve(ID).toString(), Optional.empty());
        assertThat(again.replaced()).isTrue();
        assertThat(installRootEntries()).containsExactly(ID);
        store.verify(ID);
    }

    @Test
    void installFromAManifestUrl() throws IOException {
        Installed inst = store.install(base + "pkg/" + ID + "/" + ModelManifest.FILE_NAME, Optional.empty());
        assertThat(inst.dir()).isEqualTo(installRoot.resolve(ID));
        assertThat(inst.sha256()).isEqualTo(SHA);
        assertThat(installRootEntries()).containsExactly(ID);
        try (AudioTagger t = AudioTagger.load(ModelPackage.load(inst.dir(), ModelSearchPath.of()),
                EngineSettings.cpu(1))) {
            assertThat(t.predict(new float[128 * 100], 100).logits()).hasSize(527);
        }
    }

    @Test
    void installFromADirectoryUrlUnderAnotherId() {
        Installed inst = store.install(base + "pkg/" + ID + "/", Optional.of("mn04-copy"));
        assertThat(inst.id()).isEqualTo("mn04-copy");
        ModelPackage p = store.verify("mn04-copy");
        assertThat(p.manifest().id()).isEqualTo("mn04-copy");
        assertThat(p.manifest().sha256()).isEqualTo(SHA);
    }

    @Test
    void installABareOnnxUrlWithAKnownIdAndChecksum() {
        Installed inst = store.install(base + "raw/model.onnx", Optional.of(ID), Optional.of(SHA.toUpperCase()));
        assertThat(inst.sha256()).isEqualTo(SHA);
        assertThat(store.verify(ID).dir()).isEqualTo(installRoot.resolve(ID));
    }

    @Test
    void aWrongExpectedChecksumLeavesNothing() throws IOException {
        String wrong = "1".repeat(64);
        assertFailsLeavingNothing(() -> store.install(base + "pkg/" + ID + "/", Optional.empty(), Optional.of(wrong)),
                ErrorKind.MODEL, "checksum mismatch", "expected (--sha256) " + wrong, "got " + SHA,
                "nothing installed");
    }

    @Test
    void aManifestChecksumTheFileDoesNotMatchLeavesNothing() throws IOException {
        assertFailsLeavingNothing(() -> store.install(base + "bad-sha/" + ModelManifest.FILE_NAME, Optional.empty()),
                ErrorKind.MODEL, "checksum mismatch", "expects sha256 " + "0".repeat(64), "got " + SHA);
    }

    @Test
    void aTruncatedTransferLeavesNothing() throws IOException {
        assertFailsLeavingNothing(() -> store.install(base + "truncated/", Optional.empty()), ErrorKind.TRANSIENT,
                "truncated/model.onnx", "nothing installed");
    }

    @Test
    void aServerErrorLeavesNothing() throws IOException {
        assertFailsLeavingNothing(() -> store.install(base + "error/", Optional.empty()), ErrorKind.TRANSIENT,
                "HTTP 500", "try again later");
    }

    @Test
    void notFoundIsAConfigError() throws IOException {
        assertFailsLeavingNothing(() -> store.install(base + "gone/", Optional.empty()), ErrorKind.CONFIG,
                "HTTP 404");
    }

    @Test
    void aFailedInstallKeepsThePackageAlreadyThere() throws IOException {
        store.install(base + "pkg/" + ID + "/", Optional.empty());
        assertFailsLeavingNothing(() -> store.install(base + "error/", Optional.empty()), ErrorKind.TRANSIENT,
                "HTTP 500");
        assertFailsLeavingNothing(() -> store.install(base + "truncated/", Optional.empty()), ErrorKind.TRANSIENT,
                "nothing installed");
        assertThat(store.verify(ID).dir()).isEqualTo(installRoot.resolve(ID));
    }

    @Test
    void badSourcesAndArgumentsAreConfigErrors() throws IOException {
        assertFailsLeavingNothing(() -> store.install(tmp.resolve("absent").toString(), Optional.empty()),
                ErrorKind.CONFIG, "no such file or directory");
        assertFailsLeavingNothing(() -> store.install("ftp://example.org/m/", Optional.empty()), ErrorKind.CONFIG,
                "only local paths and http(s) URLs");
        assertFailsLeavingNothing(() -> store.install(base + "pkg/" + ID + "/", Optional.of("../up")),
                ErrorKind.CONFIG, "not a valid model id");
        assertFailsLeavingNothing(() -> store.install(base + "pkg/" + ID + "/", Optional.empty(), Optional.of("xyz")),
                ErrorKind.CONFIG, "--sha256 must be 64 hex digits");
        assertFailsLeavingNothing(() -> store.install(base + "raw/model.onnx", Optional.of("unknown-model")),
                ErrorKind.CONFIG, "no manifest for 'unknown-model'");
    }
}
