package io.hearken.featurizer.dsp;

/**
 * Kaldi-style triangular mel weights (as torchaudio.compliance.kaldi.get_mel_banks): mel(f) = 1127 ln(1 + f/700),
 * band edges equally spaced in mel between mel(fMin) and mel(fMax), triangles linear in mel, no area normalisation.
 * FFT bin k sits at k * sampleRate / nFft; only bins below Nyquist (2k &lt; nFft) carry weight, so the Nyquist bin
 * nFft/2 gets weight 0. See {@link MelBank} for the sparse form used at run time.
 */
final class KaldiMelBank {
    private KaldiMelBank() {}

    /** Dense weights [bands][nFft/2 + 1]. */
    static double[][] weights(int sampleRate, int nFft, int bands, double fMin, double fMax) {
        int bins = (nFft + 1) / 2; // bins with 2k < nFft carry weights; the Nyquist bin (even nFft) never does
        double binWidth = (double) sampleRate / nFft;
        double melLow = mel(fMin);
        double melHigh = mel(fMax);
        double delta = (melHigh - melLow) / (bands + 1);
        double[] binMel = new double[bins];
        for (int k = 0; k < bins; k++) {
            binMel[k] = mel(binWidth * k);
        }
        double[][] dense = new double[bands][nFft / 2 + 1];
        for (int b = 0; b < bands; b++) {
            double left = melLow + b * delta;
            double centre = melLow + (b + 1) * delta;
            double right = melLow + (b + 2) * delta;
            double[] w = dense[b];
            for (int k = 0; k < bins; k++) {
                double m = binMel[k];
                w[k] = Math.max(0.0, Math.min((m - left) / (centre - left), (right - m) / (right - centre)));
            }
        }
        return dense;
    }

    static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }
}
