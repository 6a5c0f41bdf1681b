package io.hearken.job;

import io.hearken.inference.engine.WindowPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.WindowAnalyzer;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.AudioEncoding;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.TopicNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole job on a MiniCluster at parallelism 2, on 20 interleaved real recordings: every window equals what the offline path
 * (whole-file resample → whole-file log-mel → the same frame windows → the model) computes, and poison records become dead letters.
 */
class HearkenStreamingJobTest {
    private static final String REGISTRY_URL = "mock://HearkenStreamingJobTest";
    private static final Path SHARED = Path.of(System.getProperty("hearken.shared.dir", "../../shared"));
    private static final Path MODEL = SHARED.resolve("models/efficientat-mn04");
    /** Two groups of interleaved streams, one per source split, as Kafka partitions would carry them. */
    private static final List<List<String>> GROUPS = List.of(
            List.of("esc50/cat_3-95694-A-5.wav", "esc50/alarm_clock_3-120526-B-37.wav", "esc50/car_horn_1-24074-A-43.wav",
                    "esc50/thunder_3-144891-B-19.wav", "us8k/100263-2-0-117.wav", "us8k/100648-1-0-0.wav",
                    "us8k/100852-0-0-0.wav", "us8k/101848-9-0-0.wav", "dcase2020t2/valve/anomaly_id_00_00000000.wav",
                    "dcase2020t2/fan/normal_id_00_00000000.wav"),
            List.of("esc50/coughing_1-58792-A-24.wav", "us8k/102853-8-0-0.wav", "us8k/100032-3-0-0.wav",
                    "us8k/102305-6-0-0.wav", "us8k/102857-5-0-0.wav", "us8k/103074-7-0-0.wav", "us8k/103199-4-0-0.wav",
                    "dcase2020t2/pump/normal_id_00_00000000.wav", "dcase2020t2/slider/anomaly_id_00_00000000.wav",
                    "clotho/Flipping_Pages.wav"));

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    /** Turns record index i into what the Kafka source would: the same deserializer on the same bytes. */
    static final class RecordGenerator implements GeneratorFunction<Long, ChunkEnvelope> {
        private static final long serialVersionUID = 1L;
        private final byte[][] keys;
        private final byte[][] values;
        private final Set<String> profiles;
        private transient ChunkDeserializer deserializer;

        RecordGenerator(byte[][] keys, byte[][] values, Set<String> profiles) {
            this.keys = keys;
            this.values = values;
            this.profiles = Set.copyOf(profiles);
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            deserializer = new ChunkDeserializer(REGISTRY_URL, profiles);
            deserializer.open(null);
        }

        @Override
        public ChunkEnvelope map(Long index) {
            List<ChunkEnvelope> out = new ArrayList<>(1);
            int i = index.intValue();
            deserializer.deserialize(new ConsumerRecord<>(TopicNames.AUDIO_CHUNKS, 0, i, keys[i], values[i]),
                    new org.apache.flink.util.Collector<>() {
                        @Override
                        public void collect(ChunkEnvelope record) {
                            out.add(record);
                        }

                        @Override
                        public void close() {
                        }
                    });
            return out.get(0);
        }
    }

    /** Clip names repeat across DCASE machine types, so the id keeps the folders. */
    private static String streamId(String clip) {
        return clip.replace(".wav", "").replace('/', '_');
    }

    private static List<AudioChunk> chunksOf(String clip) {
        DecodedAudio audio = WavDecoder.decode(SHARED.resolve("audio").resolve(clip));
        String stream = streamId(clip);
        int frames = audio.sampleRate() / 3; // odd-sized chunks on purpose
        List<AudioChunk> chunks = new ArrayList<>();
        for (int first = 0, seq = 0; first < audio.frames(); first += frames, seq++) {
            int n = Math.min(frames, audio.frames() - first);
            float[] slice = Arrays.copyOfRange(audio.interleaved(), first * audio.channels(), (first + n) * audio.channels());
            chunks.add(AudioChunk.newBuilder().setStreamId(stream).setSequenceNumber(seq).setCaptureTimeMicros(0)
                    .setSampleRate(audio.sampleRate()).setChannels(audio.channels()).setEncoding(AudioEncoding.PCM_S16LE)
                    .setSamples(ByteBuffer.wrap(Pcm16.toPcm16le(slice))).setEndOfStream(first + n >= audio.frames())
                    .setSource(SourceMetadata.newBuilder().setDevice(clip).build()).build());
        }
        return chunks;
    }

    /** Bad records of every kind the source can meet: not Avro, unknown schema id, impossible field values. */
    private static byte[][] poison(ConfluentAvroSerde<AudioChunk> serde, int n) {
        AudioChunk valid = chunksOf("esc50/cat_3-95694-A-5.wav").get(0);
        return switch (n % 5) {
            case 0 -> new byte[][] {"junk".getBytes(), "not avro".getBytes()};
            case 1 -> new byte[][] {null, new byte[] {0, 0, 0, 0x7f, 0x7f, 1}};
            case 2 -> new byte[][] {"x".getBytes(), serde.serialize(TopicNames.AUDIO_CHUNKS,
                    AudioChunk.newBuilder(valid).setStreamId("x").setSampleRate(1000).build())};
            case 3 -> new byte[][] {"y".getBytes(), serde.serialize(TopicNames.AUDIO_CHUNKS,
                    AudioChunk.newBuilder(valid).setStreamId("y").setChannels(9).build())};
            default -> new byte[][] {"someone-else".getBytes(), serde.serialize(TopicNames.AUDIO_CHUNKS,
                    AudioChunk.newBuilder(valid).setStreamId("z").build())}; // key differs from streamId
        };
    }

