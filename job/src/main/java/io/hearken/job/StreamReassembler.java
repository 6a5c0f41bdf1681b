package io.hearken.job;

import io.hearken.error.HearkenException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Puts one stream's chunks (keyed by stream id) back in sequence order before analysis.
 *
 * <ul>
 *   <li>In order: passed on at once, followed by any held chunks it unblocks.</li>
 *   <li>Ahead of a missing one: held (at most {@code maxReorderChunks}) until the missing chunk arrives, or until
 *       the watermark passes the held chunk's capture time (the reorder bound, in event time), or the held count
 *       overflows, or — so that a stream that stopped cannot hold chunks forever — a processing-time timeout of
 *       twice the bound passes.</li>
 *   <li>Giving up on missing chunks: a gap up to {@code maxGapFill} is replaced by a silent gap-fill chunk; a longer
 *       (or unmeasurable) gap restarts the stream's analysis at the next chunk.</li>
 *   <li>Already seen sequence numbers: dropped as duplicates; those inside a range given up as missing are late and
 *       go to the dead-letter side output with the reason.</li>
 *   <li>Sample rate or channel change: the chunk is flagged to restart analysis cleanly.</li>
 *   <li>End of stream: state shrinks to a marker that recognises redeliveries, cleared by a timer.</li>
 * </ul>
 */
