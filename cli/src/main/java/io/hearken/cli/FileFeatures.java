package io.hearken.cli;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.ModelRateAudio;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.StreamProfile;
import io.hearken.inference.engine.Window;
import io.hearken.inference.engine.WindowTranslator;
import io.hearken.sinks.anomaly.AnomalyEvaluation.Recording;
import io.hearken.sinks.anomaly.EnrolmentVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model output per window of a file, as the streaming job computes it for a stream of that file (the engine's
 * {@link WindowTranslator}, then the model): the input of {@code anomaly enrol} and {@code eval anomaly}.
 */
final class FileFeatures {
    /** Windows per model run; batching changes no number ({@link AudioTagger#predictWindows}). */
    private static final int BATCH = 16;

    private final AudioTagger tagger;
    private final WindowTranslator translator;
    private final StreamProfile profile;
    private final String feature;

    /** The files read, and an error message (naming the file) for each one that could not be. */
    record Reading(List<Recording> recordings, List<String> errors) {
    }

    FileFeatures(AudioTagger tagger, StreamProfile profile, String feature) {
        if (!tagger.featureOutputs().contains(feature)) {
            throw HearkenException.config("unknown feature '" + feature + "': the model has " + tagger.featureOutputs());
        }
        this.tagger = tagger;
        this.translator = new WindowTranslator(tagger.manifest());
        this.profile = profile;
        this.feature = feature;
    }

    String modelId() {
        return tagger.modelId();
    }

    /** A file's windows, one segment named after the file; a {@link HearkenException} naming it when unreadable. */
    Recording read(Path file) {
        ModelRateAudio audio = translator.read(file);
        List<Window> windows = translator.windows(audio, profile);
        List<Prediction> predictions = tagger.predictWindows(windows, BATCH);
        List<EnrolmentVector> vectors = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            vectors.add(new EnrolmentVector(audio.name(), w.startMicros(), w.endMicros(),
                    predictions.get(i).feature(feature)));
        }
        return new Recording(audio.name(), audio.sourceFrames(), audio.sourceRate(), vectors);
    }

    /** Reads every file; one that cannot be read is an error in the result, and the others are still read. */
    Reading readAll(List<Path> files) {
        List<Recording> recordings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                recordings.add(read(file));
            } catch (HearkenException e) {
                // Unreadable, corrupt, or not WAV without ffmpeg (CONFIG): about this file. Anything else is not.
                if (e.kind() != ErrorKind.BAD_INPUT && e.kind() != ErrorKind.CONFIG) {
                    throw e;
                }
                errors.add(e.getMessage());
            }
        }
        return new Reading(List.copyOf(recordings), List.copyOf(errors));
    }
}
