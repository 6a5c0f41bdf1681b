package io.hearken.job;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job: chunks → per-stream reassembly (order, duplicates, gaps, late chunks) → per-stream windows of 32 kHz mono audio → log-mel → model → window records; records
 * that cannot be read go to the dead-letter sink. Source and sinks come from outside, so tests can run the same
 * graph on bounded inputs and production on Kafka.
 */
public final class HearkenStreamingJob {
    private final Source<ChunkEnvelope, ?, ?> source;
    private final Sink<WindowScores> windowSink;
    private final Sink<DeadLetterEvent> deadLetterSink;
    private final JobSettings settings;

    public HearkenStreamingJob(Source<ChunkEnvelope, ?, ?> source, Sink<WindowScores> windowSink,
                               Sink<DeadLetterEvent> deadLetterSink, JobSettings settings) {
        this.source = source;
        this.windowSink = windowSink;
        this.deadLetterSink = deadLetterSink;
        this.settings = settings;
    }

    /** Backoff between restarts after a retriable failure: quick after a blip, at most this during an outage. */
    static final Duration RESTART_INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration RESTART_MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * Flink settings the job relies on: no Kryo fallback (every type is a checked POJO), periodic checkpoints, and
     * restarts without limit: a retriable failure (schema registry or broker unavailable) fails the job, which
     * restarts from its last checkpoint until the dependency is back (see JobFailures for the errors that stop it).
     */
    public static Configuration flinkConfiguration(JobSettings settings) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true); // operators never hold or mutate records they emitted
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, RESTART_INITIAL_BACKOFF);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, RESTART_MAX_BACKOFF);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        return conf;
    }

    /** Adds the job to {@code env}, after {@link JobSettings#checkRunnable() checking} what can fail before it runs. */
    public void build(StreamExecutionEnvironment env) {
        settings.checkRunnable();
        ReassemblySettings reassembly = settings.reassembly();
        // Event time is the capture time; idle partitions must not hold back the streams of the others.
        WatermarkStrategy<ChunkEnvelope> watermarks = WatermarkStrategy
                .<ChunkEnvelope>forBoundedOutOfOrderness(reassembly.reorderBound())
                .withTimestampAssigner((e, kafkaTimestamp) -> e.chunk != null ? e.chunk.captureTimeMicros / 1000 : kafkaTimestamp)
                .withIdleness(reassembly.idleTimeout());
        SingleOutputStreamOperator<ChunkEvent> chunks = env
                .fromSource(source, watermarks, "audio-chunks").uid("audio-chunks")
                .process(new DeadLetterRouter()).name("route-dead-letters").uid("route-dead-letters");
        SingleOutputStreamOperator<ChunkEvent> ordered = chunks
                .keyBy(c -> c.streamId, Types.STRING)
                .process(new StreamReassembler(reassembly)).name("stream-reassembler").uid("stream-reassembler");
        chunks.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(ordered.getSideOutput(StreamReassembler.LATE_CHUNKS))
                .sinkTo(deadLetterSink).name("dead-letters").uid("dead-letters");
        // Still partitioned by stream id: the windower reuses the reassembler's partitioning, no second shuffle.
        SingleOutputStreamOperator<AudioWindow> windows = DataStreamUtils.reinterpretAsKeyedStream(ordered, c -> c.streamId, Types.STRING)
                .process(new StreamWindower(settings)).name("stream-windower").uid("stream-windower");
        // Ordered async I/O: windows of all streams in the task share model batches; each stream keeps its order.
        AsyncDataStream.orderedWait(windows, new BatchedWindowInference(settings), settings.inferenceTimeout().toMillis(),
                        TimeUnit.MILLISECONDS, settings.inFlightWindows())
                .name("window-inference").uid("window-inference")
                .sinkTo(windowSink).name("audio-windows").uid("audio-windows");
    }
}
