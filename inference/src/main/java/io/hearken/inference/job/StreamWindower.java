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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles one stream (keyed by stream id) into sliding analysis windows of 32 kHz mono audio, as the stream's
 * profile says. Chunks are mixed to mono and resampled incrementally, so window boundaries are exact in the
 * 32 kHz domain whatever the chunk sizes.
 *
 * <p>A window is emitted once audio beyond its end has arrived, so that the last window of a finite stream can
 * always carry the end-of-stream mark. At end of stream exactly one final window is emitted: the next regular
 * window if it ends exactly at the end, otherwise the last window-length of audio (or all of it, for streams
 * shorter than a window). State is then cleared.
 *
 * <p>This first version drops duplicate and out-of-order chunks (sequence number already seen) and logs gaps.
 * After the end of a stream only a small marker stays, so that redelivered chunks of the finished stream are
 * dropped instead of starting it again; a processing-time timer clears it after {@link #ENDED_STREAM_RETENTION_MS}.
 * A chunk after the end with a new sequence number starts a new stream.
 */
public final class StreamWindower extends KeyedProcessFunction<String, ChunkEvent, AudioWindow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StreamWindower.class);
    /** Level reported for digital silence: below any real microphone's noise floor. */
    static final float SILENCE_DBFS = -120f;
    /** How long a finished stream's sequence position is remembered: longer than any redelivery after a restart. */
    static final long ENDED_STREAM_RETENTION_MS = 10 * 60 * 1000;

    private final JobSettings settings;
    private final int targetRate;
    private transient ValueState<WindowerState> state;
    private transient Counter chunksIn;
    private transient Counter windowsOut;
    private transient Counter duplicates;
    private transient Counter gaps;

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
        duplicates = metrics.counter("duplicateChunks");
        gaps = metrics.counter("gaps");
    }

    @Override
    public void processElement(ChunkEvent chunk, Context ctx, Collector<AudioWindow> out) throws Exception {
        chunksIn.inc();
        WindowerState s = state.value();
        if (s != null && s.ended && chunk.sequenceNumber >= s.nextSequence) {
            ctx.timerService().deleteProcessingTimeTimer(s.expiresAt); // the id is reused: a new stream begins
            s = null;
        }
        if (s == null) {
            s = start(chunk);
        } else if (chunk.sequenceNumber < s.nextSequence) {
            duplicates.inc();
            LOG.debug("stream {}: dropping chunk {} (expected {} or later)", chunk.streamId, chunk.sequenceNumber, s.nextSequence);
            return;
        } else if (chunk.sequenceNumber > s.nextSequence) {
            gaps.inc();
            LOG.warn("stream {}: chunks {}..{} missing", chunk.streamId, s.nextSequence, chunk.sequenceNumber - 1);
        }
        s.nextSequence = chunk.sequenceNumber + 1;
        Resampler resampler = Resampler.restore(s.resampler);
        if (chunk.sampleRate != s.sampleRate || chunk.channels != s.channels) {
            // Format changed mid-stream: finish the old resampler's tail, continue the stream at the new rate.
            append(s, resampler.flush());
            resampler = new Resampler(chunk.sampleRate, targetRate);
            s.sampleRate = chunk.sampleRate;
            s.channels = chunk.channels;
        }
        float[] mono = mixToMono(Pcm16.fromPcm16le(chunk.pcm16, chunk.streamId), chunk.channels);
        append(s, resampler.process(mono, 0, mono.length));
        StreamProfile profile = settings.profile(s.profile);
        int window = profile.windowSamples(targetRate);
        int hop = profile.hopSamples(targetRate);
        emitCompleteWindows(chunk.streamId, s, window, hop, out);
        if (chunk.endOfStream) {
            append(s, resampler.flush());
            emitCompleteWindows(chunk.streamId, s, window, hop, out);
            emitFinalWindow(chunk.streamId, s, window, hop, out);
            WindowerState ended = new WindowerState();
            ended.ended = true;
            ended.nextSequence = s.nextSequence;
            ended.expiresAt = ctx.timerService().currentProcessingTime() + ENDED_STREAM_RETENTION_MS;
            ctx.timerService().registerProcessingTimeTimer(ended.expiresAt);
            state.update(ended);
            return;
        }
        s.resampler = resampler.snapshot();
        trim(s, window, hop);
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AudioWindow> out) throws Exception {
        WindowerState s = state.value();
        if (s != null && s.ended && s.expiresAt == timestamp) {
            state.clear();
        }
    }

    private WindowerState start(ChunkEvent chunk) {
        WindowerState s = new WindowerState();
        s.sampleRate = chunk.sampleRate;
        s.channels = chunk.channels;
        s.profile = chunk.profile;
        s.nextSequence = chunk.sequenceNumber;
        s.streamStartMicros = chunk.captureTimeMicros;
        s.resampler = new Resampler(chunk.sampleRate, targetRate).snapshot();
        s.buffer = new float[0];
        s.bufferStart = 0;
        s.nextWindowIndex = 0;
        s.source = chunk.source;
        return s;
    }

    private void emitCompleteWindows(String streamId, WindowerState s, int window, int hop, Collector<AudioWindow> out) {
        while (s.nextWindowIndex * hop + window < s.produced()) {
            long start = s.nextWindowIndex * hop;
            emit(streamId, s, start, start + window, false, out);
        }
    }

    private void emitFinalWindow(String streamId, WindowerState s, int window, int hop, Collector<AudioWindow> out) {
        long produced = s.produced();
        long nextStart = s.nextWindowIndex * hop;
        long start = nextStart + window == produced ? nextStart : Math.max(0, produced - window);
        emit(streamId, s, start, produced, true, out);
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
        w.profile = s.profile;
        w.source = s.source;
        windowsOut.inc();
        out.collect(w);
    }

    /** Keeps what the next window and a possible final tail window still need. */
    private static void trim(WindowerState s, int window, int hop) {
        long keepFrom = Math.min(s.nextWindowIndex * hop, Math.max(0, s.produced() - window));
        if (keepFrom > s.bufferStart) {
            s.buffer = Arrays.copyOfRange(s.buffer, (int) (keepFrom - s.bufferStart), s.buffer.length);
            s.bufferStart = keepFrom;
        }
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
