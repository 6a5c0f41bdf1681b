package io.hearken.inference.job;

import io.hearken.featurizer.Pcm16;
import io.hearken.featurizer.Resampler;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Slides analysis windows over one stream (keyed by stream id) of 32 kHz mono audio, as the stream's profile says.
 * Input comes in order from {@link StreamReassembler}. Chunks are mixed to mono and resampled incrementally, so
 * window boundaries are exact in the 32 kHz domain whatever the chunk sizes.
 *
 * <p>A window is emitted once audio beyond its end has arrived, so that the last window of a finite stream can
 * always carry the end-of-stream mark. At end of stream exactly one final window is emitted: the next regular
 * window if it ends exactly at the end, otherwise the last window-length of audio (or all of it, for streams
 * shorter than a window). State is then cleared.
 *
 * <p>A gap-fill chunk appends silence and marks the windows that overlap it. A restart (long gap, format change)
 * finishes the current segment's windows and begins afresh at the restarting chunk's capture time.
 */
public final class StreamWindower extends KeyedProcessFunction<String, ChunkEvent, AudioWindow> {
    private static final long serialVersionUID = 1L;
    /** Level reported for digital silence: below any real microphone's noise floor. */
    static final float SILENCE_DBFS = -120f;

    private final JobSettings settings;
    private final int targetRate;
    private transient ValueState<WindowerState> state;
    private transient Counter chunksIn;
    private transient Counter windowsOut;

