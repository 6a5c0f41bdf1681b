package io.hearken.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.LogMelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.ScoredLabel;
import io.hearken.inference.engine.WindowAnalyzer;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.inference.engine.WindowPlan;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tags files without Kafka, with the same decoder, resampler, front end, model and window rule as the streaming job.
 */
final class OfflineTagger {
    /** The model was trained on 10 s clips: --whole analyses at most this much. */
    static final int WHOLE_SECONDS = 10;
    private static final int TOP = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WindowAnalyzer analyzer;
    private final StreamProfile profile;
    private final boolean whole;
    private final boolean json;
    private final List<String> outputs;

    OfflineTagger(WindowAnalyzer analyzer, StreamProfile profile, boolean whole, boolean json, List<String> outputs) {
        for (String output : outputs) {
            if (!analyzer.tagger().featureOutputs().contains(output) && !output.equals("logits")) {
                throw HearkenException.config("unknown output '" + output + "': the model has logits and "
                        + analyzer.tagger().featureOutputs());
            }
        }
        this.analyzer = analyzer;
        this.profile = profile;
        this.whole = whole;
        this.json = json;
        this.outputs = List.copyOf(outputs);
    }

    /** Tags one file; throws {@link HearkenException} naming the file when it cannot be read. */
    void tag(Path file, PrintStream out) {
        DecodedAudio audio = WavDecoder.decode(file);
        int rate = analyzer.sampleRate();
        float[] samples = Resampler.resampleWhole(audio.mono(), audio.sampleRate(), rate);
        if (samples.length == 0) {
            return; // empty file: nothing to tag
        }
        if (whole) {
            float[] first = Arrays.copyOf(samples, Math.min(samples.length, WHOLE_SECONDS * rate));
            out.println(line(file, 0, first.length / (double) rate, analyzer.analyze(first)));
            return;
        }
        // As the streaming job does: the whole signal's log-mel, cut into windows of frames.
        LogMelFrontend frontend = analyzer.frontend();
        int hopSamples = analyzer.tagger().manifest().frontend().toConfig().hop();
        int total = frontend.framesFor(samples.length);
        float[] mel = frontend.compute(samples, 0, samples.length);
        int bins = frontend.melBins();
        for (WindowPlan.Span span : WindowPlan.spans(total, profile.windowSamples(rate) / hopSamples,
                profile.hopSamples(rate) / hopSamples)) {
            int frames = (int) (span.end() - span.start());
            float[] window = new float[bins * frames];
            for (int b = 0; b < bins; b++) {
                System.arraycopy(mel, b * total + (int) span.start(), window, b * frames, frames);
            }
            double end = Math.min(span.end() * hopSamples, samples.length) / (double) rate;
            out.println(line(file, span.start() * hopSamples / (double) rate, end, analyzer.tagger().predict(window, frames)));
        }
    }

    private String line(Path file, double start, double end, Prediction p) {
        List<ScoredLabel> top = p.top(TOP, analyzer.tagger().labels());
        if (!json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %6.2f-%.2f s ", file.getFileName(), start, end));
            for (ScoredLabel l : top) {
                sb.append(String.format(Locale.ROOT, " %s %.2f;", l.label(), l.probability()));
            }
            return sb.toString();
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("file", file.toString());
        node.put("start_s", start);
        node.put("end_s", end);
        ArrayNode topNode = node.putArray("top");
        for (ScoredLabel l : top) {
            topNode.addObject().put("label", l.label()).put("index", l.index()).put("score", l.probability());
        }
        for (String output : outputs) {
            ArrayNode values = node.putArray(output);
            for (float v : output.equals("logits") ? p.logits() : p.feature(output)) {
                values.add(v);
            }
        }
        return node.toString();
    }
}
