package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamReassemblerTest {
    /** 0.5 s chunks of 16 kHz mono PCM16. */
    private static final int FRAMES = 8000;
    private static final long CHUNK_MICROS = 500_000;
    private static final ReassemblySettings SETTINGS = new ReassemblySettings(Duration.ofSeconds(2), 4,
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    private KeyedOneInputStreamOperatorTestHarness<String, ChunkEvent, ChunkEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StreamReassembler(SETTINGS)), c -> c.streamId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static ChunkEvent chunk(String stream, long seq) {
        ChunkEvent c = new ChunkEvent();
        c.streamId = stream;
        c.sequenceNumber = seq;
        c.captureTimeMicros = 10_000_000L + seq * CHUNK_MICROS;
        c.sampleRate = 16000;
        c.channels = 1;
        c.pcm16 = new byte[FRAMES * 2];
        c.profile = "default";
        c.source = new SourceInfo();
        c.kafkaTopic = "hearken.audio.chunks";
        c.kafkaOffset = 100 + seq;
        return c;
    }

    private void send(ChunkEvent c) throws Exception {
        harness.processElement(new StreamRecord<>(c, c.captureTimeMicros / 1000));
    }

    private List<Long> emittedSequences() {
        return harness.extractOutputValues().stream().map(c -> c.sequenceNumber).toList();
    }

    /** Ends the stream and checks that, once the ended marker expires, no state or timer is left. */
    private void endAndAssertNothingLeaks(String stream, long seq) throws Exception {
        ChunkEvent last = chunk(stream, seq);
        last.endOfStream = true;
        send(last);
        harness.setProcessingTime(harness.getProcessingTime() + StreamReassembler.ENDED_STREAM_RETENTION_MS + 1);
        assertThat(harness.numKeyedStateEntries()).as("keyed state left").isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).as("timers left").isZero();
    }

    @Test
    void outOfOrderWithinTheBoundIsPutBackInOrder() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 2));
        send(chunk("s", 3));
        assertThat(emittedSequences()).containsExactly(0L);
        send(chunk("s", 1));
        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(harness.extractOutputValues()).noneMatch(c -> c.restart || c.gapFillFrames > 0);
        endAndAssertNothingLeaks("s", 4);
    }

    @Test
    void duplicatesAreDroppedWhetherEmittedOrHeld() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 0));
        send(chunk("s", 2));
        send(chunk("s", 2));
        send(chunk("s", 1));
        send(chunk("s", 1));
        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L);
        assertThat(harness.getSideOutput(StreamReassembler.LATE_CHUNKS)).isNullOrEmpty();
        endAndAssertNothingLeaks("s", 3);
    }

    @Test
    void aGapIsFilledWithSilenceOnceTheWatermarkPassesTheBound() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 2)); // 1 is missing
        harness.processWatermark(chunk("s", 2).captureTimeMicros / 1000 - 1);
        assertThat(emittedSequences()).containsExactly(0L);
        harness.processWatermark(chunk("s", 2).captureTimeMicros / 1000);

        List<ChunkEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(c -> c.sequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(out.get(1).gapFillFrames).isEqualTo(FRAMES);
        assertThat(out.get(1).pcm16).isEmpty();
        assertThat(out.get(1).captureTimeMicros).isEqualTo(chunk("s", 1).captureTimeMicros);
        assertThat(out.get(2).restart).isFalse();
        endAndAssertNothingLeaks("s", 3);
    }

    @Test
    void aGapLongerThanTheMaximumRestartsTheStream() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 40)); // 20 s of chunks missing > 5 s
        harness.processWatermark(chunk("s", 40).captureTimeMicros / 1000);

        List<ChunkEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(c -> c.sequenceNumber).containsExactly(0L, 40L);
        assertThat(out.get(1).restart).isTrue();
        endAndAssertNothingLeaks("s", 41);
    }

    @Test
    void overflowingTheHeldChunksGivesUpWithoutWaitingForTheClock() throws Exception {
        send(chunk("s", 0));
        for (long seq = 2; seq <= 6; seq++) { // 5 held > 4 allowed
            send(chunk("s", seq));
        }
        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(harness.extractOutputValues().get(1).gapFillFrames).isEqualTo(FRAMES);
        endAndAssertNothingLeaks("s", 7);
    }

    @Test
    void aStoppedStreamCannotHoldChunksForeverWhenEventTimeStandsStill() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 2));
        harness.setProcessingTime(harness.getProcessingTime() + 2 * SETTINGS.reorderBound().toMillis());
        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L);
        endAndAssertNothingLeaks("s", 3);
    }

    @Test
    void aLateChunkGoesToTheDeadLetterOutputWithTheReason() throws Exception {
        send(chunk("s", 0));
        send(chunk("s", 2));
        harness.processWatermark(chunk("s", 2).captureTimeMicros / 1000);
        send(chunk("s", 1)); // arrives after its gap was filled

        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L); // the 1 is the gap fill, not the late chunk
        var late = harness.getSideOutput(StreamReassembler.LATE_CHUNKS);
        assertThat(late).hasSize(1);
        DeadLetterEvent letter = late.peek().getValue();
        assertThat(letter.stage).isEqualTo("job.reassemble");
        assertThat(letter.originalOffset).isEqualTo(101);
        assertThat(letter.errorMessage).contains("stream s").contains("chunk 1").contains("after its gap");
        endAndAssertNothingLeaks("s", 3);
    }

    @Test
    void aSampleRateChangeRestartsCleanly() throws Exception {
        send(chunk("s", 0));
        ChunkEvent changed = chunk("s", 1);
        changed.sampleRate = 48000;
        changed.pcm16 = new byte[24000 * 2];
        send(changed);
        send(chunk("s", 2));

        List<ChunkEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(c -> c.restart).containsExactly(false, true, true);
        endAndAssertNothingLeaks("s", 3);
    }

    @Test
    void streamsAreReassembledIndependently() throws Exception {
        send(chunk("a", 0));
        send(chunk("b", 1));
        send(chunk("a", 1));
        send(chunk("b", 0));
        // A stream starts at the first sequence number seen: b's 0 came after b's 1 had started the stream.
        assertThat(harness.extractOutputValues()).extracting(c -> c.streamId + c.sequenceNumber)
                .containsExactly("a0", "b1", "a1");
        ChunkEvent endOfB = chunk("b", 2);
        endOfB.endOfStream = true;
        send(endOfB);
        endAndAssertNothingLeaks("a", 2);
    }

    @Test
    void redeliveryAfterTheEndIsDroppedButANewStreamUnderTheSameIdStarts() throws Exception {
        send(chunk("s", 0));
        ChunkEvent end = chunk("s", 1);
        end.endOfStream = true;
        send(end);
        send(chunk("s", 0)); // redelivered
        send(end);           // redelivered
        assertThat(emittedSequences()).containsExactly(0L, 1L);
        send(chunk("s", 2)); // the source goes on numbering: a new stream
        assertThat(emittedSequences()).containsExactly(0L, 1L, 2L);
        endAndAssertNothingLeaks("s", 3);
    }
}
