package io.hearken.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.MelFrontend;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.inference.engine.WindowPlan;
import io.hearken.ingest.AudioChunker;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.job.HearkenStreamingJob;
import io.hearken.job.JobSettings;
import io.hearken.job.KafkaConnectors;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import io.hearken.sinks.SinksApp;
import io.hearken.sinks.tags.TagRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema-registry outage while streams flow, on the real broker, the in-process registry and the real job on a
 * MiniCluster, with the tag sink: the job meets chunks whose writer schema (a second, compatible AudioChunk
 * version) it has not fetched yet, and the sink starts during the outage, so both must reach the registry. Neither
 * may dead-letter a valid record: both fail and retry, and once the registry is back on the same port every window
 * is produced exactly once and the sink consumes them all. Bad records of the same run still become dead letters:
 * garbage at once, an unknown schema id once the registry can answer that it does not know it.
 */
class RegistryOutageRecoveryTest {
    private static final Path SHARED = Path.of(System.getProperty("hearken.shared.dir", "../../shared"));
    private static final Path MODEL = SHARED.resolve("models/efficientat-mn04");
    private static final String BEFORE = "esc50/cat_3-95694-A-5.wav";
    private static final String DURING = "esc50/alarm_clock_3-120526-B-37.wav";
    private static final int UNKNOWN_SCHEMA_ID = 987_654;
    private static final byte[] GARBAGE = "not a chunk at all".getBytes(StandardCharsets.UTF_8);
    private static final int MODEL_RATE = 32000;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path work;

