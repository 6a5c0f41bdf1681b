package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.MelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.job.HearkenStreamingJob;
import io.hearken.job.JobSettings;
import io.hearken.job.KafkaConnectors;
import io.hearken.inference.engine.WindowPlan;
import io.hearken.ingest.AudioChunker;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.platform.TopicReaders;
import io.hearken.platform.EmbeddedKafkaBroker;
import io.hearken.platform.InProcessSchemaRegistry;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.platform.EmbeddedPlatform;
import io.hearken.schemas.topics.HearkenTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the job is cancelled mid-stream without a savepoint while microphones keep
 * publishing, then restored from its last retained checkpoint. A read_committed consumer must see every expected
 * window exactly once — nothing lost, nothing repeated.
 */
class ExactlyOnceRecoveryTest {
    private static final List<String> CLIPS = List.of("esc50/cat_3-95694-A-5.wav", "esc50/alarm_clock_3-120526-B-37.wav",
            "esc50/coughing_1-58792-A-24.wav", "esc50/thunder_3-144891-B-19.wav");
    private static final int MODEL_RATE = 32000;

    @TempDir
    Path checkpoints;

    @Test
    void aCrashAndRestoreFromCheckpointLosesAndRepeatsNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            HearkenTopics topics = EmbeddedPlatform.provisionTopics(broker, registry.url(), 2);
            JobSettings settings = JobSettings.defaults(HearkenProcess.SHARED.resolve("models/efficientat-mn04").toString());

