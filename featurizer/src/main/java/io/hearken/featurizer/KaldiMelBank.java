package io.hearken.featurizer;

/**
 * Kaldi-style triangular mel filterbank (as torchaudio.compliance.kaldi.get_mel_banks): mel(f) = 1127 ln(1 + f/700),
 * band edges equally spaced in mel between mel(fMin) and mel(fMax), triangles linear in mel, no area normalisation.
 * FFT bins 0..nFft/2-1 sit at k * sampleRate / nFft; the Nyquist bin nFft/2 gets weight 0.
 *
 * <p>Stored sparsely: each triangle covers a contiguous run of bins, so a band costs only its non-zero weights.
 */
final class KaldiMelBank {
    final int bands;
    /** First FFT bin of band b. */
    final int[] start;
    /** Number of bins of band b (may be 0 for a band narrower than one bin). */
    final int[] length;
    /** Offset of band b's weights in {@link #weights}. */
    final int[] offset;
    final double[] weights;

    KaldiMelBank(int sampleRate, int nFft, int bands, double fMin, double fMax) {
        this.bands = bands;
        int bins = nFft / 2; // bins 0..nFft/2-1 carry weights; the Nyquist bin nFft/2 never does
        double binWidth = (double) sampleRate / nFft;
        double melLow = mel(fMin);
        double melHigh = mel(fMax);
        double delta = (melHigh - melLow) / (bands + 1);
        double[] binMel = new double[bins];
        for (int k = 0; k < bins; k++) {
            binMel[k] = mel(binWidth * k);
        }
        start = new int[bands];
        length = new int[bands];
        offset = new int[bands];
        double[][] dense = new double[bands][];
        int total = 0;
        for (int b = 0; b < bands; b++) {
            double left = melLow + b * delta;
            double centre = melLow + (b + 1) * delta;
            double right = melLow + (b + 2) * delta;
            int first = -1;
            int last = -1;
            double[] w = new double[bins];
            for (int k = 0; k < bins; k++) {
                double m = binMel[k];
                double v = Math.max(0.0, Math.min((m - left) / (centre - left), (right - m) / (right - centre)));
                w[k] = v;
                if (v > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            start[b] = Math.max(first, 0);
            length[b] = first < 0 ? 0 : last - first + 1;
            offset[b] = total;
            total += length[b];
            dense[b] = w;
        }
        weights = new double[total];
        for (int b = 0; b < bands; b++) {
            System.arraycopy(dense[b], start[b], weights, offset[b], length[b]);
        }
    }

    static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    /** Mel energies of one power spectrum. */
    void apply(double[] power, double[] out) {
        for (int b = 0; b < bands; b++) {
            int k = start[b];
            int o = offset[b];
            double s = 0;
            for (int i = 0, len = length[b]; i < len; i++) {
                s += weights[o + i] * power[k + i];
            }
            out[b] = s;
        }
    }
}