public final class StreamReassembler extends KeyedProcessFunction<String, ChunkEvent, ChunkEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetterEvent> LATE_CHUNKS = new OutputTag<>("late-chunks") { };
    static final String STAGE = "job.reassemble";
    /** How many skipped ranges are remembered to tell late chunks from duplicates. */
    static final int SKIPPED_RANGES = 16;
    static final long ENDED_STREAM_RETENTION_MS = 10 * 60 * 1000;

    private final ReassemblySettings settings;
    private transient ValueState<ReassemblerState> state;
    private transient MapState<Long, ChunkEvent> held;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter gapsFilled;
    private transient Counter restarts;

    public StreamReassembler(ReassemblySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("reassembler", ReassemblerState.class));
        held = getRuntimeContext().getMapState(new MapStateDescriptor<>("held-chunks", Types.LONG,
                TypeInformation.of(ChunkEvent.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter("duplicateChunks");
        late = metrics.counter("lateChunks");
        gapsFilled = metrics.counter("gapsFilled");
        restarts = metrics.counter("streamRestarts");
    }

    @Override
    public void processElement(ChunkEvent chunk, Context ctx, Collector<ChunkEvent> out) throws Exception {
        ReassemblerState s = state.value();
        if (s != null && s.ended && chunk.sequenceNumber >= s.nextSequence) {
            ctx.timerService().deleteProcessingTimeTimer(s.expiresAt); // the id is reused by a new stream
            s = null;
        }
        if (s == null) {
            s = new ReassemblerState();
            s.nextSequence = chunk.sequenceNumber;
            s.sampleRate = chunk.sampleRate;
            s.channels = chunk.channels;
            s.expectedCaptureMicros = chunk.captureTimeMicros;
        }
        if (chunk.sequenceNumber < s.nextSequence) {
            if (wasSkipped(s, chunk.sequenceNumber)) {
                late.inc();
                ctx.output(LATE_CHUNKS, DeadLetterEvent.of(chunk.kafkaTopic, chunk.kafkaPartition, chunk.kafkaOffset,
                        null, null, STAGE, HearkenException.badInput("stream " + chunk.streamId + ": chunk "
                                + chunk.sequenceNumber + " arrived after its gap was given up (reorder bound "
                                + settings.reorderBound().toMillis() + " ms, " + settings.maxReorderChunks() + " chunks)")));
            } else {
                duplicates.inc();
            }
            state.update(s);
            return;
        }
        if (chunk.sequenceNumber == s.nextSequence) {
            emitInOrder(s, chunk, ctx, out);
            drain(s, ctx, out);
        } else if (!held.contains(chunk.sequenceNumber)) {
            held.put(chunk.sequenceNumber, chunk);
            s.held++;
            if (s.held > settings.maxReorderChunks()) {
                giveUpOnMissing(s, ctx, out);
            } else {
                armTimers(s, ctx);
            }
        } else {
            duplicates.inc();
        }
        save(s, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChunkEvent> out) throws Exception {
        ReassemblerState s = state.value();
        if (s == null) {
            return;
        }
        if (s.ended) {
            if (timestamp == s.expiresAt) {
                state.clear();
            }
            return;
        }
        boolean due = timestamp == s.eventTimer || timestamp == s.processingTimer;
        if (due && s.held > 0) {
            giveUpOnMissing(s, ctx, out);
            save(s, ctx);
        }
    }

    /** Emits a chunk whose sequence number is the next expected one. */
    private void emitInOrder(ReassemblerState s, ChunkEvent chunk, Context ctx, Collector<ChunkEvent> out) {
        if (chunk.sampleRate != s.sampleRate || chunk.channels != s.channels) {
            chunk.restart = true;
            restarts.inc();
            s.sampleRate = chunk.sampleRate;
            s.channels = chunk.channels;
        }
        long frames = chunk.pcm16.length / (2L * chunk.channels);
        s.expectedCaptureMicros = chunk.captureTimeMicros + frames * 1_000_000L / chunk.sampleRate;
        s.nextSequence = chunk.sequenceNumber + 1;
        out.collect(chunk);
        if (chunk.endOfStream) {
            s.ended = true;
        }
    }

    private void drain(ReassemblerState s, Context ctx, Collector<ChunkEvent> out) throws Exception {
        while (!s.ended && s.held > 0) {
            ChunkEvent next = held.get(s.nextSequence);
            if (next == null) {
                return;
            }
            held.remove(s.nextSequence);
            s.held--;
            emitInOrder(s, next, ctx, out);
        }
    }

    /** The missing chunks before the oldest held one are given up: fill the gap with silence or restart. */
    private void giveUpOnMissing(ReassemblerState s, Context ctx, Collector<ChunkEvent> out) throws Exception {
        long first = Long.MAX_VALUE;
        for (Long seq : held.keys()) {
            first = Math.min(first, seq);
        }
        // Taken out before flagging: with a serializing state backend, a re-read would lose the flag.
        ChunkEvent resume = held.get(first);
        held.remove(first);
        s.held--;
        long gapMicros = resume.captureTimeMicros - s.expectedCaptureMicros;
        if (gapMicros > 0 && gapMicros <= settings.maxGapFill().toNanos() / 1000) {
            ChunkEvent fill = new ChunkEvent();
            fill.streamId = resume.streamId;
            fill.sequenceNumber = s.nextSequence;
            fill.captureTimeMicros = s.expectedCaptureMicros;
            fill.sampleRate = s.sampleRate;
            fill.channels = s.channels;
            fill.pcm16 = new byte[0];
            fill.gapFillFrames = Math.round(gapMicros * (double) s.sampleRate / 1_000_000L);
            fill.profile = resume.profile;
            fill.source = resume.source;
            fill.kafkaTopic = resume.kafkaTopic;
            gapsFilled.inc();
            out.collect(fill);
        } else {
            resume.restart = true;
            restarts.inc();
        }
        remember(s, s.nextSequence, first);
        s.nextSequence = first;
        emitInOrder(s, resume, ctx, out);
        drain(s, ctx, out);
    }

    private void armTimers(ReassemblerState s, Context ctx) throws Exception {
        if (s.eventTimer != Long.MIN_VALUE) {
            return; // already waiting for the oldest gap
        }
        long oldestHeldMillis = Long.MAX_VALUE;
        for (ChunkEvent c : held.values()) {
            oldestHeldMillis = Math.min(oldestHeldMillis, c.captureTimeMicros / 1000);
        }
        s.eventTimer = oldestHeldMillis;
        ctx.timerService().registerEventTimeTimer(s.eventTimer);
        s.processingTimer = ctx.timerService().currentProcessingTime() + 2 * Math.max(1, settings.reorderBound().toMillis());
        ctx.timerService().registerProcessingTimeTimer(s.processingTimer);
    }

    /** Writes the state back, clearing timers that no longer guard anything and shrinking an ended stream. */
    private void save(ReassemblerState s, Context ctx) throws Exception {
        if (s.held == 0 || s.ended) {
            if (s.eventTimer != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(s.eventTimer);
                s.eventTimer = Long.MIN_VALUE;
            }
            if (s.processingTimer != Long.MIN_VALUE) {
                ctx.timerService().deleteProcessingTimeTimer(s.processingTimer);
                s.processingTimer = Long.MIN_VALUE;
            }
        } else if (s.eventTimer == Long.MIN_VALUE) {
            armTimers(s, ctx);
        }
        if (s.ended && s.expiresAt == 0) {
            held.clear();
            s.held = 0;
            s.expiresAt = ctx.timerService().currentProcessingTime() + ENDED_STREAM_RETENTION_MS;
            ctx.timerService().registerProcessingTimeTimer(s.expiresAt);
        }
        state.update(s);
    }

    private static boolean wasSkipped(ReassemblerState s, long seq) {
        for (int i = 0; i < s.skippedFrom.length; i++) {
            if (seq >= s.skippedFrom[i] && seq < s.skippedTo[i]) {
                return true;
            }
        }
        return false;
    }

    private static void remember(ReassemblerState s, long from, long to) {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < s.skippedFrom.length; i++) {
            ranges.add(new long[] {s.skippedFrom[i], s.skippedTo[i]});
        }
        ranges.add(new long[] {from, to});
        while (ranges.size() > SKIPPED_RANGES) {
            ranges.remove(0);
        }
        s.skippedFrom = ranges.stream().mapToLong(r -> r[0]).toArray();
        s.skippedTo = ranges.stream().mapToLong(r -> r[1]).toArray();
    }

}
