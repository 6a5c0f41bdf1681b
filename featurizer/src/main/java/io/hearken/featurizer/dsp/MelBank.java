package io.hearken.featurizer.dsp;

/**
 * A triangular mel filterbank over the nFft/2 + 1 power bins, stored sparsely: each band covers a contiguous run of
 * bins (from its first to its last non-zero weight), so a band costs only its run. The weights come from
 * {@link KaldiMelBank} or {@link HtkMelBank} as chosen by {@link FrontendConfig#melScale()}.
 * Immutable and thread-safe.
 */
final class MelBank {
    final int bands;
    /** First FFT bin of band b. */
    final int[] start;
    /** Number of bins of band b (may be 0 for a band narrower than one bin). */
    final int[] length;
    /** Offset of band b's weights in {@link #weights}. */
    final int[] offset;
    final double[] weights;

    /** The bank a configuration asks for. */
    static MelBank of(FrontendConfig c) {
        double[][] dense = switch (c.melScale()) {
            case KALDI -> KaldiMelBank.weights(c.sampleRate(), c.nFft(), c.melBins(), c.fMin(), c.fMax());
            case HTK -> HtkMelBank.weights(c.sampleRate(), c.nFft(), c.melBins(), c.fMin(), c.fMax());
        };
        return new MelBank(dense);
    }

    /** From dense weights [bands][bins]. */
    MelBank(double[][] dense) {
        this.bands = dense.length;
        start = new int[bands];
        length = new int[bands];
        offset = new int[bands];
        int total = 0;
        for (int b = 0; b < bands; b++) {
            double[] w = dense[b];
            int first = -1;
            int last = -1;
            for (int k = 0; k < w.length; k++) {
                if (w[k] > 0) {
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
        }
        weights = new double[total];
        for (int b = 0; b < bands; b++) {
            System.arraycopy(dense[b], start[b], weights, offset[b], length[b]);
        }
    }

    /** Dense weight of band b at bin k (for tests). */
    double weight(int b, int k) {
        int i = k - start[b];
        return i >= 0 && i < length[b] ? weights[offset[b] + i] : 0.0;
    }

    /** Mel energies of one power spectrum: out[b] = sum_k w[b][k] power[k], summed in increasing k. */
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
