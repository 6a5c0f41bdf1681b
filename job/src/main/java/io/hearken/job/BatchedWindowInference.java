package io.hearken.job;

import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.BatchingPredictor;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.SharedTaggers;
import io.hearken.inference.engine.WindowAnalyzer;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Runs the model on windows through the JVM-wide {@link BatchingPredictor} of the model: windows from every stream
 * and every task in the TaskManager share batches (up to the maximum size, or the maximum wait). Used with ordered
 * async I/O, so each stream's windows leave in order and in-flight windows are part of checkpoints.
 */
public final class BatchedWindowInference extends RichAsyncFunction<AudioWindow, WindowScores> {
    private static final long serialVersionUID = 1L;

    private final JobSettings settings;
    private transient AudioTagger tagger;
    private transient BatchingPredictor batcher;
    private transient Counter inferred;

    public BatchedWindowInference(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        Path model = Path.of(settings.modelDir());
        // On the TaskManager's own ONNX Runtime, which need not be the client's: cuda without CUDA fails here.
        tagger = SharedTaggers.acquire(model, settings.engine().requireDeviceAvailable());
        batcher = SharedTaggers.batcher(model, settings.batching());
        var metrics = getRuntimeContext().getMetricGroup();
        inferred = metrics.counter("windowsInferred");
        metrics.gauge("batches", (Gauge<Long>) () -> batcher.stats().batches());
        metrics.gauge("meanBatchSize", (Gauge<Double>) () -> batcher.stats().meanBatchSize());
    }

    @Override
    public void asyncInvoke(AudioWindow w, ResultFuture<WindowScores> result) {
        if (w.frames == 0) { // an empty stream still ends with a (scoreless) end-of-stream window
            result.complete(List.of(scores(w, null)));
            return;
        }
        batcher.submit(w.melValues(), w.frames).whenComplete((prediction, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                inferred.inc();
                result.complete(List.of(scores(w, prediction)));
            }
        });
    }

    private WindowScores scores(AudioWindow w, Prediction prediction) {
        WindowScores out = new WindowScores();
        out.streamId = w.streamId;
        out.windowId = w.windowId();
        out.windowIndex = w.windowIndex;
        out.startMicros = w.startMicros;
        out.endMicros = w.endMicros;
        out.profile = w.profile;
        out.modelId = tagger.modelId();
        out.modelVersion = tagger.modelVersion();
        out.scoreFloor = settings.scoreFloor();
        out.loudnessDbfs = w.loudnessDbfs;
        out.endOfStream = w.endOfStream;
        out.gapFilled = w.gapFilled;
        out.source = w.source;
        if (prediction == null) {
            out.classIndices = new int[0];
            out.classLabels = new String[0];
            out.classScores = new float[0];
            out.featureNames = new String[0];
            out.featureValues = new float[0][];
            return out;
        }
        float[] probabilities = prediction.probabilities();
        int[] chosen = WindowAnalyzer.reportedClasses(probabilities, settings.scoreFloor(), settings.minTopClasses());
        out.classIndices = chosen;
        out.classLabels = new String[chosen.length];
        out.classScores = new float[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            out.classLabels[i] = tagger.labels().label(chosen[i]);
            out.classScores[i] = probabilities[chosen[i]];
        }
        out.featureNames = settings.featureOutputs().toArray(String[]::new);
        out.featureValues = new float[out.featureNames.length][];
        for (int i = 0; i < out.featureNames.length; i++) {
            out.featureValues[i] = prediction.feature(out.featureNames[i]);
        }
        return out;
    }

    @Override
    public void close() {
        if (tagger != null) {
            SharedTaggers.release(Path.of(settings.modelDir()));
            tagger = null;
        }
    }
}
