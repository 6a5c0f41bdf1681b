package io.hearken.inference.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The predictor: one ONNX Runtime session over a {@link ModelPackage} that turns log-mel windows into the outputs its
 * manifest names (class logits with their labels and activation, and feature vectors).
 *
 * <p><b>Thread-safety:</b> one instance can and should be shared by many threads. {@code OrtSession.run} is
 * thread-safe, every call builds its own tensors (over per-thread direct buffers) and the timing counters are
 * {@code LongAdder}s. Runs hold a read lock and {@link #close()} the write lock, so closing waits for in-flight runs
 * instead of freeing native memory under them; a run after close fails with an INTERNAL error.
 *
 * <p>Inputs and outputs go through direct, native-order buffers: the window data is copied once into the input
 * buffer ONNX Runtime reads in place, and the outputs are pinned to direct buffers ONNX Runtime writes in place,
 * read once into each window's arrays. Only the outputs the manifest names are computed. The session uses
 * {@code intraOpThreads} threads inside each operator, one inter-op thread (the graph is a sequential CNN) and all
 * graph optimisations, on the device of {@link EngineSettings#device()}. Per-window results do not depend on the
 * batch they run in (the network has no cross-batch ops).
 */
public final class AudioTagger implements AutoCloseable {
    /** The input name of the manifest-less (EfficientAT) convention. */
    public static final String INPUT = "mel";
    /** The logits output name of the manifest-less (EfficientAT) convention. */
    public static final String LOGITS = "logits";
    /** The feature outputs of efficientat-mn04; a tagger's own are {@link #featureOutputs()}. */
    public static final List<String> FEATURE_OUTPUTS = List.of("embedding", "mid", "late", "hidden");
    static final int DEFAULT_MEL_BINS = 128;
    private static final float[] NO_LOGITS = new float[0];
    /** Per-thread I/O buffers up to this size are kept for the next run; bigger ones are allocated per run. */
    private static final long SCRATCH_KEEP_BYTES = 64L << 20;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelPackage pkg;
    private final ModelManifest manifest;
    private final Labels labels;
    private final InferenceDevice device;
    private final EngineSettings settings;
    private final String modelVersion;
    private final int melBins;
    private final OutputSpec logits; // null when the model has none
    private final List<OutputSpec> outputs;
    private final List<String> featureNames;

    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private final StageCounters counters = new StageCounters();

    private AudioTagger(OrtEnvironment env, OrtSession session, ModelPackage pkg, Labels labels,
                        InferenceDevice device, EngineSettings settings) {
        this.env = env;
        this.session = session;
        this.pkg = pkg;
        this.manifest = pkg.manifest();
        this.labels = labels;
        this.device = device;
        this.settings = settings;
        this.modelVersion = manifest.sha256().substring(0, 12);
        this.melBins = manifest.input().melBins();
        this.logits = manifest.logits().orElse(null);
        this.outputs = manifest.outputs();
        this.featureNames = manifest.featureNames();
    }

    /**
     * Loads and validates the model package in {@code modelDir} on the CPU (see {@link #load(Path, EngineSettings)}).
     */
    public static AudioTagger load(Path modelDir, int intraOpThreads) {
        return load(modelDir, EngineSettings.cpu(intraOpThreads));
    }

    /**
     * Loads and validates the model package in {@code modelDir} (its files found on the default
     * {@link ModelSearchPath} when the directory holds only a manifest). Any problem with the package (missing or
     * corrupt file, sha256 mismatch, inputs or outputs unlike the manifest, labels that do not match the logits) is a
     * {@link ErrorKind#MODEL} error naming it; a device that cannot be used is a {@link ErrorKind#CONFIG} error.
     */
    public static AudioTagger load(Path modelDir, EngineSettings settings) {
        return load(ModelPackage.locate(modelDir, ModelSearchPath.defaults()), settings);
    }

    /** Opens a session over {@code pkg}, re-checking the file's sha256 and the graph against the manifest. */
    public static AudioTagger load(ModelPackage pkg, EngineSettings settings) {
        byte[] bytes = pkg.readVerifiedModel(); // read once, hash and load the same bytes
        Labels labels = pkg.labels();
        // The environment is a per-JVM singleton owned by ONNX Runtime; it is never closed here.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSessions.Opened opened = OrtSessions.open(env, bytes, pkg.onnxFile(), settings);
        try {
            ModelPackage.checkSignature(opened.session(), pkg.manifest(), pkg.onnxFile(), labels);
            return new AudioTagger(env, opened.session(), pkg, labels, opened.device(), settings);
        } catch (RuntimeException e) {
            OrtSessions.closeQuietly(opened.session());
            throw e;
        }
    }

    /** The manifest's id (the directory name for a manifest-less package). */
    public String modelId() {
        return manifest.id();
    }

    /** First 12 hex characters of the SHA-256 of the ONNX file: changes whenever the weights change. */
    public String modelVersion() {
        return modelVersion;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    public Path modelDir() {
        return pkg.dir();
    }

    /** The device the session actually runs on ({@code cpu} or {@code cuda:N}; never {@code auto}). */
    public InferenceDevice device() {
        return device;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** The logits' labels; empty for a model without a logits output. */
    public Labels labels() {
        return labels;
    }

    public int melBins() {
        return melBins;
    }

    /** The feature outputs every {@link Prediction} carries, in manifest order. */
    public List<String> featureOutputs() {
        return featureNames;
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
        return predictBatch(mels, frames, null);
    }

    /**
     * Runs windows (of a {@link WindowTranslator}) in order: consecutive windows with the same number of frames go
     * together, in batches of at most {@code maxBatch}; the result list is in input order.
     */
    public List<Prediction> predictWindows(List<Window> windows, int maxBatch) {
        if (maxBatch < 1) {
            throw HearkenException.config("maxBatch must be >= 1, got " + maxBatch);
        }
        List<Prediction> out = new ArrayList<>(windows.size());
        int i = 0;
        while (i < windows.size()) {
            int frames = windows.get(i).frames();
            List<float[]> batch = new ArrayList<>();
            while (i < windows.size() && batch.size() < maxBatch && windows.get(i).frames() == frames) {
                batch.add(windows.get(i++).mel());
            }
            out.addAll(predictBatch(batch, frames));
        }
        return out;
    }

    List<Prediction> predictBatch(List<float[]> mels, int frames, StageCounters extra) {
        int batch = mels.size();
        if (batch == 0) {
            return List.of();
        }
        int perWindow = checkWindow(frames);
        if ((long) batch * perWindow * Float.BYTES > Integer.MAX_VALUE) {
            throw HearkenException.badInput("batch too large: " + batch + " x " + frames + " frames");
        }
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
                throw new HearkenException(ErrorKind.INTERNAL, "AudioTagger for " + pkg.dir() + " is closed");
            }
            return run(mels, batch, frames, perWindow, extra);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Values per window of {@code frames} frames; BAD_INPUT for a frame count that cannot be run. */
    int checkWindow(int frames) {
        if (frames < 1) {
            throw HearkenException.badInput("frames must be >= 1: " + frames);
        }
        long perWindow = (long) melBins * frames;
        if (perWindow * Float.BYTES > Integer.MAX_VALUE) {
            throw HearkenException.badInput("window too long: " + frames + " frames");
        }
        return (int) perWindow;
    }

    private List<Prediction> run(List<float[]> mels, int batch, int frames, int perWindow, StageCounters extra) {
        long t0 = System.nanoTime();
        Scratch scratch = SCRATCH.get();
        FloatBuffer input = scratch.buffer(INPUT_SLOT, batch * perWindow);
        for (float[] m : mels) {
            input.put(m);
        }
        input.rewind();
        OnnxTensor in = null;
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        Map<String, FloatBuffer> outBuffers = new HashMap<>();
        try {
            in = OnnxTensor.createTensor(env, input, new long[] {batch, 1, melBins, frames});
            for (OutputSpec o : outputs) {
                FloatBuffer fb = scratch.buffer(o.name(), batch * o.dim());
                outBuffers.put(o.name(), fb);
                pinned.put(o.name(), OnnxTensor.createTensor(env, fb, new long[] {batch, o.dim()}));
            }
            long t1 = System.nanoTime();
            record(counters.pre(), extra == null ? null : extra.pre(), batch, t1 - t0);
            // Every output is pinned to our buffers: the result owns nothing, closing it frees nothing we read.
            session.run(Map.of(manifest.input().name(), in), pinned).close();
            long t2 = System.nanoTime();
            record(counters.infer(), extra == null ? null : extra.infer(), batch, t2 - t1);
            List<Prediction> out = copyOut(outBuffers, batch);
            record(counters.post(), extra == null ? null : extra.post(), batch, System.nanoTime() - t2);
            return out;
        } catch (OrtException e) {
            throw new HearkenException(ErrorKind.INTERNAL, "inference failed on " + manifest.id() + " (batch " + batch
                    + ", " + frames + " frames): " + e.getMessage(), e);
        } finally {
            if (in != null) {
                in.close();
            }
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    private List<Prediction> copyOut(Map<String, FloatBuffer> buffers, int batch) {
        float[][] logitRows = logits == null ? null : rows(buffers.get(logits.name()), batch, logits.dim());
        Map<String, float[][]> feats = new LinkedHashMap<>();
        for (OutputSpec o : outputs) {
            if (!o.isLogits()) {
                feats.put(o.name(), rows(buffers.get(o.name()), batch, o.dim()));
            }
        }
        OutputSpec.Activation activation = logits == null ? OutputSpec.Activation.NONE : logits.activation();
        List<Prediction> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            Map<String, float[]> f = new HashMap<>(feats.size() * 2);
            for (Map.Entry<String, float[][]> e : feats.entrySet()) {
                f.put(e.getKey(), e.getValue()[b]);
            }
            out.add(new Prediction(logitRows == null ? NO_LOGITS : logitRows[b], f, activation));
        }
        return out;
    }

    private static float[][] rows(FloatBuffer fb, int batch, int dim) {
        fb.rewind();
        float[][] rows = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            fb.get(rows[b]);
        }
        return rows;
    }

    private static void record(StageCounters.Counter own, StageCounters.Counter extra, int batch, long dt) {
        own.add(batch, dt);
        if (extra != null) {
            extra.add(batch, dt);
        }
    }

    /** Cumulative timings since load. */
    public StageTimings timings() {
        return counters.snapshot();
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
            OrtSessions.closeQuietly(session);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "AudioTagger[" + manifest.id() + "@" + modelVersion + ", " + labels.size() + " classes, " + device + "]";
    }

    private static final String INPUT_SLOT = "\0input";

    /**
     * Per-thread direct, native-order buffers by slot, grown on demand. Confined to one thread, and every tensor
     * over them is closed before {@link #run} returns, so reuse is safe.
     */
    private static final class Scratch {
        private final Map<String, ByteBuffer> kept = new HashMap<>();

        /** A buffer of exactly {@code floats} floats at position 0. */
        FloatBuffer buffer(String slot, int floats) {
            long bytes = (long) floats * Float.BYTES;
            ByteBuffer bb = kept.get(slot);
            if (bb == null || bb.capacity() < bytes) {
                bb = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
                if (bytes <= SCRATCH_KEEP_BYTES) {
                    kept.put(slot, bb);
                } else {
                    kept.remove(slot);
                }
            }
            ByteBuffer view = bb.duplicate();
            view.clear().limit((int) bytes);
            return view.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }
}
