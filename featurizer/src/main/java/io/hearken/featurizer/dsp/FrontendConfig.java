package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

import java.util.Objects;

/**
 * Parameters of a log-mel front end: optional pre-emphasis, (optionally centred) STFT, power spectrum, mel bank,
 * log, affine, optional standardisation. The family (EfficientAT, BYOL-A, M2D, ...) is data, not code: every front
 * end in this package follows one of these records exactly.
 *
 * <p>Pipeline for input x[0..N):
 * <ol>
 *   <li>Pre-emphasis: with {@code preEmphasis = a > 0}, y[n] = x[n+1] - a x[n] for n = 0..N-2 (EfficientAT's
 *       convention: y is one sample shorter than x); with a = 0, y = x.</li>
 *   <li>Frames: if {@code centered}, y is padded by nFft/2 samples on both sides ({@link PadMode#REFLECT}: reflection
 *       excluding the edge sample, as torch/numpy "reflect") and there are 1 + floor(len(y) / hop) frames; otherwise
 *       there are 1 + floor((len(y) - nFft) / hop) frames (none when len(y) &lt; nFft). Frame t starts at t * hop of
 *       the (padded) signal.</li>
 *   <li>Window of {@code winLength} samples ({@link WindowType}) centred in the nFft frame (offset
 *       (nFft - winLength) / 2, zeros elsewhere); power spectrum |X[k]|^2, k = 0..nFft/2.</li>
 *   <li>Mel bank of {@code melBins} triangles between fMin and fMax ({@link MelScale}), no area normalisation.</li>
 *   <li>out = (ln(mel + logOffset) + shift) / scale, then, if {@link #normalization()} is enabled,
 *       out = (out - mean) / std.</li>
 * </ol>
 *
 * @param sampleRate    input sample rate, Hz (1000..384000)
 * @param nFft          FFT size, 16..65536 with no prime factor above 13 (powers of two use the fastest FFT)
 * @param winLength     window length, 1..nFft (zero-padded and centred in nFft)
 * @param window        window shape
 * @param hop           frame step in samples, 1..1048576
 * @param centered      whether frame t is centred on sample t * hop (signal padded by nFft/2 on both sides)
 * @param padMode       padding used when centred
 * @param preEmphasis   pre-emphasis coefficient in [0, 1); 0 = none
 * @param melScale      mel scale and triangle shape
 * @param melBins       number of mel bands, 1..nFft/2
 * @param fMin          lowest band edge, Hz, >= 0
 * @param fMax          highest band edge, Hz, fMin &lt; fMax &lt;= sampleRate/2
 * @param logOffset     added to the mel power before the natural log, > 0
 * @param shift         added after the log
 * @param scale         divisor after the shift, > 0
 * @param normalization per-model standardisation applied last ({@link Normalization#NONE} = disabled)
 */
