package io.hearken.featurizer.dsp;

import io.hearken.error.HearkenException;

import java.util.Arrays;

/**
 * Chunk-by-chunk log-mel front end for one audio stream, following a {@link FrontendConfig} exactly. Whatever the
 * chunking (1 sample to many seconds), the frames passed to the sink by {@link #accept} calls followed by
 * {@link #finish} are bit-identical to {@link MelFrontend#compute} of the whole signal (same pre-emphasis values,
 * same reflection, same per-frame code), in order, with frame indices 0, 1, 2, ...
 *
 * <p><b>When frames come out.</b> Frame t is emitted by {@link #accept} as soon as every sample it needs has arrived
 * ({@link #inputSamplesNeeded(long)} input samples), and never depends on the end of the stream until
 * {@link #finish}:
 * <ul>
 *   <li>Pre-emphasis (a &gt; 0) gives y[n] = x[n+1] - a x[n], exactly as the whole-signal path: y[n] exists once
 *       x[n+1] has arrived, so every frame waits one input sample more than it would without pre-emphasis.</li>
 *   <li>Centred frames: frame t covers padded positions t*hop + (nFft-winLength)/2 .. + winLength - 1, i.e. y indices
 *       lo = t*hop + (nFft-winLength)/2 - nFft/2 .. hi = lo + winLength - 1. At the start of the stream lo &lt; 0: the
 *       left reflect padding uses y[-i] = y[i], so the frame needs y[0..max(hi, -lo)]. Frame 0 of a full-length
 *       window (BYOL-A: 1024/1024, M2D: 400/400) needs y[0..nFft/2], i.e. nFft/2 + 1 samples (513 and 201; the
 *       reflection reaches one sample further than the window), then frame t &gt;= 1 needs y[0..hi(t)]
 *       (512 + 160t and 200 + 160t samples). EfficientAT's 800-sample window inside 1024 makes frame 0 need
 *       y[0..400], i.e. 402 input samples with the pre-emphasis, then 401 + 320t. Nothing is emitted before frame
 *       0 is determinable; afterwards one frame per hop.</li>
 *   <li>The last frames overlap the right edge, whose reflect padding depends on where the stream ends: they are
 *       emitted by {@link #finish}, which knows the length (1 + floor(len(y)/hop) frames in all when centred).
 *       Streams too short for even frame 0 likewise get all their frames from finish, which applies the
 *       repeated reflection of the whole-signal path.</li>
 *   <li>Not centred: frame t is emitted once y[t*hop + nFft - 1] has arrived; finish emits nothing more.</li>
 * </ul>
 *
 * <p><b>Memory.</b> Constant per stream: a buffer of 2*nFft + hop + 4 input samples (the samples still needed:
 * at most about nFft of them) plus per-frame scratch (FFT frame and work arrays, power spectrum, mel column), about
 * 31 KB for EfficientAT; window, mel bank and FFT twiddles are shared by all streams of one configuration. In the
 * steady state nothing is allocated per call or per frame.
 *
 * <p><b>Checkpointing.</b> {@link #snapshot()} returns a Flink-POJO-shaped {@link State} (the samples still needed and
 * three counters); {@link #restore} continues exactly where the snapshot was taken.
 *
 * <p>Not thread-safe: one instance per stream (keyed operator state).
 */
public final class StreamingMelFrontend {

    /**
     * Receives each complete frame. {@code melColumn} holds the melBins values of frame {@code frameIndex} (the same
     * values as column frameIndex of the whole-signal output). The array is owned by the front end and REUSED for
     * the next frame: copy it if it must outlive the call.
     */
    @FunctionalInterface
    public interface FrameSink {
        void frame(long frameIndex, float[] melColumn);
    }

    private final FrontendConfig cfg;
    private final MelKernel kernel;
    private final boolean preEmphasis;
    private final double a;
    private final int capacity;
    private final float[] column;

    /** Input samples with absolute indices xStart .. xStart + xLen - 1; xStart + xLen == consumed. */
    private final float[] xbuf;
    private int xLen;
    private long xStart;
    private long consumed;
    private long nextFrame;
    private boolean finished;

    public StreamingMelFrontend(FrontendConfig config) {
        if (config == null) {
            throw HearkenException.config("StreamingMelFrontend: config must not be null");
        }
        this.cfg = config;
        this.kernel = new MelKernel(config);
        this.preEmphasis = config.preEmphasis() > 0;
        this.a = config.preEmphasis();
        this.capacity = bufferCapacity(config);
        this.xbuf = new float[capacity];
        this.column = new float[config.melBins()];
    }

