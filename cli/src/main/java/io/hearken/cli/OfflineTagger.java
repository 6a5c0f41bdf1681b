package io.hearken.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.ModelRateAudio;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.ScoredLabel;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.inference.engine.Window;
import io.hearken.inference.engine.WindowTranslator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/hearken tag}: the engine's {@link WindowTranslator} (the streaming job's decoder, resampler, front end
 * and window rule) and model on files, one line per window.
 */
final class OfflineTagger {
    private static final int TOP = 5;
    /** Windows per model run; batching changes no number ({@link AudioTagger#predictWindows}). */
    private static final int BATCH = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AudioTagger tagger;
    private final WindowTranslator translator;
    private final StreamProfile profile;
    private final boolean whole;
    private final boolean json;
    private final List<String> outputs;

    OfflineTagger(AudioTagger tagger, StreamProfile profile, boolean whole, boolean json, List<String> outputs) {
        for (String output : outputs) {
            if (!tagger.featureOutputs().contains(output) && !output.equals(AudioTagger.LOGITS)) {
                throw HearkenException.config("unknown output '" + output + "': the model has logits and "
                        + tagger.featureOutputs());
            }
        }
        this.tagger = tagger;
        this.translator = new WindowTranslator(tagger.manifest());
        this.profile = profile;
        this.whole = whole;
        this.json = json;
        this.outputs = List.copyOf(outputs);
    }

    /** Tags one file; throws {@link HearkenException} naming the file when it cannot be read. */
    void tag(Path file, PrintStream out) {
        ModelRateAudio audio = translator.read(file);
        List<Window> windows = whole ? translator.whole(audio).stream().toList() : translator.windows(audio, profile);
        List<Prediction> predictions = tagger.predictWindows(windows, BATCH);
        for (int i = 0; i < windows.size(); i++) {
            out.println(line(file, windows.get(i), predictions.get(i)));
        }
    }

    private String line(Path file, Window window, Prediction p) {
        List<ScoredLabel> top = p.top(TOP, tagger.labels());
        if (!json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %6.2f-%.2f s ", file.getFileName(),
                    window.startSeconds(), window.endSeconds()));
            for (ScoredLabel l : top) {
                sb.append(String.format(Locale.ROOT, " %s %.2f;", l.label(), l.probability()));
            }
            return sb.toString();
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("file", file.toString());
        node.put("start_s", window.startSeconds());
        node.put("end_s", window.endSeconds());
        ArrayNode topNode = node.putArray("top");
        for (ScoredLabel l : top) {
            topNode.addObject().put("label", l.label()).put("index", l.index()).put("score", l.probability());
        }
        for (String output : outputs) {
            ArrayNode values = node.putArray(output);
            for (float v : output.equals(AudioTagger.LOGITS) ? p.logits() : p.feature(output)) {
                values.add(v);
            }
        }
        return node.toString();
    }
}
