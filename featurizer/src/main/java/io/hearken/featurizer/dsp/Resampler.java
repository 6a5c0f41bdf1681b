package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

import java.util.Arrays;

/**
 * Band-limited sample-rate converter for any pair of integer rates: a polyphase Kaiser-windowed sinc filter
 * (passband flat within about 0.02 dB to 0.9 of the lower Nyquist, about 90 dB stop band from 1.1 of it; 74 taps
 * per output for 44.1 -> 32 kHz), phase table shared across instances of the same rate pair (see
 * {@link PolyphaseKernel}).
 *
 * <p>Timing: output sample n is centred on input time {@code n * inRate / outRate}; input before sample 0 and
 * after the end (at {@link #flush()}) counts as zeros. N input samples give {@code ceil(N * outRate / inRate)}
 * output samples. Equal rates are the identity.
 *
 * <p>Streaming: {@link #process} returns the output samples that its input has fully determined, {@link #flush}
 * the rest. Every output sample is computed from exactly the same window values in the same order whatever the
 * chunking, so the concatenated outputs are bit-identical to {@link #resampleWhole}. The state between calls is
 * at most one filter length of input and can be checkpointed with {@link #snapshot()} / {@link #restore}.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class Resampler {
    /** Periods per tile of the residue-major order. */
    private static final int COLUMNS = 128;
    /** Calls with fewer outputs than this many periods are computed output by output. */
    private static final int MIN_COLUMNS = 6;
    private static final float[] EMPTY = new float[0];
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int inRate;
    private final int outRate;
    /** Null for the identity (equal rates). */
    private final PolyphaseKernel kernel;

    private long consumed;
    private long produced;
    /** Input window: buf[0..bufLen) holds input samples bufStart..consumed-1 (negative indices are zeros). */
    private float[] buf;
    private int bufLen;
    /** Input index of buf[0]; equals consumed - bufLen except while flush() pads zeros. */
    private long bufStart;
    /** Position of the next output: produced * down = nextQ * up + nextR. */
    private long nextQ;
    private long nextR;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0) {
            throw HearkenException.config("Resampler: inRate must be > 0, got " + inRate);
        }
        if (outRate <= 0) {
            throw HearkenException.config("Resampler: outRate must be > 0, got " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        this.kernel = inRate == outRate ? null : PolyphaseKernel.of(inRate, outRate);
        reset();
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Resamples a whole signal in one go; identical to process(all) followed by flush(). */
    public static float[] resampleWhole(float[] in, int inRate, int outRate) {
        Resampler r = new Resampler(inRate, outRate);
        float[] head = r.process(in, 0, checkNotNull(in).length);
        float[] tail = r.flush();
        if (tail.length == 0) {
            return head;
        }
        float[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** Output length for {@code inputSamples} input samples: ceil(inputSamples * outRate / inRate). */
    public static long outputLength(long inputSamples, int inRate, int outRate) {
        int g = PolyphaseKernel.gcd(inRate, outRate);
        return ceilMulDiv(inputSamples, outRate / g, inRate / g);
    }

    public float[] process(float[] in) {
        return process(in, 0, checkNotNull(in).length);
    }

    /** Consumes {@code in[off..off+len)} and returns the output samples that are now fully determined. */
    public float[] process(float[] in, int off, int len) {
        checkNotNull(in);
        if (off < 0 || len < 0 || off > in.length - len) {
            throw HearkenException.badInput("Resampler: range [" + off + ", " + off + "+" + len
                    + ") is outside an array of " + in.length);
        }
        if (kernel == null) {
            consumed += len;
            produced += len;
            return Arrays.copyOfRange(in, off, off + len);
        }
        append(in, off, len);
        consumed += len;
        long ready = consumed - after() > 0 ? ceilMulDiv(consumed - after(), kernel.up, kernel.down) : 0;
        float[] out = render(ready);
        compact();
        return out;
    }

    /**
     * Returns the remaining output, treating the input as followed by zeros, and resets this resampler to a fresh
     * stream (so it can be reused).
     */
    public float[] flush() {
        if (kernel == null) {
            reset();
            return EMPTY;
        }
        long total = ceilMulDiv(consumed, kernel.up, kernel.down);
        if (total > produced) {
            // The last output's window ends at input q_last + after(); pad zeros up to there.
            long lastQ = floorMulDiv(total - 1, kernel.down, kernel.up);
            long zeros = lastQ + after() + 1 - consumed;
            if (zeros > 0) {
                ensureCapacity(bufLen + (int) zeros);
                Arrays.fill(buf, bufLen, bufLen + (int) zeros, 0f);
                bufLen += (int) zeros;
            }
        }
        float[] out = render(total);
        reset();
        return out;
    }

    /** Input samples taken so far (since construction or the last flush). */
    public long consumed() {
        return consumed;
    }

    /** Output samples returned so far (since construction or the last flush). */
    public long produced() {
        return produced;
    }

    /** Checkpointable copy of the streaming state. */
    public State snapshot() {
        State s = new State();
        s.inRate = inRate;
        s.outRate = outRate;
        s.consumed = consumed;
        s.produced = produced;
        s.history = Arrays.copyOf(buf, bufLen);
        return s;
    }

    /** Rebuilds a resampler from {@link #snapshot()}; it continues exactly where the snapshot was taken. */
    public static Resampler restore(State state) {
        if (state == null) {
            throw HearkenException.badInput("Resampler state: null");
        }
        if (state.inRate <= 0 || state.outRate <= 0) {
            throw HearkenException.badInput("Resampler state: bad rates " + state.inRate + " -> " + state.outRate);
        }
        Resampler r = new Resampler(state.inRate, state.outRate);
        float[] h = state.history == null ? new float[0] : state.history;
        if (state.consumed < 0 || state.produced < 0) {
            throw HearkenException.badInput("Resampler state: negative counters (consumed " + state.consumed
                    + ", produced " + state.produced + ")");
        }
        if (r.kernel == null) {
            if (state.produced != state.consumed || h.length != 0) {
                throw HearkenException.badInput("Resampler state: identity resampler with produced "
                        + state.produced + " != consumed " + state.consumed + " or non-empty history");
            }
            r.consumed = state.consumed;
            r.produced = state.produced;
            return r;
        }
        long ready = state.consumed - r.after() > 0
                ? ceilMulDiv(state.consumed - r.after(), r.kernel.up, r.kernel.down) : 0;
        if (state.produced > ready) {
            throw HearkenException.badInput("Resampler state: produced " + state.produced
                    + " is more than " + state.consumed + " input samples can determine (" + ready + ")");
        }
        long q = floorMulDiv(state.produced, r.kernel.down, r.kernel.up);
        long bufStart = state.consumed - h.length;
        if (bufStart > Math.min(q - r.kernel.before, state.consumed) || h.length > 2 * r.kernel.taps + 2 * r.stride()) {
            throw HearkenException.badInput("Resampler state: history of " + h.length
                    + " samples does not match the filter window for consumed " + state.consumed
                    + ", produced " + state.produced);
        }
        r.consumed = state.consumed;
        r.produced = state.produced;
        r.nextQ = q;
        r.nextR = (state.produced % r.kernel.up) * r.kernel.down % r.kernel.up;
        r.buf = Arrays.copyOf(h, Math.max(h.length, r.kernel.taps * 2));
        r.bufLen = h.length;
        r.bufStart = bufStart;
        r.compact();
        return r;
    }

    /**
     * Streaming state, shaped as a Flink POJO (public no-arg constructor, public mutable fields of basic types) so
     * that a job can keep it in keyed state. {@code history} holds the last input samples still needed (at most
     * about one filter length; leading zeros stand for the time before the stream started).
     */
    public static final class State {
        public int inRate;
        public int outRate;
        public long consumed;
        public long produced;
        public float[] history;

        public State() {}
    }

    // ---- internals ----

    private void reset() {
        consumed = 0;
        produced = 0;
        nextQ = 0;
        nextR = 0;
        if (kernel == null) {
            buf = new float[0];
            bufLen = 0;
            bufStart = 0;
        } else {
            // 'before' virtual zeros: the window of output 0 starts at input index -before.
            buf = new float[Math.max(kernel.taps * 2, 64)];
            bufLen = kernel.before;
            bufStart = -kernel.before;
        }
    }

    /** Input samples needed after the centre sample q. */
    private int after() {
        return kernel.taps - kernel.before - 1;
    }

    /** Largest possible step of the centre between two outputs, in input samples. */
    private int stride() {
        return (int) Math.min(Integer.MAX_VALUE / 4, ((long) kernel.down + kernel.up - 1) / kernel.up);
    }

    /** Computes outputs produced..until-1, whose windows must all lie in the buffer. */
    private float[] render(long until) {
        long count = until - produced;
        if (count <= 0) {
            return EMPTY;
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw HearkenException.badInput("Resampler: " + count + " output samples in one call; use smaller chunks");
        }
        float[] out = new float[(int) count];
        if (kernel.period > 0 && count >= (long) MIN_COLUMNS * kernel.period) {
            renderByResidue(out);
        } else {
            renderDirect(out);
        }
        produced = until;
        nextQ = floorMulDiv(until, kernel.down, kernel.up);
        nextR = (until % kernel.up) * kernel.down % kernel.up;
        return out;
    }

    /*
     * Both evaluation orders below compute every output sample the same way: acc = 0f, then acc = acc + c[j] * x[j]
     * for j = 0..taps-1 in order (float products and sums, no fused multiply-add), where c is the output's phase and
     * x its input window. Java float arithmetic is exactly specified, so the two give the same bits, and which one a
     * call uses (it depends on the chunk size) cannot change the result: any chunking is bit-identical to the whole.
     * Float sums: ~1e-7 relative error per step, far below the filter's own -90 dB.
     */

    /** One output after another; four outputs at a time to overlap their (sequential) sums. */
    private void renderDirect(float[] out) {
        final float[] c = kernel.coeffs;
        final float[] x = buf;
        final int taps = kernel.taps;
        final int up = kernel.up;
        final int down = kernel.down;
        int xi = (int) (nextQ - kernel.before - bufStart);
        int r = (int) nextR;
        int n = 0;
        for (; n + 4 <= out.length; n += 4) {
            int x0 = xi;
            int c0 = r * taps;
            r += down;
            if (r >= up) {
                xi += r / up;
                r %= up;
            }
            int x1 = xi;
            int c1 = r * taps;
            r += down;
            if (r >= up) {
                xi += r / up;
                r %= up;
            }
            int x2 = xi;
            int c2 = r * taps;
            r += down;
            if (r >= up) {
                xi += r / up;
                r %= up;
            }
            int x3 = xi;
            int c3 = r * taps;
            r += down;
            if (r >= up) {
                xi += r / up;
                r %= up;
            }
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            for (int j = 0; j < taps; j++) {
                a0 += c[c0 + j] * x[x0 + j];
                a1 += c[c1 + j] * x[x1 + j];
                a2 += c[c2 + j] * x[x2 + j];
                a3 += c[c3 + j] * x[x3 + j];
            }
            out[n] = a0;
            out[n + 1] = a1;
            out[n + 2] = a2;
            out[n + 3] = a3;
        }
        for (; n < out.length; n++) {
            int ci = r * taps;
            float a = 0f;
            for (int j = 0; j < taps; j++) {
                a += c[ci + j] * x[xi + j];
            }
            out[n] = a;
            r += down;
            if (r >= up) {
                xi += r / up;
                r %= up;
            }
        }
    }

    /**
     * Residue-major order (see {@link PolyphaseKernel}): per tile of up to {@link #COLUMNS} periods, the input is
     * de-interleaved into rows (row p, column i = input sample (period m0+i)*periodIn - before + p), then for each
     * residue s every tap j is one element-wise pass acc[i] += c[j] * row[rowOffset(s) + j][i] over the tile's
     * periods, which the JIT compiles to SIMD code.
     */
    private void renderByResidue(float[] out) {
        final PolyphaseKernel k = kernel;
        final int period = k.period;
        final int periodIn = k.periodIn;
        final int taps = k.taps;
        final int rows = k.rows;
        final float[] c = k.coeffs;
        final int[] rowOffset = k.rowOffset;
        final int[] coeffOffset = k.coeffOffset;
        final float[] x = buf;
        final int len = bufLen;
        final long n0 = produced;
        final long n1 = produced + out.length;
        Scratch scratch = SCRATCH.get();
        final float[][] row = scratch.rows(rows);
        final float[] acc = scratch.acc;
        long mLast = (n1 - 1) / period;
        for (long m0 = n0 / period; m0 <= mLast; m0 += COLUMNS) {
            int cols = (int) Math.min(COLUMNS, mLast - m0 + 1);
            // Buffer index of row 0, column 0; only entries inside the buffer are copied (the others are never read:
            // every output reads exactly its own window, which lies in the buffer).
            long b0 = m0 * periodIn - k.before - bufStart;
            for (int p = 0; p < rows; p++) {
                long b = b0 + p;
                int iLo = b >= 0 ? 0 : (int) Math.min(cols, (-b + periodIn - 1) / periodIn);
                int iHi = b >= len ? 0 : (int) Math.min(cols, (len - 1 - b) / periodIn + 1);
                float[] rp = row[p];
                int bi = (int) (b + (long) iLo * periodIn);
                for (int i = iLo; i < iHi; i++, bi += periodIn) {
                    rp[i] = x[bi];
                }
            }
            for (int s = 0; s < period; s++) {
                long first = m0 * period + s; // output index of column 0 for this residue
                int lo = first >= n0 ? 0 : (int) Math.min(cols, (n0 - first + period - 1) / period);
                int hi = first >= n1 ? 0 : (int) Math.min(cols, (n1 - 1 - first) / period + 1);
                if (lo >= hi) {
                    continue;
                }
                for (int i = lo; i < hi; i++) {
                    acc[i] = 0f;
                }
                int ro = rowOffset[s];
                int co = coeffOffset[s];
                int j = 0;
                for (; j + 4 <= taps; j += 4) {
                    float c0 = c[co + j];
                    float c1 = c[co + j + 1];
                    float c2 = c[co + j + 2];
                    float c3 = c[co + j + 3];
                    float[] r0 = row[ro + j];
                    float[] r1 = row[ro + j + 1];
                    float[] r2 = row[ro + j + 2];
                    float[] r3 = row[ro + j + 3];
                    for (int i = lo; i < hi; i++) {
                        acc[i] = acc[i] + c0 * r0[i] + c1 * r1[i] + c2 * r2[i] + c3 * r3[i];
                    }
                }
                for (; j < taps; j++) {
                    float c0 = c[co + j];
                    float[] r0 = row[ro + j];
                    for (int i = lo; i < hi; i++) {
                        acc[i] = acc[i] + c0 * r0[i];
                    }
                }
                int o = (int) (first - n0) + lo * period;
                for (int i = lo; i < hi; i++, o += period) {
                    out[o] = acc[i];
                }
            }
        }
    }

    /** Per-thread work area of the residue-major order (streams on one thread share it; it holds no state). */
    private static final class Scratch {
        float[][] rows = new float[0][];
        final float[] acc = new float[COLUMNS];

        float[][] rows(int n) {
            if (rows.length < n) {
                float[][] grown = Arrays.copyOf(rows, n);
                for (int p = rows.length; p < n; p++) {
                    grown[p] = new float[COLUMNS];
                }
                rows = grown;
            }
            return rows;
        }
    }

    private void append(float[] in, int off, int len) {
        ensureCapacity(bufLen + len);
        System.arraycopy(in, off, buf, bufLen, len);
        bufLen += len;
    }

    private void ensureCapacity(int needed) {
        if (needed < 0) {
            throw HearkenException.badInput("Resampler: chunk too large");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
        }
    }

    /** Drops input no future output needs; shrinks the buffer after a very large chunk. */
    private void compact() {
        long keepFrom = Math.min(nextQ - kernel.before, consumed);
        int drop = (int) (keepFrom - bufStart);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
        int comfortable = Math.max(kernel.taps * 2, 64);
        if (buf.length > 4 * comfortable && bufLen < comfortable) {
            buf = Arrays.copyOf(buf, comfortable);
        }
    }

    private static float[] checkNotNull(float[] in) {
        if (in == null) {
            throw HearkenException.badInput("Resampler: input must not be null");
        }
        return in;
    }

    /** floor(a * b / c) for a >= 0 and 0 < b, c < 2^31, without overflowing for any realistic a. */
    static long floorMulDiv(long a, long b, long c) {
        return (a / c) * b + (a % c) * b / c;
    }

    /** ceil(a * b / c) for a >= 0 and 0 < b, c < 2^31. */
    static long ceilMulDiv(long a, long b, long c) {
        long rem = (a % c) * b;
        return (a / c) * b + rem / c + (rem % c != 0 ? 1 : 0);
    }
}
