package io.hearken.ingest;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.decode.AudioDecoders;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.FfmpegDecoder;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.topics.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes audio files as chunk streams, one stream per file: WAV decoded natively, FLAC, MP3, Ogg/Opus and AAC
 * through ffmpeg ({@link AudioDecoders}). A file that cannot be read (or, without ffmpeg installed, a non-WAV file)
 * is reported and skipped; the others are still published. A stream counts as published only once the broker
 * acknowledged every chunk.
 */
public final class FileIngester {
    private static final Logger LOG = LoggerFactory.getLogger(FileIngester.class);

    private final Producer<String, AudioChunk> producer;
    private final Topic<String, AudioChunk> topic;
    private final IngestOptions options;
    private final FfmpegDecoder ffmpeg;

    public FileIngester(Producer<String, AudioChunk> producer, Topic<String, AudioChunk> topic, IngestOptions options) {
        this(producer, topic, options, new FfmpegDecoder());
    }

    FileIngester(Producer<String, AudioChunk> producer, Topic<String, AudioChunk> topic, IngestOptions options,
                 FfmpegDecoder ffmpeg) {
        this.producer = producer;
        this.topic = topic;
        this.options = options;
        this.ffmpeg = ffmpeg;
    }

    public record PublishedStream(String streamId, Path file, int chunks, double durationSeconds, int sampleRate, int channels) {
    }

    public record Failure(Path file, String reason) {
    }

    public record Report(List<PublishedStream> published, List<Failure> failures) {
        public boolean allSucceeded() {
            return failures.isEmpty();
        }
    }

    /** Decodes every file first, so a bad file never leaves a half-published stream behind. */
    public Report ingest(List<Path> inputs) {
        List<PublishedStream> published = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Set<String> usedIds = new HashSet<>();
        long captureStartMicros = options.captureStart().getEpochSecond() * 1_000_000L + options.captureStart().getNano() / 1000;
        for (Path file : InputFiles.expand(inputs)) {
            DecodedAudio audio;
            try {
                audio = AudioDecoders.decode(file, ffmpeg);
            } catch (HearkenException e) {
                LOG.warn("skipping {}: {}", file, e.getMessage());
                failures.add(new Failure(file, e.getMessage()));
                continue;
            }
            String streamId = uniqueId(InputFiles.streamIdFor(file), usedIds);
            SourceMetadata source = SourceMetadata.newBuilder().setDevice("file").setLocation(file.toAbsolutePath().toString())
                    .setAttributes(Map.of("file", file.getFileName().toString())).build();
            List<AudioChunk> chunks = AudioChunker.chunk(audio, streamId, captureStartMicros, options, source);
            try {
                publish(chunks);
            } catch (HearkenException e) {
                failures.add(new Failure(file, e.getMessage()));
                continue;
            }
            published.add(new PublishedStream(streamId, file, chunks.size(), audio.durationSeconds(), audio.sampleRate(), audio.channels()));
        }
        return new Report(List.copyOf(published), List.copyOf(failures));
    }

    private void publish(List<AudioChunk> chunks) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(chunks.size());
        for (AudioChunk chunk : chunks) {
            acks.add(producer.send(new ProducerRecord<>(topic.name(), chunk.getStreamId(), chunk)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HearkenException(ErrorKind.TRANSIENT, "interrupted while publishing "
                        + chunks.get(0).getStreamId(), e);
            } catch (ExecutionException e) {
                throw new HearkenException(ErrorKind.TRANSIENT, "publishing stream "
                        + chunks.get(0).getStreamId() + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static String uniqueId(String base, Set<String> used) {
        String id = base;
        for (int n = 2; !used.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }
}