public record FrontendConfig(int sampleRate, int nFft, int winLength, WindowType window, int hop, boolean centered,
                             PadMode padMode, double preEmphasis, MelScale melScale, int melBins, double fMin,
                             double fMax, double logOffset, double shift, double scale, Normalization normalization) {

    /** Analysis window. */
    public enum WindowType {
        /** w[n] = 0.5 - 0.5 cos(2 pi n / (L - 1)) (torch.hann_window(periodic=False)); a 1-sample window is 1. */
        HANN_SYMMETRIC,
        /** w[n] = 0.5 - 0.5 cos(2 pi n / L) (torch.hann_window default, periodic=True). */
        HANN_PERIODIC
    }

    /** Padding of centred frames. */
    public enum PadMode {
        /** Mirror without repeating the edge sample (torch/numpy "reflect"), repeated for very short signals. */
        REFLECT
    }

    /** Mel scale and filter shape. */
    public enum MelScale {
        /**
         * Kaldi (torchaudio.compliance.kaldi.get_mel_banks): mel(f) = 1127 ln(1 + f/700); band edges equally spaced
         * in mel; FFT bin k sits at mel(k * sampleRate / nFft) and the triangles are linear in mel; the Nyquist bin
         * gets weight 0.
         */
        KALDI,
        /**
         * HTK (torchaudio.functional.melscale_fbanks, mel_scale="htk", norm=None): mel(f) = 2595 log10(1 + f/700);
         * band edges equally spaced in mel, mapped back to Hz; triangles linear in Hz between those edges; bin k of
         * nFft/2 + 1 sits at k * floor(sampleRate/2) / (nFft/2) Hz (torchaudio's linspace), Nyquist included.
         */
        HTK
    }

    /**
     * Per-model standardisation out = (x - mean) / std, applied after the log and affine ({@link #NONE}: disabled).
     *
     * @param mean subtracted, finite
     * @param std  divisor, finite and > 0
     */
    public record Normalization(double mean, double std) {
        /** No standardisation. */
        public static final Normalization NONE = new Normalization(0.0, 1.0);

        public Normalization {
            if (!Double.isFinite(mean)) {
                throw bad("normalization.mean", mean, "must be finite");
            }
            if (!(std > 0) || !Double.isFinite(std)) {
                throw bad("normalization.std", std, "must be finite and > 0");
            }
        }

        /** True unless this is the identity (mean 0, std 1). */
        public boolean enabled() {
            return mean != 0.0 || std != 1.0;
        }
    }

    public FrontendConfig {
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw bad("sampleRate", sampleRate, "must be in 1000..384000 Hz");
        }
        if (nFft < 16 || nFft > 65536) {
            throw bad("nFft", nFft, "must be in 16..65536");
        }
        if (MixedRadixFft.largestPrimeFactor(nFft) > MixedRadixFft.MAX_PRIME) {
            throw bad("nFft", nFft, "must have no prime factor above " + MixedRadixFft.MAX_PRIME
                    + " (e.g. 400, 512, 1024)");
        }
        if (winLength < 1 || winLength > nFft) {
            throw bad("winLength", winLength, "must be in 1..nFft (" + nFft + ")");
        }
        if (window == null) {
            throw bad("window", null, "must not be null");
        }
        if (hop < 1 || hop > 1 << 20) {
            throw bad("hop", hop, "must be in 1..1048576");
        }
        if (padMode == null) {
            throw bad("padMode", null, "must not be null");
        }
        if (!(preEmphasis >= 0 && preEmphasis < 1)) {
            throw bad("preEmphasis", preEmphasis, "must be in [0, 1)");
        }
        if (melScale == null) {
            throw bad("melScale", null, "must not be null");
        }
        if (melBins < 1 || melBins > nFft / 2) {
            throw bad("melBins", melBins, "must be in 1..nFft/2 (" + nFft / 2 + ")");
        }
        if (!Double.isFinite(fMin) || fMin < 0) {
            throw bad("fMin", fMin, "must be finite and >= 0");
        }
        if (!Double.isFinite(fMax) || fMax <= fMin || fMax > sampleRate / 2.0) {
            throw bad("fMax", fMax, "must be > fMin (" + fMin + ") and <= sampleRate/2 (" + sampleRate / 2.0 + ")");
        }
        if (!(logOffset > 0) || !Double.isFinite(logOffset)) {
            throw bad("logOffset", logOffset, "must be finite and > 0");
        }
        if (!Double.isFinite(shift)) {
            throw bad("shift", shift, "must be finite");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw bad("scale", scale, "must be finite and > 0");
        }
        if (normalization == null) {
            throw bad("normalization", null, "must not be null (use Normalization.NONE)");
        }
    }

    /** float32 machine epsilon, 2^-23 = 1.1920929e-07, the log offset of the torchaudio-based front ends. */
    public static final double FLOAT_EPSILON = 0x1p-23;

    /**
     * The EfficientAT (mn04_as) front end (models/efficientat-mn04/MODEL.md): 32 kHz, pre-emphasis 0.97, n_fft 1024,
     * symmetric Hann 800, hop 320, centred reflect, 128 Kaldi mel bands 0..15 kHz, (ln(x + 1e-5) + 4.5) / 5.
     */
    public static FrontendConfig efficientAt() {
        return new FrontendConfig(32_000, 1024, 800, WindowType.HANN_SYMMETRIC, 320, true, PadMode.REFLECT, 0.97,
                MelScale.KALDI, 128, 0.0, 15_000.0, 1e-5, 4.5, 5.0, Normalization.NONE);
    }

    /**
     * BYOL-A (golden/htk-frontends "byola"): 16 kHz, n_fft 1024, periodic Hann 1024, hop 160, centred reflect,
     * 64 HTK mel bands 60..7800 Hz, ln(mel + 2^-23). The model's dataset mean/std is a per-model setting
     * ({@link #withNormalization}); disabled here.
     */
    public static FrontendConfig byolA() {
        return new FrontendConfig(16_000, 1024, 1024, WindowType.HANN_PERIODIC, 160, true, PadMode.REFLECT, 0.0,
                MelScale.HTK, 64, 60.0, 7800.0, FLOAT_EPSILON, 0.0, 1.0, Normalization.NONE);
    }

    /**
     * M2D (golden/htk-frontends "m2d"): 16 kHz, n_fft 400, periodic Hann 400, hop 160, centred reflect, 80 HTK mel
     * bands 50..8000 Hz, ln(mel + 2^-23); normalisation disabled (see {@link #withNormalization}).
     */
    public static FrontendConfig m2d() {
        return new FrontendConfig(16_000, 400, 400, WindowType.HANN_PERIODIC, 160, true, PadMode.REFLECT, 0.0,
                MelScale.HTK, 80, 50.0, 8000.0, FLOAT_EPSILON, 0.0, 1.0, Normalization.NONE);
    }

    /** This configuration with out = (out - mean) / std as the last step. */
    public FrontendConfig withNormalization(double mean, double std) {
        return toBuilder().normalization(new Normalization(mean, std)).build();
    }

    /** Samples of padding on each side when centred (nFft/2), else 0. */
    public int padding() {
        return centered ? nFft / 2 : 0;
    }

    /** Number of frames for {@code samples} input samples (before pre-emphasis). */
    public long framesFor(long samples) {
        if (samples < 0) {
            throw HearkenException.badInput("FrontendConfig.framesFor: negative sample count " + samples);
        }
        long y = preEmphasis > 0 ? Math.max(0, samples - 1) : samples;
        if (centered) {
            return 1 + y / hop;
        }
        return y < nFft ? 0 : 1 + (y - nFft) / hop;
    }

    /**
     * A stable 64-bit fingerprint of every field (enum ordinals, exact double bits), the same in every JVM; used to
     * check that checkpointed streaming state is restored with the configuration that produced it.
     */
    public long fingerprint() {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, sampleRate);
        h = mix(h, nFft);
        h = mix(h, winLength);
        h = mix(h, window.ordinal());
        h = mix(h, hop);
        h = mix(h, centered ? 1 : 0);
        h = mix(h, padMode.ordinal());
        h = mix(h, Double.doubleToLongBits(preEmphasis));
        h = mix(h, melScale.ordinal());
        h = mix(h, melBins);
        h = mix(h, Double.doubleToLongBits(fMin));
        h = mix(h, Double.doubleToLongBits(fMax));
        h = mix(h, Double.doubleToLongBits(logOffset));
        h = mix(h, Double.doubleToLongBits(shift));
        h = mix(h, Double.doubleToLongBits(scale));
        h = mix(h, Double.doubleToLongBits(normalization.mean()));
        h = mix(h, Double.doubleToLongBits(normalization.std()));
        return h;
    }

    private static long mix(long h, long v) {
        long z = h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-modify builder: {@code FrontendConfig.m2d().toBuilder().hop(320).build()}. Validates in build(). */
    public static final class Builder {
        private int sampleRate;
        private int nFft;
        private int winLength;
        private WindowType window;
        private int hop;
        private boolean centered;
        private PadMode padMode;
        private double preEmphasis;
        private MelScale melScale;
        private int melBins;
        private double fMin;
        private double fMax;
        private double logOffset;
        private double shift;
        private double scale;
        private Normalization normalization;

        private Builder(FrontendConfig c) {
            Objects.requireNonNull(c, "config");
            sampleRate = c.sampleRate;
            nFft = c.nFft;
            winLength = c.winLength;
            window = c.window;
            hop = c.hop;
            centered = c.centered;
            padMode = c.padMode;
            preEmphasis = c.preEmphasis;
            melScale = c.melScale;
            melBins = c.melBins;
            fMin = c.fMin;
            fMax = c.fMax;
            logOffset = c.logOffset;
            shift = c.shift;
            scale = c.scale;
            normalization = c.normalization;
        }

        public Builder sampleRate(int v) {
            sampleRate = v;
            return this;
        }

        public Builder nFft(int v) {
            nFft = v;
            return this;
        }

        public Builder winLength(int v) {
            winLength = v;
            return this;
        }

        public Builder window(WindowType v) {
            window = v;
            return this;
        }

        public Builder hop(int v) {
            hop = v;
            return this;
        }

        public Builder centered(boolean v) {
            centered = v;
            return this;
        }

        public Builder padMode(PadMode v) {
            padMode = v;
            return this;
        }

        public Builder preEmphasis(double v) {
            preEmphasis = v;
            return this;
        }

        public Builder melScale(MelScale v) {
            melScale = v;
            return this;
        }

        public Builder melBins(int v) {
            melBins = v;
            return this;
        }

        public Builder fMin(double v) {
            fMin = v;
            return this;
        }

        public Builder fMax(double v) {
            fMax = v;
            return this;
        }

        public Builder logOffset(double v) {
            logOffset = v;
            return this;
        }

        public Builder shift(double v) {
            shift = v;
            return this;
        }

        public Builder scale(double v) {
            scale = v;
            return this;
        }

        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        public FrontendConfig build() {
            return new FrontendConfig(sampleRate, nFft, winLength, window, hop, centered, padMode, preEmphasis,
                    melScale, melBins, fMin, fMax, logOffset, shift, scale, normalization);
        }
    }

    private static HearkenException bad(String field, Object value, String rule) {
        return HearkenException.config("FrontendConfig." + field + " " + rule + ", got " + value);
    }
}
