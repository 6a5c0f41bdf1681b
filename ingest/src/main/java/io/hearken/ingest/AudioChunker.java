package io.hearken.ingest;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.AudioEncoding;
import io.hearken.schemas.SourceMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts decoded audio into PCM16 chunks with sequence numbers and capture times; the last chunk ends the stream. */
public final class AudioChunker {
    private static final int BYTES_PER_SAMPLE = 2;

    private AudioChunker() {
    }

    public static List<AudioChunk> chunk(DecodedAudio audio, String streamId, long captureStartMicros,
                                         IngestOptions options, SourceMetadata source) {
        int framesPerChunk = framesPerChunk(audio.sampleRate(), audio.channels(), options);
        int totalFrames = audio.frames();
        List<AudioChunk> chunks = new ArrayList<>(totalFrames / framesPerChunk + 1);
        long sequence = 0;
        // An empty file still yields one (empty) end-of-stream chunk, so downstream learns the stream ended.
        for (int first = 0; first < totalFrames || sequence == 0; first += framesPerChunk) {
            int frames = Math.min(framesPerChunk, totalFrames - first);
            float[] slice = Arrays.copyOfRange(audio.interleaved(), first * audio.channels(), (first + frames) * audio.channels());
            long captureMicros = captureStartMicros + Math.round(first * 1_000_000.0 / audio.sampleRate());
            chunks.add(AudioChunk.newBuilder()
                    .setStreamId(streamId)
                    .setSequenceNumber(sequence++)
                    .setCaptureTimeMicros(captureMicros)
                    .setSampleRate(audio.sampleRate())
                    .setChannels(audio.channels())
                    .setEncoding(AudioEncoding.PCM_S16LE)
                    .setSamples(ByteBuffer.wrap(Pcm16.toPcm16le(slice)))
                    .setEndOfStream(first + frames >= totalFrames)
                    .setProfile(options.profile())
                    .setSource(source)
                    .build());
        }
        return chunks;
    }

    static int framesPerChunk(int sampleRate, int channels, IngestOptions options) {
        long byDuration = Math.max(1, sampleRate * options.chunkDuration().toMillis() / 1000);
        long byBytes = Math.max(1, options.maxChunkBytes() / ((long) channels * BYTES_PER_SAMPLE));
        return (int) Math.min(byDuration, byBytes);
    }
}
