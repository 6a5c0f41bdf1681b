package io.hearken.job;

import io.hearken.inference.engine.StreamProfile;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.dsp.StreamingMelFrontend;
import io.hearken.inference.engine.ModelManifest;
import io.hearken.inference.engine.ModelPackage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns one stream (keyed by stream id, in order from {@link StreamReassembler}) into sliding windows of log-mel
 * frames for the model. Chunks are mixed to mono, resampled to the model's rate and fed to the streaming front end
 * the model's manifest describes, so each frame is computed once however many windows overlap it, and the frames
 * are exactly those of the whole-signal computation whatever the chunk sizes.
 *
 * <p>Windows are spans of frames: window k covers frames [k·hop, k·hop + length). A window is emitted once a frame
 * beyond its end exists, so that the last window of a finite stream can always carry the end-of-stream mark. At the
 * end exactly one final window is emitted: the next regular one if it ends exactly at the last frame, otherwise the
 * last window-length of frames (or all, for streams shorter than a window). State is then cleared.
 *
 * <p>A gap-fill chunk feeds silence and marks the windows overlapping it. A restart (long gap, format change)
 * finishes the current segment's windows and begins afresh at the restarting chunk's capture time.
 */
public final class StreamWindower extends KeyedProcessFunction<String, ChunkEvent, AudioWindow> {
    private static final long serialVersionUID = 1L;
    /** Level reported for digital silence: below any real microphone's noise floor. */
    static final float SILENCE_DBFS = -120f;
    /** Buffered mel values are float32 little-endian in a byte[] (see {@link WindowerState#mel}). */
    private static final VarHandle MEL_VALUE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final JobSettings settings;
    private transient FrontendConfig frontend;
    private transient ValueState<WindowerState> state;
    private transient Counter chunksIn;
    private transient Counter windowsOut;

