package io.hearken.featurizer.dsp;

/**
 * The log-mel front end of EfficientAT (models/efficientat-mn04/MODEL.md), exactly: a {@link MelFrontend} with
 * {@link FrontendConfig#efficientAt()}: pre-emphasis y[n] = x[n+1] - 0.97 x[n] (one sample shorter than x); centred
 * STFT with n_fft 1024, hop 320 and a symmetric Hann window of 800 zero-padded to 1024, the signal reflect-padded by
 * n_fft/2 on both sides (reflection excludes the edge sample); power spectrum; Kaldi mel bank (128 bands,
 * 0..15 kHz, Nyquist weight 0); out = (ln(mel + 1e-5) + 4.5) / 5. Frames = 1 + floor(len(y) / hop).
 *
 * <p>Kept as a named class for callers that construct it directly; not thread-safe (see {@link MelFrontend}).
 */
public final class EfficientAtFrontend extends MelFrontend {

    public EfficientAtFrontend() {
        this(FrontendConfig.efficientAt());
    }

    /** Any configuration; {@link FrontendConfig#efficientAt()} is the EfficientAT one. */
    public EfficientAtFrontend(FrontendConfig config) {
        super(config);
    }
}
