package io.hearken.featurizer.dsp;

/**
 * HTK-scale triangular mel weights exactly as torchaudio.functional.melscale_fbanks(mel_scale="htk", norm=None):
 * mel(f) = 2595 log10(1 + f/700); nMels + 2 points equally spaced in mel between mel(fMin) and mel(fMax), mapped back
 * to Hz (f_pts); power bin k (k = 0..nFft/2) sits at k * floor(sampleRate/2) / (nFft/2) Hz (torch.linspace(0,
 * sample_rate // 2, n_freqs)); band b's weight is max(0, min((f - f_pts[b]) / (f_pts[b+1] - f_pts[b]),
 * (f_pts[b+2] - f) / (f_pts[b+2] - f_pts[b+1]))) — linear in Hz, no area normalisation, Nyquist bin included.
 * Computed in double (torchaudio uses float32; the difference is far below the golden tolerance).
 */
final class HtkMelBank {
    private HtkMelBank() {}

    /** Dense weights [bands][nFft/2 + 1]. */
    static double[][] weights(int sampleRate, int nFft, int bands, double fMin, double fMax) {
        int nFreqs = nFft / 2 + 1;
        double top = (double) (sampleRate / 2); // integer division, as torchaudio's sample_rate // 2
        double[] freq = new double[nFreqs];
        for (int k = 0; k < nFreqs; k++) {
            freq[k] = nFreqs == 1 ? 0.0 : top * k / (nFreqs - 1);
        }
        double mMin = mel(fMin);
        double mMax = mel(fMax);
        double[] fPts = new double[bands + 2];
        for (int i = 0; i < bands + 2; i++) {
            fPts[i] = hz(mMin + (mMax - mMin) * i / (bands + 1));
        }
        double[][] dense = new double[bands][nFreqs];
        for (int b = 0; b < bands; b++) {
            double lo = fPts[b];
            double mid = fPts[b + 1];
            double hi = fPts[b + 2];
            double[] w = dense[b];
            for (int k = 0; k < nFreqs; k++) {
                double down = (freq[k] - lo) / (mid - lo);
                double up = (hi - freq[k]) / (hi - mid);
                w[k] = Math.max(0.0, Math.min(down, up));
            }
        }
        return dense;
    }

    static double mel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    static double hz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
}