    private static int bufferCapacity(FrontendConfig c) {
        return 2 * c.nFft() + c.hop() + 4;
    }

    public FrontendConfig config() {
        return cfg;
    }

    /** Input samples accepted so far. */
    public long samplesAccepted() {
        return consumed;
    }

    /** Frames emitted so far (= index of the next frame). */
    public long framesEmitted() {
        return nextFrame;
    }

    public boolean isFinished() {
        return finished;
    }

    /**
     * Number of input samples after which {@link #accept} emits frame t (before end of stream). A stream that ends
     * earlier gets the frame from {@link #finish} instead, if it has it at all ({@link FrontendConfig#framesFor}).
     */
    public long inputSamplesNeeded(long t) {
        if (t < 0) {
            throw HearkenException.badInput("StreamingMelFrontend: negative frame index " + t);
        }
        return needY(t) + (preEmphasis ? 1 : 0);
    }

    /**
     * Feeds samples[off..off+len) and passes every frame that became complete to {@code sink}, in order.
     *
     * @return the number of frames emitted by this call
     */
    public int accept(float[] samples, int off, int len, FrameSink sink) {
        if (samples == null) {
            throw HearkenException.badInput("StreamingMelFrontend: samples must not be null");
        }
        if (off < 0 || len < 0 || off > samples.length - len) {
            throw HearkenException.badInput("StreamingMelFrontend: range [" + off + ", " + off + "+" + len
                    + ") is outside an array of " + samples.length);
        }
        if (sink == null) {
            throw HearkenException.badInput("StreamingMelFrontend: sink must not be null");
        }
        if (finished) {
            throw HearkenException.badInput("StreamingMelFrontend: accept() after finish()");
        }
        int emitted = 0;
        final int end = off + len;
        while (true) {
            while (knownY() >= needY(nextFrame)) {
                emitSteady(sink);
                emitted++;
            }
            if (off == end) {
                return emitted;
            }
            if (xLen == capacity) {
                compact();
            }
            // Never append past what the next frame needs before emitting it, so the buffer stays bounded.
            long want = needY(nextFrame) + (preEmphasis ? 1 : 0) - consumed;
            int n = (int) Math.min(end - off, Math.min(capacity - xLen, want));
            System.arraycopy(samples, off, xbuf, xLen, n);
            xLen += n;
            consumed += n;
            off += n;
        }
    }

    /**
     * End of stream: emits the remaining frames (those touching the right-edge reflect padding, or all of them for
     * a stream shorter than the first frame needs). After this the front end accepts no more input; calling finish
     * again emits nothing.
     *
     * @return the number of frames emitted by this call
     */
    public int finish(FrameSink sink) {
        if (sink == null) {
            throw HearkenException.badInput("StreamingMelFrontend: sink must not be null");
        }
        if (finished) {
            return 0;
        }
        finished = true;
        long total = cfg.framesFor(consumed);
        long ny = knownY();
        int emitted = 0;
        final MelKernel k = kernel;
        final double[] f = k.frame;
        final double[] w = k.window;
        while (nextFrame < total) {
            long lo = nextFrame * k.hop + k.winOffset - k.pad;
            for (int m = 0; m < k.win; m++) {
                f[m] = ny == 0 ? 0.0 : y(MelFrontend.reflect(lo + m, ny)) * w[m];
            }
            long t = nextFrame++;
            k.emit(column, 0, 1);
            sink.frame(t, column);
            emitted++;
        }
        return emitted;
    }

    // ---- checkpointing ----

    /**
     * Streaming state, shaped as a Flink POJO (public no-arg constructor, public mutable fields of primitive and
     * float[] types): {@code samples} are the last input samples still needed (input indices consumed -
     * samples.length .. consumed - 1, at most about nFft of them); {@code configFingerprint} is
     * {@link FrontendConfig#fingerprint()} of the configuration that produced it.
     */
    public static final class State {
        public long configFingerprint;
        public long consumed;
        public long nextFrame;
        public boolean finished;
        public float[] samples;

        public State() {}
    }

    /** Checkpointable copy of the state (only the samples still needed); does not change this front end. */
    public State snapshot() {
        State s = new State();
        s.configFingerprint = cfg.fingerprint();
        s.consumed = consumed;
        s.nextFrame = nextFrame;
        s.finished = finished;
        long keep = finished ? consumed : Math.max(xStart, retainFrom());
        s.samples = Arrays.copyOfRange(xbuf, (int) (keep - xStart), xLen);
        return s;
    }

