package io.hearken.inference.job;

import io.hearken.featurizer.FrontendConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job: chunks → per-stream windows of 32 kHz mono audio → log-mel → model → window records; records
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

    /** Flink settings the job relies on: no Kryo fallback (every type is a checked POJO) and periodic checkpoints. */
    public static Configuration flinkConfiguration(JobSettings settings) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true); // operators never hold or mutate records they emitted
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        return conf;
    }

    public void build(StreamExecutionEnvironment env) {
        int modelRate = FrontendConfig.efficientAt().sampleRate();
        SingleOutputStreamOperator<ChunkEvent> chunks = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "audio-chunks").uid("audio-chunks")
                .process(new DeadLetterRouter()).name("route-dead-letters").uid("route-dead-letters");
        chunks.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .sinkTo(deadLetterSink).name("dead-letters").uid("dead-letters");
        chunks.keyBy(c -> c.streamId, Types.STRING)
                .process(new StreamWindower(settings, modelRate)).name("stream-windower").uid("stream-windower")
                .map(new WindowInference(settings)).name("window-inference").uid("window-inference")
                .sinkTo(windowSink).name("audio-windows").uid("audio-windows");
    }
}
