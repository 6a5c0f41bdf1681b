package io.hearken.job;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes good chunks on and sends dead letters to a side output. */
public final class DeadLetterRouter extends ProcessFunction<ChunkEnvelope, ChunkEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetterEvent> DEAD_LETTERS = new OutputTag<>("dead-letters") { };

    @Override
    public void processElement(ChunkEnvelope envelope, Context ctx, Collector<ChunkEvent> out) {
        if (envelope.deadLetter != null) {
            ctx.output(DEAD_LETTERS, envelope.deadLetter);
        } else {
            out.collect(envelope.chunk);
        }
    }
}