    /** Rebuilds a front end from {@link #snapshot()}; it continues exactly where the snapshot was taken. */
    public static StreamingMelFrontend restore(FrontendConfig config, State state) {
        StreamingMelFrontend s = new StreamingMelFrontend(config);
        if (state == null) {
            throw HearkenException.badInput("StreamingMelFrontend state: null");
        }
        if (state.configFingerprint != config.fingerprint()) {
            throw HearkenException.badInput("StreamingMelFrontend state: taken with another front end configuration"
                    + " (fingerprint " + Long.toHexString(state.configFingerprint) + ", this configuration "
                    + Long.toHexString(config.fingerprint()) + ")");
        }
        float[] h = state.samples == null ? new float[0] : state.samples;
        if (state.consumed < 0 || state.nextFrame < 0 || h.length > state.consumed || h.length > s.capacity) {
            throw HearkenException.badInput("StreamingMelFrontend state: inconsistent counters (consumed "
                    + state.consumed + ", nextFrame " + state.nextFrame + ", " + h.length + " samples)");
        }
        s.consumed = state.consumed;
        s.nextFrame = state.nextFrame;
        s.finished = state.finished;
        s.xStart = state.consumed - h.length;
        s.xLen = h.length;
        System.arraycopy(h, 0, s.xbuf, 0, h.length);
        boolean ok;
        if (state.finished) {
            ok = state.nextFrame == config.framesFor(state.consumed);
        } else {
            long ny = s.knownY();
            ok = ny < s.needY(state.nextFrame)
                    && (state.nextFrame == 0 || ny >= s.needY(state.nextFrame - 1))
                    && s.xStart <= s.retainFrom();
        }
        if (!ok) {
            throw HearkenException.badInput("StreamingMelFrontend state: nextFrame " + state.nextFrame
                    + " and " + h.length + " buffered samples do not match " + state.consumed + " samples accepted"
                    + (state.finished ? " (finished)" : ""));
        }
        return s;
    }

    // ---- internals ----

    /** Length of y (the pre-emphasised signal) known so far. */
    private long knownY() {
        return preEmphasis ? Math.max(0, consumed - 1) : consumed;
    }

    /** Length of y after which frame t is fully determined without knowing the end of the stream. */
    private long needY(long t) {
        MelKernel k = kernel;
        long lo = t * k.hop + k.winOffset - k.pad;
        if (k.pad == 0) {
            return t * k.hop + k.nFft;
        }
        long hi = lo + k.win - 1;
        return Math.max(hi, -lo) + 1;
    }

    /** First input index any future frame (or finish's right reflection) can still need. */
    private long retainFrom() {
        MelKernel k = kernel;
        long lo = nextFrame * k.hop + k.winOffset - k.pad;
        long ny = knownY();
        long from = k.pad == 0 ? Math.min(lo, ny) : Math.min(lo, ny - k.nFft);
        return Math.max(0, from);
    }

    /** Drops the samples no frame needs any more (y[i] needs inputs i and i+1, so input index = y index). */
    private void compact() {
        long keep = retainFrom();
        int drop = (int) (keep - xStart);
        if (drop > 0) {
            System.arraycopy(xbuf, drop, xbuf, 0, xLen - drop);
            xLen -= drop;
            xStart = keep;
        }
    }

    /** y[i] from the buffered input, computed exactly as {@link MelFrontend} does. */
    private double y(long i) {
        int j = (int) (i - xStart);
        return preEmphasis ? (double) xbuf[j + 1] - a * xbuf[j] : xbuf[j];
    }

    /** Frame nextFrame, all of whose samples are known and none past the right edge. */
    private void emitSteady(FrameSink sink) {
        final MelKernel k = kernel;
        final double[] f = k.frame;
        final double[] w = k.window;
        final int win = k.win;
        long lo = nextFrame * k.hop + k.winOffset - k.pad;
        if (lo >= 0) {
            final float[] xb = xbuf;
            final int base = (int) (lo - xStart);
            if (preEmphasis) {
                final double c = a;
                for (int m = 0; m < win; m++) {
                    f[m] = ((double) xb[base + m + 1] - c * xb[base + m]) * w[m];
                }
            } else {
                for (int m = 0; m < win; m++) {
                    f[m] = xb[base + m] * w[m];
                }
            }
        } else {
            // Start of a centred stream: left reflect padding, y[-i] = y[i].
            for (int m = 0; m < win; m++) {
                long i = lo + m;
                f[m] = y(i < 0 ? -i : i) * w[m];
            }
        }
        long t = nextFrame++;
        k.emit(column, 0, 1);
        sink.frame(t, column);
    }
}
