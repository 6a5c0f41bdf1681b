package io.hearken.inference.engine.store;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.ModelLocator;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import io.hearken.inference.engine.ModelSearchPath;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model store behind {@code hearken models list|verify|install}: the packages on a {@link ModelSearchPath}, and
 * installation of new ones into one root of it ({@code ~/.hearken/models} by default).
 *
 * <p>Install sources: a local package directory (with its manifest, or manifest-only with the files on the search
 * path), a local manifest file, an http(s) URL of a manifest ({@code .../hearken-model.json}) or of a package
 * directory ({@code .../efficientat-mn04/}), whose files are fetched from beside the manifest; or a bare ONNX file
 * (local or URL) with {@code --id} naming a manifest on the search path, its other files fetched from beside it.
 *
 * <p>Installing is all or nothing: every file goes into a fresh hidden staging directory inside the install root
 * while its sha256 is computed, the ONNX file's checksum is compared with the expected one (the {@code --sha256}
 * argument, and the manifest's), the staged package is fully validated ({@link ModelPackage#load}), and only then is
 * the staging directory renamed into place with {@link StandardCopyOption#ATOMIC_MOVE} (an existing package of the
 * same id is swapped out the same way). Any failure (wrong checksum, truncated transfer, HTTP error, invalid package)
 * deletes the staging directory: nothing is left behind and an installed package is never half-written.
 */
public final class ModelStore {
    /** Largest manifest accepted (they are a few kB). */
    static final int MAX_MANIFEST_BYTES = 1 << 20;

    private final ModelSearchPath searchPath;
    private final Path installRoot;
    private final Duration timeout;
    private HttpClient http; // lazily, guarded by this

    public ModelStore(ModelSearchPath searchPath, Path installRoot) {
        this(searchPath, installRoot, Duration.ofSeconds(30));
    }

    /** @param timeout connect timeout, and the longest wait for a response's headers */
    public ModelStore(ModelSearchPath searchPath, Path installRoot, Duration timeout) {
        this.searchPath = searchPath;
        this.installRoot = installRoot.toAbsolutePath().normalize();
        this.timeout = timeout;
    }

    /** The default search path; installs go to {@code ~/.hearken/models}. */
    public static ModelStore defaults() {
        return new ModelStore(ModelSearchPath.defaults(),
                ModelSearchPath.userDir(Paths.get(System.getProperty("user.home", "."))));
    }

    public ModelSearchPath searchPath() {
        return searchPath;
    }

    public Path installRoot() {
        return installRoot;
    }

    // ------------------------------------------------------------------------------------------------ list / verify

    /**
     * Every model on the search path, by id in the order first found (an id found again in a later root is shadowed
     * and not listed), then directories without a manifest whose name no manifest claims. Cheap: reads manifests,
     * checks that files exist; does not hash or open models.
     */
    public List<StoredModel> list() {
        Map<String, StoredModel> byId = new LinkedHashMap<>();
        Map<String, Path> bare = new TreeMap<>();
        for (Path root : searchPath.roots()) {
            for (Path dir : packageDirs(root)) {
                Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
                if (Files.isRegularFile(manifestFile)) {
                    StoredModel m = describe(dir);
                    byId.putIfAbsent(m.id(), m);
                } else if (Files.isRegularFile(dir.resolve(ModelLocator.MODEL_FILE))) {
                    bare.putIfAbsent(dir.getFileName().toString(), dir);
                }
            }
        }
        List<StoredModel> out = new ArrayList<>(byId.values());
        for (Map.Entry<String, Path> e : bare.entrySet()) {
            if (!byId.containsKey(e.getKey())) {
                Path dir = e.getValue();
                Optional<String> problem = Files.isRegularFile(dir.resolve(ModelLocator.LABELS_FILE))
                        ? Optional.empty() : Optional.of("missing " + ModelLocator.LABELS_FILE);
                out.add(new StoredModel(e.getKey(), "-", dir, Optional.of(dir), false, problem));
            }
        }
        return out;
    }

