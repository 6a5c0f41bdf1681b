package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

import java.util.Arrays;

/**
 * Whole-signal log-mel front end that follows a {@link FrontendConfig} exactly (see there for the pipeline):
 * EfficientAT ({@link FrontendConfig#efficientAt()}), BYOL-A ({@link FrontendConfig#byolA()}), M2D
 * ({@link FrontendConfig#m2d()}) or any other configuration. Output [melBins][frames] row-major.
 *
 * <p>Short signals: when y (the pre-emphasised signal) is not longer than the centring pad, reflection is repeated
 * (numpy's "reflect" mode), which agrees with torch wherever torch accepts the input; a 1-sample y repeats that
 * sample; an empty y (0 samples, or 1 with pre-emphasis) is treated as silence: centred, one frame at the log floor;
 * not centred, no frames (as for any y shorter than nFft).
 *
 * <p>Internally double precision (FFT, mel sums, log), so results match float32 PyTorch references to about 1e-4
 * or better. {@link StreamingMelFrontend} produces bit-identical frames chunk by chunk. Allocates only the result
 * (and, when a longer input than before arrives, its padded copy); scratch is per instance, so an instance is NOT
 * thread-safe: use one per operator/thread.
 */
public class MelFrontend implements LogMelFrontend {
    private final FrontendConfig cfg;
    private final MelKernel kernel;
    private double[] padded = new double[0];

    public MelFrontend(FrontendConfig config) {
        if (config == null) {
            throw HearkenException.config(getClass().getSimpleName() + ": config must not be null");
        }
        this.cfg = config;
        this.kernel = new MelKernel(config);
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
            throw HearkenException.badInput(getClass().getSimpleName() + ": negative sample count " + samples);
        }
        return (int) cfg.framesFor(samples);
    }

    @Override
    public float[] compute(float[] samples, int offset, int length) {
        String name = getClass().getSimpleName();
        if (samples == null) {
            throw HearkenException.badInput(name + ": samples must not be null");
        }
        if (offset < 0 || length < 0 || offset > samples.length - length) {
            throw HearkenException.badInput(name + ": range [" + offset + ", " + offset + "+" + length
                    + ") is outside an array of " + samples.length);
        }
        final int frames = framesFor(length);
        final int bins = cfg.melBins();
        if ((long) frames * bins > Integer.MAX_VALUE - 16) {
            throw HearkenException.badInput(name + ": " + length + " samples is too long for one call");
        }
        final float[] out = new float[bins * frames];
        if (frames == 0) {
            return out;
        }
        final int n = cfg.preEmphasis() > 0 ? Math.max(0, length - 1) : length;
        fillPadded(samples, offset, n);
        final MelKernel k = kernel;
        final int hop = cfg.hop();
        final int winOffset = k.winOffset;
        final double[] p = padded;
        for (int t = 0; t < frames; t++) {
            k.windowFrom(p, t * hop + winOffset);
            k.emit(out, t, frames);
        }
        return out;
    }

    /** padded[pad + i] = y[i] (pre-emphasised), reflected beyond both ends when centred; length n + 2 * pad. */
    private void fillPadded(float[] x, int off, int n) {
        final int pad = kernel.pad;
        int size = n + 2 * pad;
        if (padded.length < size) {
            padded = new double[size];
        }
        double[] p = padded;
        double a = cfg.preEmphasis();
        if (a > 0) {
            for (int i = 0; i < n; i++) {
                p[pad + i] = (double) x[off + i + 1] - a * x[off + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                p[pad + i] = x[off + i];
            }
        }
        if (n == 0) {
            Arrays.fill(p, 0, size, 0.0);
            return;
        }
        for (int i = 1; i <= pad; i++) {
            p[pad - i] = p[pad + reflect(-i, n)];
            p[pad + n - 1 + i] = p[pad + reflect(n - 1 + i, n)];
        }
    }

    /** Index i mirrored into [0, n) without repeating the edge sample (period 2(n-1)). */
    static int reflect(int i, int n) {
        return (int) reflect((long) i, n);
    }

    /** Index i mirrored into [0, n) without repeating the edge sample (period 2(n-1)). */
    static long reflect(long i, long n) {
        if (n == 1) {
            return 0;
        }
        long period = 2 * (n - 1);
        long j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }
}