    public StreamWindower(JobSettings settings, int targetRate) {
        this.settings = settings;
        this.targetRate = targetRate;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("windower", WindowerState.class));
        var metrics = getRuntimeContext().getMetricGroup();
        chunksIn = metrics.counter("chunksIn");
        windowsOut = metrics.counter("windowsOut");
    }

    @Override
    public void processElement(ChunkEvent chunk, Context ctx, Collector<AudioWindow> out) throws Exception {
        chunksIn.inc();
        WindowerState s = state.value();
        if (s != null && chunk.restart) {
            finishSegment(chunk.streamId, s, out, false);
            s = restartAfter(s, chunk);
        }
        if (s == null) {
            s = start(chunk);
        }
        Resampler resampler = Resampler.restore(s.resampler);
        StreamProfile profile = settings.profile(s.profile);
        int window = profile.windowSamples(targetRate);
        int hop = profile.hopSamples(targetRate);
        if (chunk.gapFillFrames > 0) {
            // Marked on the input timeline: the resampler's output lags its input by the filter's delay.
            long from = resampler.consumed() * targetRate / chunk.sampleRate;
            append(s, resampler.process(new float[(int) chunk.gapFillFrames], 0, (int) chunk.gapFillFrames));
            markGap(s, from, from + chunk.gapFillFrames * targetRate / chunk.sampleRate);
        } else {
            float[] mono = mixToMono(Pcm16.fromPcm16le(chunk.pcm16, chunk.streamId), chunk.channels);
            append(s, resampler.process(mono, 0, mono.length));
        }
        s.resampler = resampler.snapshot();
        emitCompleteWindows(chunk.streamId, s, window, hop, out);
        if (chunk.endOfStream) {
            finishSegment(chunk.streamId, s, out, true);
            state.clear();
            return;
        }
        trim(s, window, hop);
        state.update(s);
    }

    /** Flushes the resampler and emits the segment's remaining windows, ending with its final window. */
    private void finishSegment(String streamId, WindowerState s, Collector<AudioWindow> out, boolean endOfStream) {
        Resampler resampler = Resampler.restore(s.resampler);
        append(s, resampler.flush());
        StreamProfile profile = settings.profile(s.profile);
        int window = profile.windowSamples(targetRate);
        int hop = profile.hopSamples(targetRate);
        emitCompleteWindows(streamId, s, window, hop, out);
        if (s.produced() > 0) {
            emitFinalWindow(streamId, s, window, hop, out, endOfStream);
        } else if (endOfStream) {
            emit(streamId, s, 0, 0, true, out); // an empty stream still ends with an end-of-stream window
        }
    }

    private WindowerState restartAfter(WindowerState previous, ChunkEvent chunk) {
        WindowerState s = start(chunk);
        s.nextWindowIndex = previous.nextWindowIndex; // window indices stay unique per stream
        s.segmentFirstWindow = previous.nextWindowIndex;
        return s;
    }

    private WindowerState start(ChunkEvent chunk) {
        WindowerState s = new WindowerState();
        s.sampleRate = chunk.sampleRate;
        s.channels = chunk.channels;
        s.profile = chunk.profile;
        s.streamStartMicros = chunk.captureTimeMicros;
        s.resampler = new Resampler(chunk.sampleRate, targetRate).snapshot();
        s.buffer = new float[0];
        s.bufferStart = 0;
        s.nextWindowIndex = 0;
        s.source = chunk.source;
        return s;
    }

    private void emitCompleteWindows(String streamId, WindowerState s, int window, int hop, Collector<AudioWindow> out) {
        while (s.nextWindowStart(hop) + window < s.produced()) {
            long start = s.nextWindowStart(hop);
            emit(streamId, s, start, start + window, false, out);
        }
    }

    private void emitFinalWindow(String streamId, WindowerState s, int window, int hop, Collector<AudioWindow> out,
                                 boolean endOfStream) {
        long produced = s.produced();
        long nextStart = s.nextWindowStart(hop);
        long start = nextStart + window == produced ? nextStart : Math.max(0, produced - window);
        emit(streamId, s, start, produced, endOfStream, out);
    }

    private void emit(String streamId, WindowerState s, long start, long end, boolean endOfStream, Collector<AudioWindow> out) {
        AudioWindow w = new AudioWindow();
        w.streamId = streamId;
        w.windowIndex = s.nextWindowIndex++;
        w.startMicros = s.streamStartMicros + start * 1_000_000L / targetRate;
        w.endMicros = s.streamStartMicros + end * 1_000_000L / targetRate;
        w.samples = Arrays.copyOfRange(s.buffer, (int) (start - s.bufferStart), (int) (end - s.bufferStart));
        w.loudnessDbfs = loudnessDbfs(w.samples);
        w.endOfStream = endOfStream;
        w.gapFilled = overlapsGap(s, start, end);
        w.profile = s.profile;
        w.source = s.source;
        windowsOut.inc();
        out.collect(w);
    }

    /** Keeps what the next window and a possible final tail window still need. */
    private static void trim(WindowerState s, int window, int hop) {
        long keepFrom = Math.min(s.nextWindowStart(hop), Math.max(0, s.produced() - window));
        if (keepFrom > s.bufferStart) {
            s.buffer = Arrays.copyOfRange(s.buffer, (int) (keepFrom - s.bufferStart), s.buffer.length);
            s.bufferStart = keepFrom;
            pruneGaps(s);
        }
    }

    private static void markGap(WindowerState s, long from, long to) {
        s.gapFrom = Arrays.copyOf(s.gapFrom, s.gapFrom.length + 1);
        s.gapTo = Arrays.copyOf(s.gapTo, s.gapTo.length + 1);
        s.gapFrom[s.gapFrom.length - 1] = from;
        s.gapTo[s.gapTo.length - 1] = to;
    }

    private static boolean overlapsGap(WindowerState s, long start, long end) {
        for (int i = 0; i < s.gapFrom.length; i++) {
            if (s.gapFrom[i] < end && s.gapTo[i] > start) {
                return true;
            }
        }
        return false;
    }

    private static void pruneGaps(WindowerState s) {
        int keep = 0;
        for (int i = 0; i < s.gapFrom.length; i++) {
            if (s.gapTo[i] > s.bufferStart) {
                s.gapFrom[keep] = s.gapFrom[i];
                s.gapTo[keep] = s.gapTo[i];
                keep++;
            }
        }
        s.gapFrom = Arrays.copyOf(s.gapFrom, keep);
        s.gapTo = Arrays.copyOf(s.gapTo, keep);
    }

    private static void append(WindowerState s, float[] samples) {
        if (samples.length == 0) {
            return;
        }
        float[] joined = Arrays.copyOf(s.buffer, s.buffer.length + samples.length);
        System.arraycopy(samples, 0, joined, s.buffer.length, samples.length);
        s.buffer = joined;
    }

    static float[] mixToMono(float[] interleaved, int channels) {
        if (channels == 1) {
            return interleaved;
        }
        float[] mono = new float[interleaved.length / channels];
        for (int i = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i * channels + c];
            }
            mono[i] = sum / channels;
        }
        return mono;
    }

    static float loudnessDbfs(float[] samples) {
        double energy = 0;
        for (float v : samples) {
            energy += (double) v * v;
        }
        if (samples.length == 0 || energy == 0) {
            return SILENCE_DBFS;
        }
        return (float) Math.max(SILENCE_DBFS, 10 * Math.log10(energy / samples.length));
    }
}