    /** The root itself when it is a package, else its sub-directories (sorted); none when it does not exist. */
    private static List<Path> packageDirs(Path root) {
        List<Path> dirs = new ArrayList<>();
        if (Files.isRegularFile(root.resolve(ModelManifest.FILE_NAME))) {
            dirs.add(root);
            return dirs;
        }
        if (!Files.isDirectory(root)) {
            return dirs;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> Files.isDirectory(p)
                && !p.getFileName().toString().startsWith("."))) {
            ds.forEach(dirs::add);
        } catch (IOException e) {
            return dirs; // an unreadable root holds nothing we can use
        }
        dirs.sort(null);
        return dirs;
    }

    private StoredModel describe(Path dir) {
        String fallbackId = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        ModelPackage p;
        try {
            ModelManifest m = ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME));
            try {
                p = ModelPackage.locate(dir, searchPath);
            } catch (HearkenException e) {
                return new StoredModel(m.id(), m.version(), dir, Optional.empty(), true, Optional.of(e.getMessage()));
            }
        } catch (HearkenException e) {
            return new StoredModel(fallbackId, "-", dir, Optional.empty(), true, Optional.of(e.getMessage()));
        }
        Optional<String> problem = p.labelsFile().filter(l -> !Files.isRegularFile(l))
                .map(l -> "missing " + l);
        return new StoredModel(p.id(), p.manifest().version(), dir, Optional.of(p.filesDir()), true, problem);
    }

    /** The listed model {@code id}; CONFIG error naming the search path when there is none. */
    public StoredModel find(String id) {
        return list().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                HearkenException.config("no model '" + id + "' on the model search path " + searchPath.roots()
                        + " (set " + ModelSearchPath.ENV_VAR + " or run `hearken models install`)"));
    }

    /**
     * Fully validates model {@code id} ({@link ModelPackage#load}: sha256, graph against manifest, labels); returns
     * the package or throws the MODEL error naming the problem.
     */
    public ModelPackage verify(String id) {
        return ModelPackage.load(find(id).dir(), searchPath);
    }

    // ------------------------------------------------------------------------------------------------ install

    /** {@link #install(String, Optional, Optional)} without an expected checksum beyond the manifest's. */
    public Installed install(String source, Optional<String> id) {
        return install(source, id, Optional.empty());
    }

    /**
     * Installs a package from {@code source} (see the class comment) into {@code <installRoot>/<id>}.
     *
     * @param id             the id to install under (default: the manifest's); for a bare ONNX file or a directory
     *                       without a manifest, also the manifest on the search path to use (default: the file's
     *                       directory name)
     * @param expectedSha256 the ONNX file's expected sha256 (hex), checked in addition to the manifest's
     * @return the installed package
     * @throws HearkenException CONFIG for a bad source or argument, MODEL for a checksum mismatch or invalid package,
     *                          TRANSIENT for a network failure, server error or truncated transfer
     */
    public Installed install(String source, Optional<String> id, Optional<String> expectedSha256) {
        if (source == null || source.isBlank()) {
            throw HearkenException.config("models install: SOURCE must not be empty");
        }
        id.ifPresent(i -> {
            if (!ModelManifest.isValidId(i)) {
                throw HearkenException.config("--id '" + i + "' is not a valid model id (letters, digits, '.', '_', "
                        + "'-', starting with a letter or digit)");
            }
        });
        Optional<String> expected = expectedSha256.map(s -> s.trim().toLowerCase(Locale.ROOT));
        expected.ifPresent(s -> {
            if (!s.matches("[0-9a-f]{64}")) {
                throw HearkenException.config("--sha256 must be 64 hex digits, got '" + s + "'");
            }
        });
        Source src = Source.of(source.trim());

        // Plan: which manifest, and where each file comes from.
        ModelManifest manifest;
        String manifestText;
        Map<String, Source> files = new LinkedHashMap<>();
        Optional<Source> manifestSource = src.manifestLocation();
        if (manifestSource.isPresent()) {
            manifestText = manifestSource.get().readText(this, MAX_MANIFEST_BYTES);
            manifest = ModelManifest.parse(manifestText, manifestSource.get().toString());
            Source base = manifestSource.get().parent();
            if (src.isLocal() && !Files.isRegularFile(base.path().resolve(manifest.onnx()))) {
                // A manifest-only directory (like the shipped ones): the files are on the search path.
                ModelManifest m = manifest;
                base = Source.of(searchPath.findFile(m.id(), m.onnx()).orElseThrow(() -> HearkenException.config(
                        manifestSource.get() + " names " + m.onnx() + ", which is neither beside it nor in " + m.id()
                                + "/ under the model search path " + searchPath.roots())));
            }
            for (String f : manifest.files()) {
                files.put(f, base.resolve(f));
            }
        } else {
            // A bare ONNX file, or a directory without a manifest: the manifest comes from the search path.
            String knownId = id.orElseGet(src::parentName);
            StoredModel known;
            try {
                known = find(knownId);
            } catch (HearkenException e) {
                throw HearkenException.config(source + " has no " + ModelManifest.FILE_NAME + "; installing it needs "
                        + "--id naming a model whose manifest is on the search path, and there is no manifest for '"
                        + knownId + "' on " + searchPath.roots());
            }
            if (!known.hasManifest()) {
                throw HearkenException.config(source + " has no " + ModelManifest.FILE_NAME + " and neither has "
                        + known.dir() + ": write a manifest (see models/efficientat-mn04/hearken-model.json)");
            }
            Path mf = known.dir().resolve(ModelManifest.FILE_NAME);
            manifest = ModelManifest.read(mf);
            manifestText = readLocalText(mf);
            Source dirSource = src.isDirectory() ? src : src.parent();
            for (String f : manifest.files()) {
                files.put(f, f.equals(manifest.onnx()) && !src.isDirectory() ? src : dirSource.resolve(f));
            }
        }
        String targetId = id.orElse(manifest.id());
        if (!targetId.equals(manifest.id())) {
            manifest = manifest.withId(targetId);
            manifestText = manifest.toJson();
        }
        return stageAndCommit(manifest, manifestText, files, expected);
    }

    private Installed stageAndCommit(ModelManifest manifest, String manifestText, Map<String, Source> files,
                                     Optional<String> expected) {
        Path staging = null;
        try {
            Files.createDirectories(installRoot);
            staging = Files.createTempDirectory(installRoot, "." + manifest.id() + ".partial-");
            String actual = null;
            for (Map.Entry<String, Source> f : files.entrySet()) {
                String sha = f.getValue().copyTo(this, staging.resolve(f.getKey()));
                if (f.getKey().equals(manifest.onnx())) {
                    actual = sha;
                }
            }
            if (expected.isPresent() && !expected.get().equals(actual)) {
                throw new HearkenException(ErrorKind.MODEL, "checksum mismatch for " + files.get(manifest.onnx())
                        + ": expected (--sha256) " + expected.get() + " but got " + actual + "; nothing installed");
            }
            if (!manifest.sha256().equals(actual)) {
                throw new HearkenException(ErrorKind.MODEL, "checksum mismatch for " + files.get(manifest.onnx())
                        + ": the manifest of " + manifest.id() + " expects sha256 " + manifest.sha256() + " but got "
                        + actual + "; nothing installed");
            }
            Files.writeString(staging.resolve(ModelManifest.FILE_NAME), manifestText, StandardCharsets.UTF_8);
            ModelPackage.load(staging, new ModelSearchPath(List.of())); // everything must be in the package itself
            boolean replaced = commit(staging, installRoot.resolve(manifest.id()));
            staging = null;
            return new Installed(manifest.id(), manifest.version(), actual, installRoot.resolve(manifest.id()),
                    replaced);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.TRANSIENT, "cannot install " + manifest.id() + " into "
                    + installRoot + ": " + e, e);
        } finally {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    /** Renames {@code staging} to {@code target} atomically, swapping out an existing package; true if replaced. */
    private static boolean commit(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = staging.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            atomicMove(target, old);
        }
        try {
            atomicMove(staging, target);
        } catch (IOException e) {
            if (old != null) {
                atomicMove(old, target); // put the previous package back
            }
            throw e;
        }
        if (old != null) {
            deleteRecursively(old);
        }
        return old != null;
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the install root does not support atomic renames: " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String readLocalText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read " + file + ": " + e, e);
        }
    }

    synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    // ------------------------------------------------------------------------------------------------ sources

    /** A local path or an http(s) URI. */
    private record Source(Path path, URI uri) {

        static Source of(String s) {
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                try {
                    URI u = new URI(s);
                    if (u.getHost() == null) {
                        throw HearkenException.config("models install: no host in URL " + s);
                    }
                    return new Source(null, u);
                } catch (URISyntaxException e) {
                    throw HearkenException.config("models install: bad URL " + s + ": " + e.getMessage());
                }
            }
            if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
                throw HearkenException.config("models install: only local paths and http(s) URLs are supported, got "
                        + s);
            }
            Path p = Paths.get(s).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw HearkenException.config("models install: no such file or directory: " + p);
            }
            return new Source(p, null);
        }

        static Source of(Path p) {
            return new Source(p, null);
        }

        boolean isLocal() {
            return path != null;
        }

        boolean isDirectory() {
            return isLocal() ? Files.isDirectory(path) : uri.getPath() == null || uri.getPath().isEmpty()
                    || uri.getPath().endsWith("/");
        }

        /** Where the manifest is if this source names a package: a manifest file/URL or a directory with one. */
        Optional<Source> manifestLocation() {
            if (isLocal()) {
                if (Files.isDirectory(path)) {
                    Path m = path.resolve(ModelManifest.FILE_NAME);
                    return Files.isRegularFile(m) ? Optional.of(of(m)) : Optional.empty();
                }
                return path.getFileName().toString().endsWith(".json") ? Optional.of(this) : Optional.empty();
            }
            if (isDirectory()) {
                return Optional.of(resolve(ModelManifest.FILE_NAME));
            }
            return uri.getPath().endsWith(".json") ? Optional.of(this) : Optional.empty();
        }

        Source parent() {
            return isLocal() ? of(path.getParent()) : new Source(null, uri.resolve("."));
        }

        Source resolve(String name) {
            return isLocal() ? of(path.resolve(name)) : new Source(null, uri.resolve(name));
        }

        /** The name of the directory holding this file (or of this directory): the default id. */
        String parentName() {
            if (isLocal()) {
                Path d = Files.isDirectory(path) ? path : path.getParent();
                return d == null || d.getFileName() == null ? "" : d.getFileName().toString();
            }
            String p = isDirectory() ? uri.getPath() : uri.resolve(".").getPath();
            String[] parts = p.split("/");
            return parts.length == 0 ? "" : parts[parts.length - 1];
        }

        String readText(ModelStore store, int maxBytes) {
            if (isLocal()) {
                return readLocalText(path);
            }
            try (InputStream in = store.open(uri)) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new HearkenException(ErrorKind.MODEL, uri + ": manifest larger than " + maxBytes + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw transferFailed(uri, e);
            }
        }

        /** Copies this source to {@code target} and returns its sha256 (hex). */
        String copyTo(ModelStore store, Path target) throws IOException {
            MessageDigest md = ModelPackage.sha256();
            if (isLocal()) {
                if (!Files.isRegularFile(path)) {
                    throw HearkenException.config("models install: " + path + " is not a file");
                }
                try (InputStream in = Files.newInputStream(path); OutputStream out = Files.newOutputStream(target)) {
                    copy(in, out, md, new long[1]);
                }
                return HexFormat.of().formatHex(md.digest());
            }
            HttpResponse<InputStream> resp = store.get(uri);
            long declared = resp.headers().firstValueAsLong("content-length").orElse(-1L);
            long[] got = {0};
            try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(target)) {
                copy(in, out, md, got);
            } catch (IOException e) {
                throw new HearkenException(ErrorKind.TRANSIENT, "download of " + uri + " failed after " + got[0]
                        + (declared >= 0 ? " of " + declared : "") + " bytes (truncated transfer?): " + e.getMessage()
                        + "; nothing installed", e);
            }
            if (declared >= 0 && got[0] != declared) {
                throw new HearkenException(ErrorKind.TRANSIENT, "download of " + uri + " truncated: got " + got[0]
                        + " of " + declared + " bytes; nothing installed");
            }
            return HexFormat.of().formatHex(md.digest());
        }

        /** Copies and hashes; {@code count[0]} holds the bytes copied so far, also when the copy fails. */
        private static void copy(InputStream in, OutputStream out, MessageDigest md, long[] count) throws IOException {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) >= 0; ) {
                md.update(buf, 0, r);
                out.write(buf, 0, r);
                count[0] += r;
            }
        }

        @Override
        public String toString() {
            return isLocal() ? path.toString() : uri.toString();
        }
    }

    private InputStream open(URI uri) {
        return get(uri).body();
    }

    /** GET with a 200 response, or the error: 5xx/429 TRANSIENT, other statuses CONFIG, network failures TRANSIENT. */
    private HttpResponse<InputStream> get(URI uri) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transferFailed(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearkenException(ErrorKind.TRANSIENT, "download of " + uri + " interrupted", e);
        }
        int status = resp.statusCode();
        if (status != 200) {
            try {
                resp.body().close(); // discard the error body
            } catch (IOException ignored) {
                // the status is what matters
            }
            boolean retriable = status >= 500 || status == 429 || status == 408;
            throw new HearkenException(retriable ? ErrorKind.TRANSIENT : ErrorKind.CONFIG, "GET " + uri
                    + " answered HTTP " + status + (retriable ? " (a server-side failure: try again later)"
                    : status == 404 ? " (not found)" : "") + "; nothing installed");
        }
        return resp;
    }

    private static HearkenException transferFailed(URI uri, IOException e) {
        String what = e instanceof HttpTimeoutException ? "timed out" : "failed";
        return new HearkenException(ErrorKind.TRANSIENT, "download of " + uri + " " + what + ": " + e
                + "; nothing installed", e);
    }
}
