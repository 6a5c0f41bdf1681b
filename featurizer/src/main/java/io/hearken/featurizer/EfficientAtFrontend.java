package io.hearken.featurizer;

import io.hearken.error.HearkenException;

/**
 * The log-mel front end of EfficientAT (models/efficientat-mn04/MODEL.md), exactly:
 * pre-emphasis y[n] = x[n+1] - 0.97 x[n] (one sample shorter than x); centred STFT with n_fft 1024, hop 320 and a
 * symmetric Hann window of 800 zero-padded to 1024, the signal reflect-padded by n_fft/2 on both sides
 * (reflection excludes the edge sample); power spectrum; Kaldi mel bank (128 bands, 0..15 kHz, Nyquist weight 0);
 * out = (ln(mel + 1e-5) + 4.5) / 5. Frames = 1 + floor(len(y) / hop).
 *
 * <p>Short signals: when y is not longer than the padding, reflection is repeated (numpy's "reflect" mode), which
 * agrees with torch wherever torch accepts the input; a 1-sample y repeats that sample; an input of 0 or 1 samples
 * (empty y) is treated as silence and yields one frame at the log floor.
 *
 * <p>Internally double precision (the FFT, mel sums and log), so results match the float32 PyTorch reference to
 * about 1e-4 or better. Allocates only the result per call; scratch buffers are kept per instance, so an instance
 * is NOT thread-safe: use one per operator/thread.
 */
public final class EfficientAtFrontend implements LogMelFrontend {
    private final FrontendConfig cfg;
    private final RealFft fft;
    private final KaldiMelBank mel;
    private final double[] window;
    private final int pad;

    // Per-instance scratch (hence not thread-safe).
    private final double[] frame;
    private final double[] power;
    private final double[] melOut;
    private double[] padded = new double[0];

    public EfficientAtFrontend() {
        this(FrontendConfig.efficientAt());
    }

    public EfficientAtFrontend(FrontendConfig config) {
        if (config == null) {
            throw HearkenException.config("EfficientAtFrontend: config must not be null");
        }
        this.cfg = config;
        this.fft = new RealFft(config.nFft());
        this.mel = new KaldiMelBank(config.sampleRate(), config.nFft(), config.melBins(), config.fMin(), config.fMax());
        int win = config.winLength();
        this.window = new double[win];
        for (int i = 0; i < win; i++) {
            // Symmetric Hann (torch.hann_window(periodic=False)); a 1-sample window is 1.
            window[i] = win == 1 ? 1.0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (win - 1));
        }
        this.pad = config.nFft() / 2;
        // The window sits at (nFft - win)/2 inside the FFT frame; the power spectrum does not depend on a circular
        // shift, so the windowed samples go to the start of the frame and the zero padding stays at the end.
        this.frame = new double[config.nFft()];
        this.power = new double[config.nFft() / 2 + 1];
        this.melOut = new double[config.melBins()];
    }

    public FrontendConfig config() {
        return cfg;
    }

    @Override
    public int sampleRate() {
        return cfg.sampleRate();
    }

    @Override
    public int melBins() {
        return cfg.melBins();
    }

    @Override
    public int framesFor(int samples) {
        if (samples < 0) {
            throw HearkenException.badInput("EfficientAtFrontend: negative sample count " + samples);
        }
        return 1 + Math.max(0, samples - 1) / cfg.hop();
    }

    @Override
    public float[] compute(float[] samples, int offset, int length) {
        if (samples == null) {
            throw HearkenException.badInput("EfficientAtFrontend: samples must not be null");
        }
        if (offset < 0 || length < 0 || offset > samples.length - length) {
            throw HearkenException.badInput("EfficientAtFrontend: range [" + offset + ", " + offset + "+" + length
                    + ") is outside an array of " + samples.length);
        }
        final int frames = framesFor(length);
        final int bins = cfg.melBins();
        if ((long) frames * bins > Integer.MAX_VALUE - 16) {
            throw HearkenException.badInput("EfficientAtFrontend: " + length + " samples is too long for one call");
        }
        final int n = Math.max(0, length - 1);
        fillPadded(samples, offset, n);

        final float[] out = new float[bins * frames];
        final int win = window.length;
        final int hop = cfg.hop();
        final int winOffset = (cfg.nFft() - win) / 2;
        final double logOffset = cfg.logOffset();
        final double shift = cfg.shift();
        final double invScale = 1.0 / cfg.scale();
        final double[] p = padded;
        final double[] w = window;
        final double[] f = frame;
        for (int t = 0; t < frames; t++) {
            int base = t * hop + winOffset;
            for (int m = 0; m < win; m++) {
                f[m] = p[base + m] * w[m];
            }
            fft.power(f, power);
            mel.apply(power, melOut);
            for (int b = 0, o = t; b < bins; b++, o += frames) {
                out[o] = (float) ((Math.log(melOut[b] + logOffset) + shift) * invScale);
            }
        }
        return out;
    }

    /** padded[pad + i] = y[i] (pre-emphasised), reflected beyond both ends; length n + 2 * pad. */
    private void fillPadded(float[] x, int off, int n) {
        int size = n + 2 * pad;
        if (padded.length < size) {
            padded = new double[size];
        }
        double[] p = padded;
        double a = cfg.preEmphasis();
        for (int i = 0; i < n; i++) {
            p[pad + i] = (double) x[off + i + 1] - a * x[off + i];
        }
        if (n == 0) {
            java.util.Arrays.fill(p, 0, size, 0.0);
            return;
        }
        for (int i = 1; i <= pad; i++) {
            p[pad - i] = p[pad + reflect(-i, n)];
            p[pad + n - 1 + i] = p[pad + reflect(n - 1 + i, n)];
        }
    }

    /** Index i mirrored into [0, n) without repeating the edge sample (period 2(n-1)). */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }
}
