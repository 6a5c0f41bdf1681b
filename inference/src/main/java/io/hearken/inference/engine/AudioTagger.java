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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The predictor: one ONNX Runtime session over an audio-tagging model package ({@code model.onnx} +
 * {@code labels.csv}) that turns log-mel windows into class logits and feature vectors.
 *
 * <p><b>Thread-safety:</b> one instance can and should be shared by many threads. {@code OrtSession.run} is
 * thread-safe, every call builds its own input and output tensors, and the timing counters are {@link LongAdder}s.
 * Runs hold a read lock and {@link #close()} the write lock, so closing waits for in-flight runs instead of freeing
 * native memory under them; a run after close fails with an INTERNAL error.
 *
 * <p>The session is configured for throughput on a shared machine: {@code intraOpThreads} threads inside each
 * operator, a single inter-op thread (the graph is a sequential CNN, parallel branches buy nothing), and all graph
 * optimisations. Per-window results do not depend on the batch they run in (the network has no cross-batch ops).
 */
public final class AudioTagger implements AutoCloseable {
    public static final String INPUT = "mel";
    public static final String LOGITS = "logits";
    public static final List<String> FEATURE_OUTPUTS = List.of("embedding", "mid", "late", "hidden");
    static final int DEFAULT_MEL_BINS = 128;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String modelId;
    private final String modelVersion;
    private final Labels labels;
    private final int melBins;
    private final Path modelDir;

    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private final LongAdder preCalls = new LongAdder();
    private final LongAdder preWindows = new LongAdder();
    private final LongAdder preNanos = new LongAdder();
    private final LongAdder inferCalls = new LongAdder();
    private final LongAdder inferWindows = new LongAdder();
    private final LongAdder inferNanos = new LongAdder();
    private final LongAdder postCalls = new LongAdder();
    private final LongAdder postWindows = new LongAdder();
    private final LongAdder postNanos = new LongAdder();

    private AudioTagger(OrtEnvironment env, OrtSession session, Path modelDir, String modelVersion, Labels labels,
                        int melBins) {
        this.env = env;
        this.session = session;
        this.modelDir = modelDir;
        this.modelId = modelDir.getFileName().toString();
        this.modelVersion = modelVersion;
        this.labels = labels;
        this.melBins = melBins;
    }

    /**
     * Loads and validates a model package. Any problem with the package (missing or corrupt file, wrong inputs or
     * outputs, labels that do not match the logits) is a {@link ErrorKind#MODEL} error naming it.
     */
    public static AudioTagger load(Path modelDir, int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw HearkenException.config("intra-op threads must be >= 1: " + intraOpThreads);
        }
        Path dir = modelDir.toAbsolutePath().normalize();
        ModelLocator.checkPackage(dir);
        Path modelFile = dir.resolve(ModelLocator.MODEL_FILE);
        Labels labels = Labels.load(dir.resolve(ModelLocator.LABELS_FILE));

        // Read once, hash and load the same bytes: the version always describes exactly what runs.
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read " + modelFile + ": " + e.getMessage(), e);
        }
        String version = sha256Hex(bytes).substring(0, 12);

        // The environment is a per-JVM singleton owned by ONNX Runtime; it is never closed here.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.MODEL,
                    "cannot load " + modelFile + " (corrupt or not an ONNX model?): " + e.getMessage(), e);
        }
        try {
            int melBins = validate(session, modelFile, labels);
            return new AudioTagger(env, session, dir, version, labels, melBins);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Checks the model's signature against what this engine feeds and reads; returns the number of mel bins. */
    private static int validate(OrtSession session, Path modelFile, Labels labels) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read the signature of " + modelFile, e);
        }
        NodeInfo in = inputs.get(INPUT);
        if (in == null) {
            throw new HearkenException(ErrorKind.MODEL,
                    modelFile + " has no input '" + INPUT + "' (inputs: " + inputs.keySet() + ")");
        }
        TensorInfo inInfo = floatTensor(in, modelFile, "input");
        long[] inShape = inInfo.getShape();
        if (inShape.length != 4 || (inShape[1] > 0 && inShape[1] != 1)) {
            throw new HearkenException(ErrorKind.MODEL, modelFile + ": input '" + INPUT
                    + "' must be [batch, 1, mel bins, frames] but is " + java.util.Arrays.toString(inShape));
        }
        int melBins = inShape[2] > 0 ? (int) inShape[2] : DEFAULT_MEL_BINS;

        List<String> wanted = new ArrayList<>();
        wanted.add(LOGITS);
        wanted.addAll(FEATURE_OUTPUTS);
        for (String name : wanted) {
            NodeInfo out = outputs.get(name);
            if (out == null) {
                throw new HearkenException(ErrorKind.MODEL,
                        modelFile + " has no output '" + name + "' (outputs: " + outputs.keySet() + ")");
            }
            long[] shape = floatTensor(out, modelFile, "output").getShape();
            if (shape.length != 2) {
                throw new HearkenException(ErrorKind.MODEL, modelFile + ": output '" + name
                        + "' must be [batch, dim] but is " + java.util.Arrays.toString(shape));
            }
            if (name.equals(LOGITS) && shape[1] > 0 && shape[1] != labels.size()) {
                throw new HearkenException(ErrorKind.MODEL, modelFile + ": output '" + LOGITS + "' has " + shape[1]
                        + " classes but labels.csv has " + labels.size());
            }
        }
        return melBins;
    }

    private static TensorInfo floatTensor(NodeInfo node, Path modelFile, String what) {
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new HearkenException(ErrorKind.MODEL, modelFile + ": " + what + " '" + node.getName()
                    + "' is not a float32 tensor: " + node.getInfo());
        }
        return t;
    }

    public String modelId() {
        return modelId;
    }

    /** First 12 hex characters of the SHA-256 of model.onnx: changes whenever the weights change. */
    public String modelVersion() {
        return modelVersion;
    }

    public Path modelDir() {
        return modelDir;
    }

    public Labels labels() {
        return labels;
    }

    public int melBins() {
        return melBins;
    }

    public List<String> featureOutputs() {
        return FEATURE_OUTPUTS;
    }

    /** Runs one window: {@code melRowMajor} is [melBins][frames] row-major, as in the golden files. */
    public Prediction predict(float[] melRowMajor, int frames) {
        return predictBatch(List.of(melRowMajor), frames).get(0);
    }

    /**
     * Runs several windows of the same length in one session run (batch = {@code mels.size()}); the result list is
     * in input order. Bad shapes are {@link ErrorKind#BAD_INPUT}.
     */
    public List<Prediction> predictBatch(List<float[]> mels, int frames) {
        int batch = mels.size();
        if (batch == 0) {
            return List.of();
        }
        if (frames < 1) {
            throw HearkenException.badInput("frames must be >= 1: " + frames);
        }
        long perWindowL = (long) melBins * frames;
        if ((long) batch * perWindowL * Float.BYTES > Integer.MAX_VALUE) {
            throw HearkenException.badInput("batch too large: " + batch + " x " + frames + " frames");
        }
        int perWindow = (int) perWindowL;
        for (int b = 0; b < batch; b++) {
            float[] m = mels.get(b);
            if (m == null || m.length != perWindow) {
                throw HearkenException.badInput("window " + b + " has " + (m == null ? "no data" : m.length
                        + " values") + ", expected " + melBins + " x " + frames + " = " + perWindow);
            }
        }

        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new HearkenException(ErrorKind.INTERNAL, "AudioTagger for " + modelDir + " is closed");
            }
            return run(mels, batch, frames, perWindow);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<Prediction> run(List<float[]> mels, int batch, int frames, int perWindow) {
        long t0 = System.nanoTime();
        // A direct, native-order buffer is handed to ORT without another copy.
        FloatBuffer input = ByteBuffer.allocateDirect(batch * perWindow * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[] m : mels) {
            input.put(m);
        }
        input.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {batch, 1, melBins, frames})) {
            long t1 = System.nanoTime();
            add(preCalls, preWindows, preNanos, batch, t1 - t0);
            try (OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
                long t2 = System.nanoTime();
                add(inferCalls, inferWindows, inferNanos, batch, t2 - t1);
                List<Prediction> out = copyOut(result, batch);
                add(postCalls, postWindows, postNanos, batch, System.nanoTime() - t2);
                return out;
            }
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.INTERNAL, "inference failed on " + modelId + " (batch " + batch
                    + ", " + frames + " frames): " + e.getMessage(), e);
        }
    }

    private List<Prediction> copyOut(OrtSession.Result result, int batch) throws OrtException {
        float[][] logits = rows(result, LOGITS, batch);
        Map<String, float[][]> feats = new LinkedHashMap<>();
        for (String name : FEATURE_OUTPUTS) {
            feats.put(name, rows(result, name, batch));
        }
        List<Prediction> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            Map<String, float[]> f = new HashMap<>(8);
            for (Map.Entry<String, float[][]> e : feats.entrySet()) {
                f.put(e.getKey(), e.getValue()[b]);
            }
            out.add(new Prediction(logits[b], f));
        }
        return out;
    }

    /** Splits output {@code name} ([batch, dim]) into one array per window. */
    private float[][] rows(OrtSession.Result result, String name, int batch) throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() ->
                new HearkenException(ErrorKind.MODEL, "model " + modelId + " produced no output '" + name + "'"));
        OnnxTensor t = (OnnxTensor) value;
        long[] shape = t.getInfo().getShape();
        if (shape.length != 2 || shape[0] != batch) {
            throw new HearkenException(ErrorKind.MODEL, "model " + modelId + ": output '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + ", expected [" + batch + ", dim]");
        }
        int dim = (int) shape[1];
        FloatBuffer fb = t.getFloatBuffer();
        float[][] rows = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            fb.get(rows[b]);
        }
        return rows;
    }

    private static void add(LongAdder calls, LongAdder windows, LongAdder nanos, int batch, long dt) {
        calls.increment();
        windows.add(batch);
        nanos.add(dt);
    }

    /** Cumulative timings since load. */
    public StageTimings timings() {
        return new StageTimings(
                new StageTimings.Stage(preCalls.sum(), preWindows.sum(), preNanos.sum()),
                new StageTimings.Stage(inferCalls.sum(), inferWindows.sum(), inferNanos.sum()),
                new StageTimings.Stage(postCalls.sum(), postWindows.sum(), postNanos.sum()));
    }

    public boolean isClosed() {
        lifecycle.readLock().lock();
        try {
            return closed;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Releases the native session; waits for runs in flight. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(session);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing useful to do: the session is unusable either way and we are shutting it down.
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AudioTagger[" + modelId + "@" + modelVersion + ", " + labels.size() + " classes]";
    }
}
