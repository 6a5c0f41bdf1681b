package io.hearken.featurizer.dsp;

/**
 * Turns mono audio at {@link #sampleRate()} into a log-mel spectrogram laid out row-major as
 * {@code [melBins][frames]}: element (bin b, frame t) is at {@code b * frames + t}.
 *
 * <p>Implementations keep scratch buffers and are not thread-safe; use one instance per thread/operator.
 */
public interface LogMelFrontend {

    /**
     * The front end a configuration describes (EfficientAT, BYOL-A, M2D, ... are all {@link FrontendConfig} data).
     * For chunked input use {@link StreamingMelFrontend}, which yields the same frames bit for bit.
     */
    static LogMelFrontend create(FrontendConfig config) {
        return new MelFrontend(config);
    }

    /** The sample rate the input must already have. */
    int sampleRate();

    /** Number of mel bins (rows of the output). */
    int melBins();

    /** Number of frames (columns) {@link #compute} produces for {@code samples} input samples. */
    int framesFor(int samples);

    /** Log-mel of {@code samples[offset..offset+length)}, {@code melBins() * framesFor(length)} values. */
    float[] compute(float[] samples, int offset, int length);

    /** Log-mel of the whole array. */
    default float[] compute(float[] samples) {
        return compute(samples, 0, samples == null ? 0 : samples.length);
    }
}
