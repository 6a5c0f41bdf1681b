package io.hearken.inference.job;

import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.SharedTaggers;
import io.hearken.inference.engine.WindowAnalyzer;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Computes the log-mel and runs the model on each window. All instances in a JVM share one ONNX Runtime session
 * per model ({@link SharedTaggers}); each has its own front end.
 */
public final class WindowInference extends RichMapFunction<AudioWindow, WindowScores> {
    private static final long serialVersionUID = 1L;

    private final JobSettings settings;
    private transient AudioTagger tagger;
    private transient WindowAnalyzer analyzer;
    private transient Counter inferred;

    public WindowInference(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        tagger = SharedTaggers.acquire(Path.of(settings.modelDir()), settings.intraOpThreads());
        analyzer = new WindowAnalyzer(tagger);
        inferred = getRuntimeContext().getMetricGroup().counter("windowsInferred");
    }

    @Override
    public WindowScores map(AudioWindow w) {
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
        if (w.samples.length == 0) { // an empty stream still ends with a (scoreless) end-of-stream window
            out.classIndices = new int[0];
            out.classLabels = new String[0];
            out.classScores = new float[0];
            out.featureNames = new String[0];
            out.featureValues = new float[0][];
            return out;
        }
        Prediction prediction = analyzer.analyze(w.samples);
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
        inferred.inc();
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