    @Test
    void aRegistryOutageDelaysValidRecordsButLosesOrDeadLettersNoneAndBadRecordsStillAreDeadLettered() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             InProcessSchemaRegistry registry = InProcessSchemaRegistry.start()) {
            HearkenTopics topics = EmbeddedPlatform.provisionTopics(broker, registry.url(), 2);
            JobSettings settings = JobSettings.defaults(MODEL.toString());
            // Registered while the registry is up; no reader has fetched it yet.
            int v2 = RegistryClients.create(registry.url()).register(
                    ConfluentAvroSerde.subject(TopicNames.AUDIO_CHUNKS, false), new AvroSchema(chunkSchemaV2().toString()));
            Instant start = Instant.now();
            List<AudioChunk> before = chunks(BEFORE, "before", start);
            List<AudioChunk> during = chunks(DURING, "during", start);

            JobClient job = startJob(broker, registry, settings);
            try (KafkaConsumer<String, WindowResult> windows = TopicReaders.fromBeginning(broker.bootstrapServers(), topics.windows, "read_committed");
                 Producer<String, AudioChunk> ingest = IngestProducers.create(broker.bootstrapServers(), topics.chunks);
                 Producer<String, byte[]> raw = rawProducer(broker)) {
                Map<String, List<String>> seen = new HashMap<>();
                Set<String> ended = new HashSet<>();
                for (AudioChunk chunk : before) {
                    ingest.send(new ProducerRecord<>(topics.chunks.name(), chunk.getStreamId(), chunk));
                }
                ingest.flush();
                pollUntil(windows, seen, ended, "before", "the first stream's windows before the outage");

                registry.stop();
                for (AudioChunk chunk : during) {
                    raw.send(new ProducerRecord<>(topics.chunks.name(), chunk.getStreamId(), writtenWith(v2, chunk))).get();
                }
                raw.send(new ProducerRecord<>(topics.chunks.name(), "garbage", GARBAGE)).get();
                byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(UNKNOWN_SCHEMA_ID).putInt(0).array();
                raw.send(new ProducerRecord<>(topics.chunks.name(), "unknown-id", unknownId)).get();
                try (SinksApp sink = SinksApp.tags(new HearkenTopics(RegistryClients.create(registry.url())), TagRules.defaults(),
                        SinksApp.streamsConfig(broker.bootstrapServers(), registry.url(), SinksApp.DEFAULT_APPLICATION_ID,
                                work.resolve("streams")))) {
                    sink.start();
                    // The outage must bite: the job failed and restarted, and a sink thread failed and was replaced.
                    awaitTrue(() -> RestartCounter.restarts() >= 1 && sink.failedStreamThreads() >= 1,
                            () -> "job restarts " + RestartCounter.restarts() + ", failed sink threads " + sink.failedStreamThreads());

                    registry.restart();

                    pollUntil(windows, seen, ended, "during", "the second stream's windows after the outage");
                    assertThat(seen.get("before")).as("windows before the outage, each once")
                            .containsExactlyElementsOf(expectedWindowIds("before", before, start));
                    assertThat(seen.get("during")).as("windows of chunks published during the outage, each once")
                            .containsExactlyElementsOf(expectedWindowIds("during", during, start));
                    assertThat(seen).containsOnlyKeys("before", "during");

                    List<DeadLetter> letters = deadLetters(broker, topics, 2);
                    assertThat(letters).as("only the bad records are dead letters").hasSize(2)
                            .allSatisfy(l -> assertThat(l.getStage()).isEqualTo("job.deserialize"));
                    Map<String, DeadLetter> byKey = letters.stream().collect(Collectors.toMap(
                            l -> StandardCharsets.UTF_8.decode(l.getOriginalKey()).toString(), l -> l));
                    assertThat(byKey).containsOnlyKeys("garbage", "unknown-id");
                    assertThat(byKey.get("garbage").getErrorMessage()).contains("magic byte");
                    assertThat(byKey.get("unknown-id").getErrorMessage()).contains("unknown schema id " + UNKNOWN_SCHEMA_ID);

                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                        awaitTrue(() -> sinkCommittedEverything(admin), () -> "the sink's committed offsets on "
                                + TopicNames.AUDIO_WINDOWS + " reach the end");
                    }
                    assertThat(sink.state()).isEqualTo(KafkaStreams.State.RUNNING);
                    assertThat(tagEventIds(broker, topics)).as("tag events, each once").isNotEmpty().doesNotHaveDuplicates();
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    private JobClient startJob(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, JobSettings settings)
            throws Exception {
        Configuration conf = HearkenStreamingJob.flinkConfiguration(settings);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
        RestartCounter.install(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), conf);
        new HearkenStreamingJob(
                KafkaConnectors.chunkSource(broker.bootstrapServers(), registry.url(), settings),
                KafkaConnectors.windowSink(broker.bootstrapServers(), registry.url(), settings),
                KafkaConnectors.deadLetterSink(broker.bootstrapServers(), registry.url(), settings),
                settings).build(env);
        return env.executeAsync("hearken-registry-outage-test");
    }

    private static List<AudioChunk> chunks(String clip, String streamId, Instant start) {
        DecodedAudio audio = WavDecoder.decode(SHARED.resolve("audio").resolve(clip));
        IngestOptions options = new IngestOptions(IngestOptions.DEFAULT_CHUNK_DURATION, IngestOptions.DEFAULT_MAX_CHUNK_BYTES,
                "default", start);
        return AudioChunker.chunk(audio, streamId, micros(start), options, SourceMetadata.newBuilder().build());
    }

    /** AudioChunk as a newer producer might write it: one more field, with a default (BACKWARD compatible). */
    private static Schema chunkSchemaV2() {
        Schema v1 = AudioChunk.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("gainDb", Schema.create(Schema.Type.FLOAT), "Gain applied at capture.", 0.0f));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    /** The chunk in the Confluent wire format with the v2 writer schema (registered as {@code schemaId}). */
    private static byte[] writtenWith(int schemaId, AudioChunk chunk) throws IOException {
        Schema v2 = chunkSchemaV2();
        GenericRecord record = new GenericData.Record(v2);
        AudioChunk.getClassSchema().getFields().forEach(f -> record.put(f.name(), chunk.get(f.pos())));
        record.put("gainDb", 0.5f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<GenericRecord>(v2).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Producer<String, byte[]> rawProducer(EmbeddedKafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** What the job must produce for a stream: the frame windows of the whole signal (see WindowPlan). */
    private static List<String> expectedWindowIds(String stream, List<AudioChunk> chunks, Instant start) {
        AudioChunk first = chunks.get(0);
        long frames = chunks.stream().mapToLong(c -> c.getSamples().remaining() / (2L * c.getChannels())).sum();
        long at32k = Resampler.outputLength(frames, first.getSampleRate(), MODEL_RATE);
        MelFrontend frontend = new MelFrontend(FrontendConfig.efficientAt());
        List<String> ids = new ArrayList<>();
        for (WindowPlan.Span span : WindowPlan.spans(frontend.framesFor((int) at32k), 200, 100)) {
            ids.add(stream + "@" + (micros(start) + span.start() * 10_000L));
        }
        return ids;
    }

    /** Polls windows (their ids, per stream) until {@code stream}'s end-of-stream window has arrived. */
    private static void pollUntil(KafkaConsumer<String, WindowResult> consumer, Map<String, List<String>> seen,
                                  Set<String> ended, String stream, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!ended.contains(stream)) {
            assertThat(System.nanoTime()).as("timed out waiting for %s; seen %s", what, seen).isLessThan(deadline);
            for (ConsumerRecord<String, WindowResult> r : consumer.poll(Duration.ofMillis(200))) {
                seen.computeIfAbsent(r.value().getStreamId(), k -> new ArrayList<>()).add(r.value().getWindowId());
                if (r.value().getEndOfStream()) {
                    ended.add(r.value().getStreamId());
                }
            }
        }
    }

    /** Checks {@code condition} every {@link #POLL_INTERVAL} until it holds; fails at the deadline. */
    private static void awaitTrue(BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting: %s", state.get()).isLessThan(deadline);
            LockSupport.parkNanos(POLL_INTERVAL.toNanos()); // the interval between checks; the condition decides
        }
    }

    /** Every dead letter committed so far, read until {@code atLeast} arrived or a quiet second passed after that. */
    private static List<DeadLetter> deadLetters(EmbeddedKafkaBroker broker, HearkenTopics topics, int atLeast) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> dlq = TopicReaders.fromBeginning(broker.bootstrapServers(), topics.deadLetters, "read_committed")) {
            readToEnd(dlq, r -> letters.add(r.value()), atLeast);
        }
        return letters;
    }

    private static List<String> tagEventIds(EmbeddedKafkaBroker broker, HearkenTopics topics) {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, TagEvent> tags = TopicReaders.fromBeginning(broker.bootstrapServers(), topics.tags, "read_committed")) {
            readToEnd(tags, r -> ids.add(r.value().getEventId().toString()), 0);
        }
        return ids;
    }

    /** Reads until the consumer's position reaches the committed end of every partition (and {@code atLeast} records). */
    private static <V> void readToEnd(KafkaConsumer<String, V> consumer, Consumer<ConsumerRecord<String, V>> each, int atLeast) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int read = 0;
        while (true) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            boolean atEnd = end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            if (atEnd && read >= atLeast) {
                return;
            }
            assertThat(System.nanoTime()).as("timed out reading to the end (%d read)", read).isLessThan(deadline);
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                each.accept(r);
                read++;
            }
        }
    }

    /** True once the tag sink's group has committed, on every windows partition, the committed end of it. */
    private static boolean sinkCommittedEverything(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(SinksApp.DEFAULT_APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = windowsPartitions(admin).stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            return end.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                    && committed.get(e.getKey()).offset() >= e.getValue().offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading the sink's offsets", e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot read the sink's offsets", e);
        }
    }

    private static List<TopicPartition> windowsPartitions(Admin admin) throws InterruptedException, ExecutionException {
        return admin.describeTopics(List.of(TopicNames.AUDIO_WINDOWS)).allTopicNames().get().get(TopicNames.AUDIO_WINDOWS)
                .partitions().stream().map(p -> new TopicPartition(TopicNames.AUDIO_WINDOWS, p.partition())).toList();
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
