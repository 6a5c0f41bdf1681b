package io.hearken.bench;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.dsp.StreamingMelFrontend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The streaming job's per-chunk front-end work, as its windower does it for one stream: 10 s of 44.1 kHz 16-bit
 * audio in 250 ms chunks (the ingest default), each chunk decoded from PCM bytes, its resampler and log-mel front end
 * restored from their checkpointable state, fed, and snapshotted again. Unlike {@link WavToLogMelBenchmark} (one
 * call over the whole 10 s) this includes what short calls cost: per-call set-up, state copies and loops too short
 * to vectorise well. One operation = the 40 chunks of the 10 s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class StreamingChunksBenchmark {
    /** The ingest default chunk length. */
    static final double CHUNK_SECONDS = 0.25;

    byte[][] chunks;
    int inRate;
    FrontendConfig config;

    @Setup(Level.Trial)
    public void setup() {
        DecodedAudio a = BenchAudio.tenSeconds();
        inRate = a.sampleRate();
        byte[] pcm = Pcm16.toPcm16le(a.mono());
        int chunkBytes = (int) Math.round(CHUNK_SECONDS * inRate) * 2;
        chunks = new byte[(pcm.length + chunkBytes - 1) / chunkBytes][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = Arrays.copyOfRange(pcm, i * chunkBytes, Math.min(pcm.length, (i + 1) * chunkBytes));
        }
        config = FrontendConfig.efficientAt();
    }

    /**
     * 250 ms chunks: decode, restore, resample 44.1 -&gt; 32 kHz, log-mel, snapshot; as the job does per chunk.
     * Returns the frames emitted and a checksum of their first values (so that the JIT cannot drop the work, and
     * a test can tell that every chunk was processed).
     */
    @Benchmark
    public long[] chunked250ms10s(CpuTime cpu) {
        long t0 = cpu.start();
        Resampler.State rs = new Resampler(inRate, config.sampleRate()).snapshot();
        StreamingMelFrontend.State ms = new StreamingMelFrontend(config).snapshot();
        long[] framesAndChecksum = new long[2];
        for (byte[] chunk : chunks) {
            Resampler resampler = Resampler.restore(rs);
            StreamingMelFrontend mel = StreamingMelFrontend.restore(config, ms);
            float[] x = resampler.process(Pcm16.fromPcm16le(chunk, "bench"));
            mel.accept(x, 0, x.length, (t, column) -> {
                framesAndChecksum[0]++;
                framesAndChecksum[1] = 31 * framesAndChecksum[1] + Float.floatToRawIntBits(column[0]);
            });
            rs = resampler.snapshot();
            ms = mel.snapshot();
        }
        cpu.stop(t0);
        return framesAndChecksum;
    }
}
