package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.job.HearkenStreamingJob;
import io.hearken.job.JobSettings;
import io.hearken.job.KafkaConnectors;
import io.hearken.ingest.AudioChunker;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.platform.TopicReaders;
import io.hearken.platform.EmbeddedKafkaBroker;
import io.hearken.platform.InProcessSchemaRegistry;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.platform.EmbeddedPlatform;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import io.hearken.sinks.SinksApp;
import io.hearken.sinks.anomaly.AnomalySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machine monitoring on the real pipeline: DCASE2020 Task 2 clips through the broker, the Flink job (machine profile,
 * 1 s windows, 0.5 s hop) and the anomaly sink. Each machine's normal clip enrols its group for its first 5 s and is
 * then monitored; its anomalous clip follows. For fan, slider and valve the anomalous clip must raise an anomaly
 * event and the normal clip's second half none; pump, ToyCar and ToyConveyor are reported.
 */
class AnomalyEndToEndTest {
    private static final List<String> ASSERTED = List.of("fan", "slider", "valve");
    private static final List<String> REPORTED = List.of("pump", "ToyCar", "ToyConveyor");
    private static final String APP_ID = "hearken-sinks-anomaly";

    @TempDir
    Path stateDir;

    @Test
    void anomalousClipsRaiseEventsAndNormalSecondHalvesStayQuiet() throws Exception {
        List<String> machines = new ArrayList<>(ASSERTED);
        machines.addAll(REPORTED);
        Map<String, String> groups = new HashMap<>();
        machines.forEach(m -> {
            groups.put(m + "-normal", m);
            groups.put(m + "-anomaly", m);
        });
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            HearkenTopics topics = EmbeddedPlatform.provisionTopics(broker, registry.url(), 2);
            JobSettings job = JobSettings.defaults(HearkenProcess.SHARED.resolve("models/efficientat-mn04").toString())
                    .withParallelism(2);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2,
                    HearkenStreamingJob.flinkConfiguration(job));
            new HearkenStreamingJob(KafkaConnectors.chunkSource(broker.bootstrapServers(), registry.url(), job),
                    KafkaConnectors.windowSink(broker.bootstrapServers(), registry.url(), job),
                    KafkaConnectors.deadLetterSink(broker.bootstrapServers(), registry.url(), job), job).build(env);
            JobClient jobClient = env.executeAsync("hearken-anomaly-e2e");
            AnomalySettings settings = AnomalySettings.defaults().withEnrolment(0, Duration.ofSeconds(5)).withGroups(groups);
            try (SinksApp sink = SinksApp.anomalies(topics, settings,
                    SinksApp.streamsConfig(broker.bootstrapServers(), registry.url(), APP_ID, stateDir));
                 KafkaConsumer<String, WindowResult> windows = TopicReaders.fromBeginning(broker.bootstrapServers(),
                         topics.windows, "read_committed")) {
                sink.start();
                Instant start = Instant.now();
                // Normal clips first (enrolment, then monitoring of their second halves), anomalous clips after.
                publish(broker, topics, machines, "normal", start);
                awaitEnds(windows, machines, "normal");
                publish(broker, topics, machines, "anomaly", start.plusSeconds(30));
                awaitEnds(windows, machines, "anomaly");
                awaitSinkCaughtUp(broker);
                List<AnomalyEvent> events = readAll(broker, topics);
                for (String m : machines) {
                    long normalOnsets = events.stream().filter(e -> e.getStreamId().equals(m + "-normal")
                            && e.getKind() == EventKind.ONSET).count();
                    long anomalyOnsets = events.stream().filter(e -> e.getStreamId().equals(m + "-anomaly")
                            && e.getKind() == EventKind.ONSET).count();
                    System.out.printf("%-12s anomalous clip: %d anomaly event(s); normal second half: %d%n", m,
                            anomalyOnsets, normalOnsets);
                    if (ASSERTED.contains(m)) {
                        assertThat(anomalyOnsets).as("%s: anomalous clip raises an event", m).isPositive();
                        assertThat(normalOnsets).as("%s: normal second half stays quiet", m).isZero();
                    }
                }
            } finally {
                jobClient.cancel().get();
            }
        }
    }

    private static void publish(EmbeddedKafkaBroker broker, HearkenTopics topics, List<String> machines, String kind,
                                Instant captureStart) throws Exception {
        try (Producer<String, AudioChunk> producer = IngestProducers.create(broker.bootstrapServers(), topics.chunks)) {
            for (String m : machines) {
                Path clip;
                try (Stream<Path> files = Files.list(HearkenProcess.SHARED.resolve("audio/dcase2020t2").resolve(m))) {
                    clip = files.filter(p -> p.getFileName().toString().startsWith(kind + "_")).findFirst().orElseThrow();
                }
                DecodedAudio audio = WavDecoder.decode(clip);
                IngestOptions options = new IngestOptions(Duration.ofMillis(500), IngestOptions.DEFAULT_MAX_CHUNK_BYTES,
                        "machine", captureStart);
                long micros = captureStart.getEpochSecond() * 1_000_000L + captureStart.getNano() / 1000;
                for (AudioChunk c : AudioChunker.chunk(audio, m + "-" + kind, micros, options, SourceMetadata.newBuilder().build())) {
                    producer.send(new ProducerRecord<>(topics.chunks.name(), c.getStreamId(), c));
                }
            }
            producer.flush();
        }
    }

    private static void awaitEnds(KafkaConsumer<String, WindowResult> windows, List<String> machines, String kind) {
        Set<String> pending = new HashSet<>();
        machines.forEach(m -> pending.add(m + "-" + kind));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!pending.isEmpty()) {
            assertThat(System.nanoTime()).as("windows of %s", pending).isLessThan(deadline);
            for (ConsumerRecord<String, WindowResult> r : windows.poll(Duration.ofMillis(200))) {
                if (r.value().getEndOfStream()) {
                    pending.remove(r.value().getStreamId());
                }
            }
        }
    }

    /** The sink has committed everything it reads (windows and its internal repartition topic) up to their ends. */
    private static void awaitSinkCaughtUp(EmbeddedKafkaBroker broker) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP_ID)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                        IsolationLevel.READ_COMMITTED)).all().get();
                boolean windowsSeen = committed.keySet().stream().anyMatch(tp -> tp.topic().equals(TopicNames.AUDIO_WINDOWS));
                if (windowsSeen && committed.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset())) {
                    return;
                }
                assertThat(System.nanoTime()).as("anomaly sink catching up: %s", committed).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    private static List<AnomalyEvent> readAll(EmbeddedKafkaBroker broker, HearkenTopics topics) {
        List<AnomalyEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, AnomalyEvent> consumer = TopicReaders.fromBeginning(broker.bootstrapServers(),
                topics.anomalies, "read_committed")) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
            }
        }
        return events;
    }
}