    /** Round-robin over the group's streams, so chunks of different streams interleave. */
    private static List<AudioChunk> interleave(List<String> clips) {
        List<List<AudioChunk>> streams = clips.stream().map(HearkenStreamingJobTest::chunksOf).toList();
        List<AudioChunk> out = new ArrayList<>();
        for (int i = 0; streams.stream().anyMatch(s -> !s.isEmpty()); i++) {
            for (List<AudioChunk> s : streams) {
                if (!s.isEmpty()) {
                    out.add(s.remove(0));
                }
            }
        }
        return out;
    }

    @Test
    void windowsOfInterleavedStreamsEqualTheOfflineComputation() throws Exception {
        ConfluentAvroSerde<AudioChunk> serde = ConfluentAvroSerde.forValues(RegistryClients.create(REGISTRY_URL), AudioChunk.class);
        List<List<byte[][]>> halves = new ArrayList<>();
        int poison = 0;
        for (List<String> group : GROUPS) {
            List<byte[][]> records = new ArrayList<>();
            for (AudioChunk c : interleave(group)) {
                records.add(new byte[][] {c.getStreamId().getBytes(StandardCharsets.UTF_8), serde.serialize(TopicNames.AUDIO_CHUNKS, c)});
            }
            halves.add(records);
        }
        // Equal halves keep each group in one source split; the padding is poison that must be dead-lettered.
        int half = Math.max(halves.get(0).size(), halves.get(1).size()) + 5; // each kind of poison at least once
        for (List<byte[][]> records : halves) {
            while (records.size() < half) {
                records.add(poison(serde, poison));
                poison++;
            }
        }
        List<byte[][]> all = new ArrayList<>(halves.get(0));
        all.addAll(halves.get(1));
        JobSettings settings = JobSettings.defaults(MODEL.toString()).withParallelism(2);
        var source = new DataGeneratorSource<>(new RecordGenerator(all.stream().map(r -> r[0]).toArray(byte[][]::new),
                all.stream().map(r -> r[1]).toArray(byte[][]::new), settings.profiles().keySet()), all.size(),
                TypeInformation.of(ChunkEnvelope.class));
        CollectingSink<WindowScores> windows = new CollectingSink<>("windows");
        CollectingSink<DeadLetterEvent> deadLetters = new CollectingSink<>("dead-letters");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2,
                HearkenStreamingJob.flinkConfiguration(settings));
        new HearkenStreamingJob(source, windows, deadLetters, settings).build(env);

        env.execute("hearken-job-test");

        assertThat(deadLetters.received()).hasSize(poison).allSatisfy(d -> assertThat(d.stage).isEqualTo("job.deserialize"));
        assertThat(deadLetters.received()).extracting(d -> d.errorMessage)
                .anySatisfy(m -> assertThat(m).contains("magic byte"))
                .anySatisfy(m -> assertThat(m).contains("unknown schema id"))
                .anySatisfy(m -> assertThat(m).contains("sampleRate 1000 Hz outside"))
                .anySatisfy(m -> assertThat(m).contains("channels 9 outside"))
                .anySatisfy(m -> assertThat(m).contains("differs from streamId"));
        Map<String, List<WindowScores>> byStream = windows.received().stream()
                .sorted(Comparator.comparingLong(w -> w.windowIndex))
                .collect(Collectors.groupingBy(w -> w.streamId));
        assertThat(byStream).hasSize(20);
        try (AudioTagger tagger = AudioTagger.load(MODEL, 1)) {
            WindowAnalyzer analyzer = new WindowAnalyzer(tagger);
            for (List<String> group : GROUPS) {
                for (String clip : group) {
                    assertMatchesOffline(clip, byStream.get(streamId(clip)), analyzer, settings);
                }
            }
        }
    }

    private static void assertMatchesOffline(String clip, List<WindowScores> windows, WindowAnalyzer analyzer, JobSettings settings) {
        // Offline: the PCM16 the job received, mixed, resampled and turned into log-mel as a whole, then cut.
        DecodedAudio audio = WavDecoder.decode(SHARED.resolve("audio").resolve(clip));
        float[] pcm = Pcm16.fromPcm16le(Pcm16.toPcm16le(audio.interleaved()));
        float[] mono = DecodedAudio.mixToMono(pcm, audio.channels());
        float[] at32k = Resampler.resampleWhole(mono, audio.sampleRate(), 32000);
        int total = analyzer.frontend().framesFor(at32k.length);
        float[] mel = analyzer.frontend().compute(at32k, 0, at32k.length);
        List<WindowPlan.Span> spans = WindowPlan.spans(total, 200, 100);
        assertThat(windows).as(clip).hasSize(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            WindowScores w = windows.get(i);
            WindowPlan.Span span = spans.get(i);
            assertThat(w.windowIndex).isEqualTo(i);
            assertThat(w.endOfStream).isEqualTo(i == spans.size() - 1);
            Prediction expected = analyzer.tagger().predict(StreamWindowerTest.slice(mel, total, span.start(), span.end()),
                    (int) (span.end() - span.start()));
            float[] p = expected.probabilities();
            int[] classes = WindowAnalyzer.reportedClasses(p, settings.scoreFloor(), settings.minTopClasses());
            assertThat(w.classIndices).as("%s window %d classes", clip, i).containsExactly(classes);
            for (int c = 0; c < classes.length; c++) {
                assertThat(w.classScores[c]).isCloseTo(p[classes[c]], within(1e-5f));
            }
            assertThat(w.featureNames).containsExactly("embedding", "mid");
            for (int f = 0; f < w.featureNames.length; f++) {
                float[] e = expected.feature(w.featureNames[f]);
                for (int k = 0; k < e.length; k++) {
                    assertThat(w.featureValues[f][k]).isCloseTo(e[k], within(1e-5f));
                }
            }
        }
    }
}
