package io.hearken.featurizer;

import io.hearken.error.HearkenException;

/**
 * Parameters of a pre-emphasis + STFT + mel + log front end. The output is
 * {@code (ln(mel + logOffset) + shift) / scale}.
 *
 * @param sampleRate  input sample rate, Hz
 * @param nFft        FFT size, a power of two (16..65536)
 * @param winLength   symmetric Hann window length, 1..nFft (zero-padded and centred in nFft)
 * @param hop         frame step in samples, >= 1
 * @param melBins     number of mel bands, 1..nFft/2
 * @param fMin        lowest band edge, Hz, >= 0
 * @param fMax        highest band edge, Hz, fMin < fMax <= sampleRate/2
 * @param preEmphasis pre-emphasis coefficient in [0, 1): y[n] = x[n+1] - preEmphasis * x[n]
 * @param logOffset   added to the mel power before the natural log, > 0
 * @param shift       added after the log
 * @param scale       divisor after the shift, > 0
 */
public record FrontendConfig(int sampleRate, int nFft, int winLength, int hop, int melBins, double fMin, double fMax,
                             double preEmphasis, double logOffset, double shift, double scale) {

    public FrontendConfig {
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw bad("sampleRate", sampleRate, "must be in 1000..384000 Hz");
        }
        if (nFft < 16 || nFft > 65536 || Integer.bitCount(nFft) != 1) {
            throw bad("nFft", nFft, "must be a power of two in 16..65536");
        }
        if (winLength < 1 || winLength > nFft) {
            throw bad("winLength", winLength, "must be in 1..nFft (" + nFft + ")");
        }
        if (hop < 1) {
            throw bad("hop", hop, "must be >= 1");
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
        if (!(preEmphasis >= 0 && preEmphasis < 1)) {
            throw bad("preEmphasis", preEmphasis, "must be in [0, 1)");
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
    }

    /** The EfficientAT (mn04_as) front end: 32 kHz, 1024/800/320, 128 Kaldi mel bands 0..15 kHz, (ln(x+1e-5)+4.5)/5. */
    public static FrontendConfig efficientAt() {
        return new FrontendConfig(32_000, 1024, 800, 320, 128, 0.0, 15_000.0, 0.97, 1e-5, 4.5, 5.0);
    }

    private static HearkenException bad(String field, Object value, String rule) {
        return HearkenException.config("FrontendConfig." + field + " " + rule + ", got " + value);
    }
}