    public StreamWindower(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        // The front end is the model's, from its manifest alone: only the inference operator holds a session.
        ModelManifest manifest = ModelPackage.locate(Path.of(settings.modelDir())).manifest();
        settings.checkAgainst(manifest);
        frontend = manifest.frontend().toConfig();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("windower", WindowerState.class));
        var metrics = getRuntimeContext().getMetricGroup();
        chunksIn = metrics.counter("chunksIn");
        windowsOut = metrics.counter("windowsOut");
    }

    private int windowFrames(StreamProfile p) {
        return p.windowSamples(frontend.sampleRate()) / frontend.hop();
    }

    private int hopFrames(StreamProfile p) {
        return p.hopSamples(frontend.sampleRate()) / frontend.hop();
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
        StreamingMelFrontend mel = StreamingMelFrontend.restore(frontend, s.frontend);
        if (chunk.gapFillFrames > 0) {
            // Marked on the input timeline: the resampler's output lags its input by the filter's delay.
            long from = resampler.consumed() * frontend.sampleRate() / chunk.sampleRate;
            long to = from + chunk.gapFillFrames * frontend.sampleRate() / chunk.sampleRate;
            feed(s, mel, resampler.process(new float[(int) chunk.gapFillFrames], 0, (int) chunk.gapFillFrames));
            markGap(s, from / frontend.hop(), (to + frontend.hop() - 1) / frontend.hop());
        } else {
            float[] mono = DecodedAudio.mixToMono(Pcm16.fromPcm16le(chunk.pcm16, chunk.streamId), chunk.channels);
            feed(s, mel, resampler.process(mono, 0, mono.length));
        }
        emitCompleteWindows(chunk.streamId, s, out);
        if (chunk.endOfStream) {
            finishSegment(chunk.streamId, s, resampler, mel, out, true);
            state.clear();
            return;
        }
        s.resampler = resampler.snapshot();
        s.frontend = mel.snapshot();
        trim(s);
        state.update(s);
    }

    private void finishSegment(String streamId, WindowerState s, Collector<AudioWindow> out, boolean endOfStream) {
        finishSegment(streamId, s, Resampler.restore(s.resampler), StreamingMelFrontend.restore(frontend, s.frontend),
                out, endOfStream);
    }

    /** Flushes resampler and front end, then emits the segment's remaining windows, ending with its final one. */
    private void finishSegment(String streamId, WindowerState s, Resampler resampler, StreamingMelFrontend mel,
                               Collector<AudioWindow> out, boolean endOfStream) {
        feed(s, mel, resampler.flush());
        mel.finish((frame, column) -> appendFrame(s, column));
        if (s.pendingSamples > 0) {
            appendBlock(s, s.pendingEnergy);
            s.pendingEnergy = 0;
            s.pendingSamples = 0;
        }
        emitCompleteWindows(streamId, s, out);
        StreamProfile p = settings.profile(s.profile);
        long total = s.framesAvailable();
        if (total > 0) {
            long nextStart = s.nextWindowStart(hopFrames(p));
            long start = nextStart + windowFrames(p) == total ? nextStart : Math.max(0, total - windowFrames(p));
            emit(streamId, s, start, total, endOfStream, out);
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
        s.segmentStartMicros = chunk.captureTimeMicros;
        s.resampler = new Resampler(chunk.sampleRate, frontend.sampleRate()).snapshot();
        s.frontend = new StreamingMelFrontend(frontend).snapshot();
        s.source = chunk.source;
        return s;
    }

    /** Model-rate samples into the front end; their energy per frame hop for loudness. */
    private void feed(WindowerState s, StreamingMelFrontend mel, float[] samples) {
        if (samples.length == 0) {
            return;
        }
        int hop = frontend.hop();
        for (float v : samples) {
            s.pendingEnergy += (double) v * v;
            if (++s.pendingSamples == hop) {
                appendBlock(s, s.pendingEnergy);
                s.pendingEnergy = 0;
                s.pendingSamples = 0;
            }
        }
        s.samplesFed += samples.length;
        mel.accept(samples, 0, samples.length, (frame, column) -> appendFrame(s, column));
    }

    private void emitCompleteWindows(String streamId, WindowerState s, Collector<AudioWindow> out) {
        StreamProfile p = settings.profile(s.profile);
        int window = windowFrames(p);
        int hop = hopFrames(p);
        while (s.nextWindowStart(hop) + window < s.framesAvailable()) {
            long start = s.nextWindowStart(hop);
            emit(streamId, s, start, start + window, false, out);
        }
    }

    private void emit(String streamId, WindowerState s, long startFrame, long endFrame, boolean endOfStream,
                      Collector<AudioWindow> out) {
        int bins = frontend.melBins();
        int frames = (int) (endFrame - startFrame);
        int first = (int) (startFrame - s.framesStart);
        AudioWindow w = new AudioWindow();
        w.streamId = streamId;
        w.windowIndex = s.nextWindowIndex++;
        long hop = frontend.hop();
        w.startMicros = s.segmentStartMicros + startFrame * hop * 1_000_000L / frontend.sampleRate();
        w.endMicros = s.segmentStartMicros + Math.min(endFrame * hop, s.samplesFed) * 1_000_000L / frontend.sampleRate();
        w.mel = new byte[bins * frames * Float.BYTES];
        w.frames = frames;
        byte[] buffered = s.mel;
        for (int t = 0; t < frames; t++) { // frame-major columns → the model's [bin][frame] layout
            int column = (first + t) * bins * Float.BYTES;
            for (int b = 0; b < bins; b++) {
                MEL_VALUE.set(w.mel, (b * frames + t) * Float.BYTES, (float) MEL_VALUE.get(buffered, column + b * Float.BYTES));
            }
        }
        double energy = 0;
        long samples = 0;
        for (int t = 0; t < frames && first + t < s.blocks; t++) {
            energy += s.blockEnergy[first + t];
            samples += hop;
        }
        w.loudnessDbfs = energy <= 0 || samples == 0 ? SILENCE_DBFS
                : (float) Math.max(SILENCE_DBFS, 10 * Math.log10(energy / samples));
        w.endOfStream = endOfStream;
        w.gapFilled = overlapsGap(s, startFrame, endFrame);
        w.profile = s.profile;
        w.source = s.source;
        windowsOut.inc();
        out.collect(w);
    }

    private void appendFrame(WindowerState s, float[] column) {
        int frameBytes = column.length * Float.BYTES;
        int base = s.melFrames * frameBytes;
        if (base + frameBytes > s.mel.length) {
            // Room for a window and a few chunks' frames: the steady state never grows it again, and a checkpoint
            // writes the whole array, so no doubling slack.
            int frames = Math.max(windowFrames(settings.profile(s.profile)) + 32, s.melFrames + s.melFrames / 2 + 1);
            s.mel = Arrays.copyOf(s.mel, frames * frameBytes);
        }
        byte[] buffered = s.mel;
        for (int b = 0; b < column.length; b++) {
            MEL_VALUE.set(buffered, base + b * Float.BYTES, column[b]);
        }
        s.melFrames++;
    }

    private static void appendBlock(WindowerState s, double energy) {
        if (s.blocks == s.blockEnergy.length) {
            s.blockEnergy = Arrays.copyOf(s.blockEnergy, Math.max(64, s.blockEnergy.length * 2));
        }
        s.blockEnergy[s.blocks++] = energy;
    }

    /** Keeps the frames the next window and a possible final tail window still need. */
    private void trim(WindowerState s) {
        StreamProfile p = settings.profile(s.profile);
        long keepFrom = Math.min(s.nextWindowStart(hopFrames(p)), Math.max(0, s.framesAvailable() - windowFrames(p)));
        int drop = (int) (keepFrom - s.framesStart);
        if (drop <= 0) {
            return;
        }
        int frameBytes = frontend.melBins() * Float.BYTES;
        System.arraycopy(s.mel, drop * frameBytes, s.mel, 0, (s.melFrames - drop) * frameBytes);
        s.melFrames -= drop;
        int dropBlocks = Math.min(drop, s.blocks);
        System.arraycopy(s.blockEnergy, dropBlocks, s.blockEnergy, 0, s.blocks - dropBlocks);
        s.blocks -= dropBlocks;
        s.framesStart = keepFrom;
        pruneGaps(s);
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
            if (s.gapTo[i] > s.framesStart) {
                s.gapFrom[keep] = s.gapFrom[i];
                s.gapTo[keep] = s.gapTo[i];
                keep++;
            }
        }
        s.gapFrom = Arrays.copyOf(s.gapFrom, keep);
        s.gapTo = Arrays.copyOf(s.gapTo, keep);
    }
}
