package io.hearken.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.featurizer.decode.FfmpegDecoder;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIngesterTest {
    private static final String REGISTRY_URL = "mock://FileIngesterTest";
    private static final HearkenTopics TOPICS = new HearkenTopics(RegistryClients.create(REGISTRY_URL));

    @TempDir
    Path dir;

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    static byte[] wav(int sampleRate, int channels, short[] interleaved) {
        ByteBuffer data = ByteBuffer.allocate(interleaved.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : interleaved) {
            data.putShort(s);
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    private MockProducer<String, AudioChunk> producer() {
        return new MockProducer<>(true, null, TOPICS.chunks.keySerde().serializer(), TOPICS.chunks.valueSerde().serializer());
    }

    @Test
    void publishesEachFileAsOrderedChunksEndingTheStream() throws Exception {
        short[] samples = new short[16000 * 2 * 2 + 100]; // 2.003 s stereo at 16 kHz
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((i * 37) % 20000 - 10000);
        }
        Files.write(dir.resolve("machine A.wav"), wav(16000, 2, samples));
        MockProducer<String, AudioChunk> producer = producer();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        IngestOptions options = new IngestOptions(Duration.ofMillis(500), IngestOptions.DEFAULT_MAX_CHUNK_BYTES, "factory", start);

        FileIngester.Report report = new FileIngester(producer, TOPICS.chunks, options).ingest(List.of(dir));

        assertThat(report.failures()).isEmpty();
        assertThat(report.published()).singleElement().satisfies(s -> {
            assertThat(s.streamId()).isEqualTo("machine_A");
            assertThat(s.chunks()).isEqualTo(5);
        });
        List<AudioChunk> chunks = producer.history().stream().map(ProducerRecord::value).toList();
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo("machine_A"));
        assertThat(chunks).extracting(AudioChunk::getSequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(chunks).extracting(AudioChunk::getEndOfStream).containsExactly(false, false, false, false, true);
        assertThat(chunks).extracting(AudioChunk::getCaptureTimeMicros)
                .containsExactly(1767225600_000_000L, 1767225600_500_000L, 1767225601_000_000L, 1767225601_500_000L, 1767225602_000_000L);
        assertThat(chunks).allSatisfy(c -> assertThat(c.getProfile()).isEqualTo("factory"));
        // Samples survive byte for byte: the concatenated chunks are exactly the file's PCM.
        float[] joined = chunks.stream().map(c -> Pcm16.fromPcm16le(c.getSamples().array()))
                .reduce(new float[0], FileIngesterTest::concat);
        assertThat(joined).hasSize(samples.length);
        for (int i = 0; i < samples.length; i += 997) {
            assertThat(joined[i]).isEqualTo(samples[i] / 32768f);
        }
    }

    @Test
    void badInputsAreReportedByNameWhileGoodOnesArePublished() throws Exception {
        Path good = dir.resolve("good.wav");
        Files.write(good, wav(8000, 1, new short[8000]));
        Path notWav = dir.resolve("notes.wav");
        Files.writeString(notWav, "this is text, not audio");
        Path truncated = dir.resolve("cut.wav");
        byte[] full = wav(8000, 1, new short[8000]);
        Files.write(truncated, Arrays.copyOf(full, 1000));
        Path missing = dir.resolve("missing.wav");
        MockProducer<String, AudioChunk> producer = producer();

        FileIngester.Report report = new FileIngester(producer, TOPICS.chunks, IngestOptions.defaults())
                .ingest(List.of(missing, notWav, truncated, good));

        assertThat(report.published()).extracting(FileIngester.PublishedStream::streamId).containsExactly("good");
        assertThat(report.failures()).extracting(FileIngester.Failure::file).containsExactly(missing, notWav, truncated);
        assertThat(report.failures()).allSatisfy(f -> assertThat(f.reason()).contains(f.file().getFileName().toString()));
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo("good"));
    }

    /** Stand-ins for ffmpeg/ffprobe: any input is 1 s of 16 kHz mono float zeros. */
    private Path[] fakeFfmpeg() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ffprobe = Files.writeString(bin.resolve("ffprobe"), "#!/bin/sh\necho sample_rate=16000; echo channels=1\n");
        Path ffmpeg = Files.writeString(bin.resolve("ffmpeg"), "#!/bin/sh\nhead -c 64000 /dev/zero\n");
        assertThat(ffprobe.toFile().setExecutable(true) && ffmpeg.toFile().setExecutable(true)).isTrue();
        return new Path[] {ffmpeg, ffprobe};
    }

    @Test
    void foldersGiveTheirAudioFilesOfEveryFormatAndNonWavGoesThroughFfmpeg() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.write(input.resolve("a.wav"), wav(8000, 1, new short[8000]));
        Files.writeString(input.resolve("b.flac"), "fLaC, decoded by the ffmpeg stand-in");
        Files.writeString(input.resolve("c.MP3"), "ID3, decoded by the ffmpeg stand-in");
        Files.writeString(input.resolve("notes.txt"), "not audio");
        assertThat(InputFiles.expand(List.of(input))).extracting(p -> p.getFileName().toString())
                .containsExactly("a.wav", "b.flac", "c.MP3");
        Path[] fake = fakeFfmpeg();
        MockProducer<String, AudioChunk> producer = producer();

        FileIngester.Report report = new FileIngester(producer, TOPICS.chunks, IngestOptions.defaults(),
                new FfmpegDecoder(fake[0], fake[1], Duration.ofSeconds(30))).ingest(List.of(input));

        assertThat(report.failures()).isEmpty();
        assertThat(report.published()).extracting(FileIngester.PublishedStream::streamId).containsExactly("a", "b", "c");
        assertThat(report.published()).extracting(FileIngester.PublishedStream::sampleRate)
                .containsExactly(8000, 16000, 16000);
        assertThat(report.published().get(1).durationSeconds()).isEqualTo(1.0);
    }

    @Test
    void withoutFfmpegANonWavFileIsNamedWithHowToInstallItAndTheOthersArePublished() throws Exception {
        Files.write(dir.resolve("a.wav"), wav(8000, 1, new short[8000]));
        Path flac = Files.writeString(dir.resolve("b.flac"), "fLaC");
        MockProducer<String, AudioChunk> producer = producer();
        FfmpegDecoder missing = new FfmpegDecoder(dir.resolve("none/ffmpeg"), dir.resolve("none/ffprobe"),
                Duration.ofSeconds(5));

        FileIngester.Report report = new FileIngester(producer, TOPICS.chunks, IngestOptions.defaults(), missing)
                .ingest(List.of(dir));

        assertThat(report.published()).extracting(FileIngester.PublishedStream::streamId).containsExactly("a");
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(flac);
            assertThat(f.reason()).startsWith("b.flac: decoding it needs ffmpeg, which is not installed")
                    .endsWith("install ffmpeg (apt-get install ffmpeg)");
        });
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo("a"));
    }

    @Test
    void chunkSizeIsBoundedInBytesForWideHighRateAudio() {
        IngestOptions options = new IngestOptions(Duration.ofSeconds(1), 64 * 1024, "default", Instant.EPOCH);
        int frames = AudioChunker.framesPerChunk(192_000, 8, options);
        assertThat(frames * 8 * 2).isLessThanOrEqualTo(64 * 1024);
        assertThat(AudioChunker.framesPerChunk(16_000, 1, options)).isEqualTo(16_000);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
