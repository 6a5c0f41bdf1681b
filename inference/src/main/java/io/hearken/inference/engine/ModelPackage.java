package io.hearken.inference.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model package: a directory with a {@link ModelManifest} ({@value ModelManifest#FILE_NAME}) and the files it names
 * (the ONNX model, the labels). The files are in the directory itself or, for a manifest-only directory such as the
 * one the project ships in {@code models/efficientat-mn04}, in {@code <root>/<id>/} of the first
 * {@link ModelSearchPath} root that has them.
 *
 * <p>A directory without a manifest but with {@code model.onnx} and {@code labels.csv} (the layout before manifests)
 * still loads: with the manifest of the same id on the search path when its sha256 matches the file, else with one
 * inferred from the graph (input {@code mel}, output {@code logits} with {@code labels.csv} and a sigmoid, every other
 * [batch, dim] output a feature, the EfficientAT front end). {@link #isInferred()} tells which.
 *
 * <p>{@link #load} validates everything at load time, each problem a {@link ErrorKind#MODEL} error naming it: the
 * sha256 of the ONNX file (expected and actual), a corrupt ONNX file, the input (present, float, 4 dimensions,
 * the manifest's mel bins), every output the manifest names (present, float, [batch, dim] with the stated dim), and
 * the labels (readable, as many as the logits' dim).
 */
public final class ModelPackage {
    /** Frames of the all-zero window used to learn output sizes the graph leaves symbolic. */
    static final int PROBE_FRAMES = 100;

    private final Path dir;
    private final Optional<Path> manifestFile;
    private final ModelManifest manifest;
    private final boolean inferred;
    private final Path filesDir;
    private Labels labels; // guarded by this

    private ModelPackage(Path dir, Optional<Path> manifestFile, ModelManifest manifest, boolean inferred,
                         Path filesDir) {
        this.dir = dir;
        this.manifestFile = manifestFile;
        this.manifest = manifest;
        this.inferred = inferred;
        this.filesDir = filesDir;
    }

    /** Loads and fully validates the package in {@code dir}, finding its files on the default search path. */
    public static ModelPackage load(Path dir) {
        return load(dir, ModelSearchPath.defaults());
    }

    /** Loads and fully validates the package in {@code dir}, finding its files on {@code searchPath}. */
    public static ModelPackage load(Path dir, ModelSearchPath searchPath) {
        ModelPackage p = locate(dir, searchPath);
        byte[] model = p.readVerifiedModel();
        Labels labels = p.labels();
        OrtSession session = OrtSessions.createCpu(OrtEnvironment.getEnvironment(), model, p.onnxFile(),
                EngineSettings.cpu(1));
        try {
            checkSignature(session, p.manifest, p.onnxFile(), labels);
        } finally {
            OrtSessions.closeQuietly(session);
        }
        return p;
    }

    /** {@link #locate(Path, ModelSearchPath)} on the default search path. */
    public static ModelPackage locate(Path dir) {
        return locate(dir, ModelSearchPath.defaults());
    }

    /**
     * Reads the manifest and finds the files without opening a session on the model: cheap, for listings and for
     * what needs only the manifest (the job's front end). A manifest-less directory is hashed to find its known
     * manifest; only when none matches is its manifest read off the graph, in a session closed at once.
     * {@link #load} is the validating entry point.
     */
    public static ModelPackage locate(Path dir, ModelSearchPath searchPath) {
        Path abs = dir.toAbsolutePath().normalize();
        Path manifestFile = abs.resolve(ModelManifest.FILE_NAME);
        if (Files.isRegularFile(manifestFile)) {
            ModelManifest m = ModelManifest.read(manifestFile);
            Path files;
            if (Files.isRegularFile(abs.resolve(m.onnx()))) {
                files = abs;
            } else {
                files = searchPath.findFile(m.id(), m.onnx()).orElseThrow(() -> new HearkenException(ErrorKind.MODEL,
                        manifestFile + " names " + m.onnx() + ", which is neither in " + abs + " nor in " + m.id()
                                + "/ under any root of the model search path " + searchPath.roots() + " (set "
                                + ModelSearchPath.ENV_VAR + " or run `hearken models install`)"));
            }
            return new ModelPackage(abs, Optional.of(manifestFile), m, false, files);
        }
        if (!Files.isDirectory(abs)) {
            throw new HearkenException(ErrorKind.MODEL, "model directory " + abs + " does not exist");
        }
        // The layout before manifests: model.onnx + labels.csv.
        ModelLocator.checkPackage(abs);
        Path onnx = abs.resolve(ModelLocator.MODEL_FILE);
        String sha = sha256Hex(onnx);
        String name = abs.getFileName() == null ? "model" : abs.getFileName().toString();
        Optional<Path> known = ModelManifest.ID.matcher(name).matches() ? searchPath.findManifestDir(name)
                : Optional.empty();
        if (known.isPresent()) {
            Path kf = known.get().resolve(ModelManifest.FILE_NAME);
            ModelManifest m = ModelManifest.read(kf);
            if (m.sha256().equals(sha) && m.onnx().equals(ModelLocator.MODEL_FILE)
                    && m.labels().map(l -> Files.isRegularFile(abs.resolve(l))).orElse(true)) {
                return new ModelPackage(abs, Optional.of(kf), m, false, abs);
            }
        }
        return new ModelPackage(abs, Optional.empty(), infer(abs, onnx, sha), true, abs);
    }

    /** The manifest-less convention, read off the graph. */
    private static ModelManifest infer(Path dir, Path onnx, String sha) {
        byte[] model = readAll(onnx);
        OrtSession session = OrtSessions.createCpu(OrtEnvironment.getEnvironment(), model, onnx,
                EngineSettings.cpu(1));
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo in = inputs.get(AudioTagger.INPUT);
            if (in == null && inputs.size() == 1) {
                in = inputs.values().iterator().next();
            }
            if (in == null) {
                throw new HearkenException(ErrorKind.MODEL, onnx + " has no input '" + AudioTagger.INPUT
                        + "' (inputs: " + inputs.keySet() + ") and " + dir + " has no " + ModelManifest.FILE_NAME
                        + " naming one");
            }
            long[] inShape = floatTensor(in, onnx, "input").getShape();
            if (inShape.length != 4 || (inShape[1] > 0 && inShape[1] != 1)) {
                throw new HearkenException(ErrorKind.MODEL, onnx + ": input '" + in.getName()
                        + "' must be [batch, 1, mel bins, frames] but is " + Arrays.toString(inShape));
            }
            int melBins = inShape[2] > 0 ? (int) inShape[2] : AudioTagger.DEFAULT_MEL_BINS;
            FrontendSpec frontend = FrontendSpec.efficientAt();
            if (melBins != frontend.melBins()) {
                throw new HearkenException(ErrorKind.MODEL, onnx + ": input '" + in.getName() + "' has " + melBins
                        + " mel bins; without a " + ModelManifest.FILE_NAME + " only EfficientAT-style models (128 "
                        + "bins) are understood: write a manifest describing the front end");
            }
            InputSpec input = new InputSpec(in.getName(), InputSpec.MEL_FRAMES, melBins);
            Map<String, Long> dims = new LinkedHashMap<>();
            boolean symbolic = false;
            for (NodeInfo out : session.getOutputInfo().values()) {
                if (out.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 2) {
                    dims.put(out.getName(), t.getShape()[1]);
                    symbolic |= t.getShape()[1] <= 0;
                }
            }
            if (symbolic) {
                Map<String, Integer> probed = probe(session, input, onnx);
                dims.replaceAll((k, v) -> v > 0 ? v : probed.get(k));
            }
            List<OutputSpec> outputs = new ArrayList<>();
            for (Map.Entry<String, Long> e : dims.entrySet()) {
                String n = e.getKey();
                int d = e.getValue().intValue();
                outputs.add(n.equals(AudioTagger.LOGITS)
                        ? OutputSpec.logits(n, d, OutputSpec.Activation.SIGMOID, ModelLocator.LABELS_FILE)
                        : OutputSpec.feature(n, n.equals("embedding") ? OutputSpec.Role.EMBEDDING
                        : OutputSpec.Role.FEATURE, d));
            }
            if (outputs.stream().noneMatch(OutputSpec::isLogits)) {
                throw new HearkenException(ErrorKind.MODEL, onnx + " has no output '" + AudioTagger.LOGITS
                        + "' (outputs: " + dims.keySet() + ") and " + dir + " has no " + ModelManifest.FILE_NAME);
            }
            String id = dir.getFileName() == null ? "model"
                    : dir.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[._-]+", "");
            return new ModelManifest(id.isEmpty() ? "model" : id, sha.substring(0, 12), "unknown", sha,
                    ModelLocator.MODEL_FILE, Optional.empty(), input, frontend, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), outputs);
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read the signature of " + onnx + ": " + e, e);
        } finally {
            OrtSessions.closeQuietly(session);
        }
    }

    /**
     * Checks the graph against the manifest (and the labels against the logits): the input exists with the layout's
     * rank and mel bins, every output the manifest names exists as a float [batch, dim] tensor with the stated dim
     * (learnt from one all-zero window when the graph leaves it symbolic). Returns nothing; throws MODEL errors.
     */
    static void checkSignature(OrtSession session, ModelManifest m, Path onnx, Labels labels) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read the signature of " + onnx + ": " + e, e);
        }
        InputSpec is = m.input();
        NodeInfo in = inputs.get(is.name());
        if (in == null) {
            throw new HearkenException(ErrorKind.MODEL, onnx + " has no input '" + is.name()
                    + "' named by the manifest (inputs: " + inputs.keySet() + ")");
        }
        long[] inShape = floatTensor(in, onnx, "input").getShape();
        if (inShape.length != is.rank()) {
            throw new HearkenException(ErrorKind.MODEL, onnx + ": input '" + is.name() + "' has "
                    + inShape.length + " dimensions " + Arrays.toString(inShape) + " but layout " + is.layout()
                    + " needs " + is.rank());
        }
        if ((inShape[1] > 0 && inShape[1] != 1) || (inShape[2] > 0 && inShape[2] != is.melBins())) {
            throw new HearkenException(ErrorKind.MODEL, onnx + ": input '" + is.name() + "' is "
                    + Arrays.toString(inShape) + " but the manifest says [batch, 1, " + is.melBins() + ", frames]");
        }
        boolean symbolic = false;
        for (OutputSpec o : m.outputs()) {
            NodeInfo out = outputs.get(o.name());
            if (out == null) {
                throw new HearkenException(ErrorKind.MODEL, onnx + " has no output '" + o.name()
                        + "' named by the manifest (outputs: " + outputs.keySet() + ")");
            }
            long[] shape = floatTensor(out, onnx, "output").getShape();
            if (shape.length != 2) {
                throw new HearkenException(ErrorKind.MODEL, onnx + ": output '" + o.name()
                        + "' must be [batch, dim] but is " + Arrays.toString(shape));
            }
            if (shape[1] > 0 && shape[1] != o.dim()) {
                throw new HearkenException(ErrorKind.MODEL, onnx + ": output '" + o.name() + "' has dim " + shape[1]
                        + " but the manifest says " + o.dim());
            }
            symbolic |= shape[1] <= 0;
        }
        if (symbolic) {
            Map<String, Integer> dims = probe(session, is, onnx);
            for (OutputSpec o : m.outputs()) {
                Integer d = dims.get(o.name());
                if (d == null || d != o.dim()) {
                    throw new HearkenException(ErrorKind.MODEL, onnx + ": output '" + o.name() + "' has dim " + d
                            + " but the manifest says " + o.dim());
                }
            }
        }
        checkLabels(m, labels);
    }

    private static void checkLabels(ModelManifest m, Labels labels) {
        m.logits().ifPresent(l -> {
            if (labels.size() != l.dim()) {
                throw new HearkenException(ErrorKind.MODEL, "labels file " + l.labels().orElseThrow() + " has "
                        + labels.size() + " classes but output '" + l.name() + "' has " + l.dim());
            }
        });
    }

    /** Runs one all-zero window and returns every [batch, dim] output's dim. */
    private static Map<String, Integer> probe(OrtSession session, InputSpec input, Path onnx) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] zeros = new float[input.melBins() * PROBE_FRAMES];
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(zeros),
                new long[] {1, 1, input.melBins(), PROBE_FRAMES});
             OrtSession.Result r = session.run(Map.of(input.name(), t))) {
            Map<String, Integer> dims = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                if (e.getValue() instanceof OnnxTensor ot && ot.getInfo().getShape().length == 2) {
                    dims.put(e.getKey(), (int) ot.getInfo().getShape()[1]);
                }
            }
            return dims;
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.MODEL, onnx + ": a trial run on one window of " + PROBE_FRAMES
                    + " frames failed: " + e.getMessage(), e);
        }
    }

    private static TensorInfo floatTensor(NodeInfo node, Path onnx, String what) {
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new HearkenException(ErrorKind.MODEL, onnx + ": " + what + " '" + node.getName()
                    + "' is not a float32 tensor: " + node.getInfo());
        }
        return t;
    }

    /** The ONNX file's bytes, after checking their sha256 against the manifest. */
    byte[] readVerifiedModel() {
        byte[] bytes = readAll(onnxFile());
        String actual = sha256Hex(bytes);
        if (!actual.equals(manifest.sha256())) {
            throw new HearkenException(ErrorKind.MODEL, "sha256 mismatch for " + onnxFile() + ": the manifest "
                    + manifestFile.map(Path::toString).orElse("") + " expects " + manifest.sha256()
                    + " but the file has " + actual);
        }
        return bytes;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read " + file + ": " + e, e);
        }
    }

    /** The directory this package was loaded from (where its manifest is, or the manifest-less directory). */
    public Path dir() {
        return dir;
    }

    /** The manifest file used; empty when the manifest was inferred. */
    public Optional<Path> manifestFile() {
        return manifestFile;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public String id() {
        return manifest.id();
    }

    /** True when the directory has no manifest and the manifest was read off the graph. */
    public boolean isInferred() {
        return inferred;
    }

    /** Where the ONNX and labels files are: {@link #dir()} or a directory on the search path. */
    public Path filesDir() {
        return filesDir;
    }

    public Path onnxFile() {
        return filesDir.resolve(manifest.onnx());
    }

    public Optional<Path> labelsFile() {
        return manifest.labels().map(filesDir::resolve);
    }

    /** The logits' labels (read once); empty labels for a model without logits. */
    public synchronized Labels labels() {
        if (labels == null) {
            labels = labelsFile().map(Labels::load).orElseGet(Labels::empty);
            checkLabels(manifest, labels);
        }
        return labels;
    }

    /** Hex SHA-256 of a file, streamed. */
    public static String sha256Hex(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read " + file + ": " + e, e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ModelPackage[" + manifest.id() + " " + manifest.version() + " at " + dir
                + (filesDir.equals(dir) ? "" : ", files in " + filesDir) + (inferred ? ", manifest inferred" : "")
                + "]";
    }
}
