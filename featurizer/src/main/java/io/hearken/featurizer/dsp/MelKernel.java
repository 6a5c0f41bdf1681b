package io.hearken.featurizer.dsp;

/**
 * The per-frame part of a {@link FrontendConfig} front end, shared by the whole-signal {@link MelFrontend} and the
 * {@link StreamingMelFrontend} so that both produce bit-identical values: window -> power spectrum -> mel bank ->
 * log -> affine -> optional standardisation. Callers fill {@link #frame}[0..winLength) with the windowed samples
 * (the window sits at the start of the FFT frame and the zero padding at the end: the power spectrum does not depend
 * on a circular shift, so this equals the window centred at (nFft - winLength)/2), then call {@link #emit}.
 *
 * <p>The window, mel bank and FFT twiddles are immutable and shared between kernels of the same configuration
 * ({@link #window} must never be written); the scratch (FFT frame, power, mel) is per instance: not thread-safe;
 * no allocation after construction.
 */
final class MelKernel {
    final FrontendConfig cfg;
    final int nFft;
    final int win;
    final int hop;
    /** Offset of the window inside the nFft frame: (nFft - winLength) / 2. */
    final int winOffset;
    /** nFft/2 when centred, else 0. */
    final int pad;
    final int bins;
    /** Shared between kernels: read only. */
    final double[] window;
    /** FFT input: [0, win) written per frame, [win, nFft) stays zero. */
    final double[] frame;

    private final RealFft fft;
    private final MelBank bank;
    private final double[] power;
    private final double[] mel;
    private final double logOffset;
    private final double shift;
    private final double invScale;
    private final boolean normalize;
    private final double normMean;
    private final double normStd;

    MelKernel(FrontendConfig config) {
        this.cfg = config;
        this.nFft = config.nFft();
        this.win = config.winLength();
        this.hop = config.hop();
        this.winOffset = (nFft - win) / 2;
        this.pad = config.padding();
        this.bins = config.melBins();
        Tables tables = TABLES.computeIfAbsent(config, Tables::new);
        this.window = tables.window;
        this.frame = new double[nFft];
        this.fft = new RealFft(nFft);
        this.bank = tables.bank;
        this.power = new double[nFft / 2 + 1];
        this.mel = new double[bins];
        this.logOffset = config.logOffset();
        this.shift = config.shift();
        this.invScale = 1.0 / config.scale();
        this.normalize = config.normalization().enabled();
        this.normMean = config.normalization().mean();
        this.normStd = config.normalization().std();
    }

    /** Window and mel bank per configuration, immutable and shared by all kernels (FFT tables: see RealFft). */
    private static final java.util.concurrent.ConcurrentHashMap<FrontendConfig, Tables> TABLES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Tables {
        final double[] window;
        final MelBank bank;

        Tables(FrontendConfig c) {
            window = window(c.window(), c.winLength());
            bank = MelBank.of(c);
        }
    }

    static double[] window(FrontendConfig.WindowType type, int win) {
        double[] w = new double[win];
        for (int i = 0; i < win; i++) {
            w[i] = switch (type) {
                // torch.hann_window(periodic=False); a 1-sample window is 1.
                case HANN_SYMMETRIC -> win == 1 ? 1.0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (win - 1));
                // torch.hann_window(periodic=True); a 1-sample window is 1 (as torch).
                case HANN_PERIODIC -> win == 1 ? 1.0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * i / win);
            };
        }
        return w;
    }

    /** frame[m] = src[from + m] * window[m], m &lt; winLength. */
    void windowFrom(double[] src, int from) {
        final double[] f = frame;
        final double[] w = window;
        for (int m = 0, n = win; m < n; m++) {
            f[m] = src[from + m] * w[m];
        }
    }

    /** Transforms the current {@link #frame}; writes band b to out[off + b * stride]. */
    void emit(float[] out, int off, int stride) {
        fft.power(frame, power);
        bank.apply(power, mel);
        final double[] m = mel;
        for (int b = 0, o = off; b < bins; b++, o += stride) {
            double v = (Math.log(m[b] + logOffset) + shift) * invScale;
            if (normalize) {
                v = (v - normMean) / normStd;
            }
            out[o] = (float) v;
        }
    }
}