            // Microphones: each clip twice in a row (10 s), published at real-time pace on its own thread.
            Instant start = Instant.now();
            Map<String, List<AudioChunk>> streams = new HashMap<>();
            for (String clip : CLIPS) {
                DecodedAudio once = WavDecoder.decode(HearkenProcess.SHARED.resolve("audio").resolve(clip));
                float[] twice = new float[once.interleaved().length * 2];
                System.arraycopy(once.interleaved(), 0, twice, 0, once.interleaved().length);
                System.arraycopy(once.interleaved(), 0, twice, once.interleaved().length, once.interleaved().length);
                DecodedAudio audio = new DecodedAudio(once.sampleRate(), once.channels(), twice);
                String id = Path.of(clip).getFileName().toString().replace(".wav", "");
                streams.put(id, AudioChunker.chunk(audio, id, micros(start), new IngestOptions(Duration.ofMillis(500),
                        IngestOptions.DEFAULT_MAX_CHUNK_BYTES, "default", start), SourceMetadata.newBuilder().build()));
            }
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishInRealTime(broker, topics, streams, start));

            JobClient first = startJob(broker, registry, settings, Optional.empty());
            try (KafkaConsumer<String, WindowResult> windows = TopicReaders.fromBeginning(broker.bootstrapServers(), topics.windows, "read_committed")) {
                Map<String, List<WindowResult>> seen = new HashMap<>();
                // Crash only once windows are committed and a checkpoint is retained, mid-stream.
                pollUntil(windows, seen, () -> total(seen) >= 6 && latestCheckpoint().isPresent(), Duration.ofMinutes(3));
                assertThat(publishing).as("still publishing at the crash").isNotDone();
                first.cancel().get(1, TimeUnit.MINUTES);
                Path restoreFrom = latestCheckpoint().orElseThrow();

                JobClient second = startJob(broker, registry, settings, Optional.of(restoreFrom));
                try {
                    publishing.get(2, TimeUnit.MINUTES);
                    pollUntil(windows, seen, () -> seen.values().stream().filter(l -> l.stream().anyMatch(WindowResult::getEndOfStream)).count()
                            == streams.size(), Duration.ofMinutes(3));
                } finally {
                    second.cancel().get(1, TimeUnit.MINUTES);
                }

                for (Map.Entry<String, List<AudioChunk>> stream : streams.entrySet()) {
                    List<String> expected = expectedWindowIds(stream.getKey(), stream.getValue(), micros(start));
                    List<String> actual = seen.get(stream.getKey()).stream().map(WindowResult::getWindowId).toList();
                    assertThat(actual).as("windows of %s, in order, each exactly once", stream.getKey())
                            .containsExactlyElementsOf(expected);
                }
            }
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** What the job must produce for a stream: the frame windows of the whole signal (see WindowPlan). */
    private static List<String> expectedWindowIds(String stream, List<AudioChunk> chunks, long startMicros) {
        AudioChunk first = chunks.get(0);
        long frames = chunks.stream().mapToLong(c -> c.getSamples().remaining() / (2L * c.getChannels())).sum();
        long at32k = Resampler.outputLength(frames, first.getSampleRate(), MODEL_RATE);
        MelFrontend frontend = new MelFrontend(FrontendConfig.efficientAt());
        List<String> ids = new ArrayList<>();
        for (WindowPlan.Span span : WindowPlan.spans(frontend.framesFor((int) at32k), 200, 100)) {
            ids.add(stream + "@" + (startMicros + span.start() * 10_000L));
        }
        return ids;
    }

    private static void publishInRealTime(EmbeddedKafkaBroker broker, HearkenTopics topics,
                                          Map<String, List<AudioChunk>> streams, Instant start) {
        List<AudioChunk> all = new ArrayList<>();
        streams.values().forEach(all::addAll);
        all.sort((a, b) -> Long.compare(a.getCaptureTimeMicros(), b.getCaptureTimeMicros()));
        try (Producer<String, AudioChunk> producer = IngestProducers.create(broker.bootstrapServers(), topics.chunks)) {
            for (AudioChunk chunk : all) {
                // Pacing, not synchronisation: a chunk is sent when a microphone would have captured it.
                long dueNanos = (chunk.getCaptureTimeMicros() - micros(start)) * 1000 + 500_000_000L;
                long waitNanos = dueNanos - Duration.between(start, Instant.now()).toNanos();
                if (waitNanos > 0) {
                    LockSupport.parkNanos(waitNanos);
                }
                producer.send(new ProducerRecord<>(topics.chunks.name(), chunk.getStreamId(), chunk));
            }
            producer.flush();
        }
    }

    private JobClient startJob(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, JobSettings settings,
                               Optional<Path> restoreFrom) throws Exception {
        Configuration conf = HearkenStreamingJob.flinkConfiguration(settings);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        restoreFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        new HearkenStreamingJob(
                KafkaConnectors.chunkSource(broker.bootstrapServers(), registry.url(), settings),
                KafkaConnectors.windowSink(broker.bootstrapServers(), registry.url(), settings),
                KafkaConnectors.deadLetterSink(broker.bootstrapServers(), registry.url(), settings),
                settings).build(env);
        return env.executeAsync("hearken-recovery-test");
    }

    /** The newest completed checkpoint (a chk-N folder with its metadata) under the checkpoint directory. */
    private Optional<Path> latestCheckpoint() {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max((a, b) -> Long.compare(checkpointNumber(a), checkpointNumber(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long checkpointNumber(Path chk) {
        return Long.parseLong(chk.getFileName().toString().substring("chk-".length()));
    }

    private static void pollUntil(KafkaConsumer<String, WindowResult> consumer, Map<String, List<WindowResult>> seen,
                                  java.util.function.BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting; seen %s", counts(seen)).isLessThan(deadline);
            for (ConsumerRecord<String, WindowResult> r : consumer.poll(Duration.ofMillis(200))) {
                seen.computeIfAbsent(r.value().getStreamId(), k -> new ArrayList<>()).add(r.value());
            }
        }
    }

    private static int total(Map<String, List<WindowResult>> seen) {
        return seen.values().stream().mapToInt(List::size).sum();
    }

    private static Map<String, Integer> counts(Map<String, List<WindowResult>> seen) {
        Map<String, Integer> counts = new HashMap<>();
        seen.forEach((k, v) -> counts.put(k, v.size()));
        return counts;
    }

}
