package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.AudioDecoders;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.LogMelFrontend;
import io.hearken.featurizer.dsp.MelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pre-processing of every offline command (tag, anomaly enrol, eval anomaly), written once: a file is decoded
 * ({@link AudioDecoders}: WAV natively, other formats through ffmpeg), mixed to mono and resampled to the model's
 * rate ({@link #read}); its log-mel is computed once over the whole signal and cut into windows of frames by the
 * streaming job's rule, {@link WindowPlan} ({@link #windows}), so a file's windows are the ones the job gives its
 * stream. The model step is {@link AudioTagger#predictWindows}, the post-processing {@link Prediction}.
 *
 * <p>The front end is the one the model's manifest describes. Not thread-safe (the front end reuses scratch
 * buffers): one per thread.
 */
public final class WindowTranslator {
    /** The model was trained on 10 s clips: {@link #whole} analyses at most this much. */
    public static final int WHOLE_SECONDS = 10;

    private final LogMelFrontend frontend;
    private final int hopSamples;

    public WindowTranslator(ModelManifest manifest) {
        FrontendConfig config = manifest.frontend().toConfig();
        this.frontend = new MelFrontend(config);
        this.hopSamples = config.hop();
    }

    /** The model's sample rate, which {@link #read} resamples to. */
    public int sampleRate() {
        return frontend.sampleRate();
    }

    /**
     * Decodes a file, mixes it to mono and resamples it to the model's rate. Unreadable or corrupt files are
     * BAD_INPUT, a non-WAV file without ffmpeg installed is CONFIG; either message starts with the file's name.
     */
    public ModelRateAudio read(Path file) {
        DecodedAudio audio = AudioDecoders.decode(file);
        int rate = sampleRate();
        float[] samples = Resampler.resampleWhole(audio.mono(), audio.sampleRate(), rate);
        Path name = file.getFileName();
        return new ModelRateAudio(name == null ? file.toString() : name.toString(), samples, rate, audio.frames(),
                audio.sampleRate());
    }

    /**
     * The windows a stream of this audio gets under {@code profile}: regular windows every hop, then one final
     * window ending at the last frame ({@link WindowPlan}); none for empty audio. A window's end is clipped to the
     * audio's end.
     */
    public List<Window> windows(ModelRateAudio audio, StreamProfile profile) {
        float[] samples = checkRate(audio);
        if (samples.length == 0) {
            return List.of();
        }
        int rate = audio.sampleRate();
        int total = frontend.framesFor(samples.length);
        float[] mel = frontend.compute(samples, 0, samples.length);
        int bins = frontend.melBins();
        List<WindowPlan.Span> spans = WindowPlan.spans(total, profile.windowSamples(rate) / hopSamples,
                profile.hopSamples(rate) / hopSamples);
        List<Window> windows = new ArrayList<>(spans.size());
        for (WindowPlan.Span span : spans) {
            int frames = (int) (span.end() - span.start());
            float[] window = new float[bins * frames];
            for (int b = 0; b < bins; b++) {
                System.arraycopy(mel, b * total + (int) span.start(), window, b * frames, frames);
            }
            windows.add(new Window(span.start() * hopSamples, Math.min(span.end() * hopSamples, samples.length), rate,
                    window, frames));
        }
        return windows;
    }

    /**
     * The first {@value #WHOLE_SECONDS} s (or less) as one window, its log-mel computed on those samples alone, as
     * the model saw its training clips; empty for empty audio.
     */
    public Optional<Window> whole(ModelRateAudio audio) {
        float[] samples = checkRate(audio);
        if (samples.length == 0) {
            return Optional.empty();
        }
        int n = Math.min(samples.length, WHOLE_SECONDS * audio.sampleRate());
        return Optional.of(new Window(0, n, audio.sampleRate(), frontend.compute(samples, 0, n), frontend.framesFor(n)));
    }

    private float[] checkRate(ModelRateAudio audio) {
        if (audio.sampleRate() != sampleRate()) {
            throw new HearkenException(ErrorKind.INTERNAL, audio.name() + ": audio at " + audio.sampleRate()
                    + " Hz given to the front end of a " + sampleRate() + " Hz model");
        }
        return audio.samples();
    }
}
