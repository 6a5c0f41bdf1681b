package io.hearken.bench;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.dsp.EfficientAtFrontend;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;
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

import java.util.concurrent.TimeUnit;

/**
 * The offline path for a WAV file: 10 s of 44.1 kHz 16-bit mono WAV bytes (in memory: no disk I/O measured)
 * decoded, resampled 44.1 -&gt; 32 kHz and turned into EfficientAT log-mels, end to end; plus the decode and the
 * resample on their own, to see where the time goes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class WavToLogMelBenchmark {
    byte[] wav;
    float[] at44k;
    EfficientAtFrontend fe;

    @Setup(Level.Trial)
    public void setup() {
        wav = BenchAudio.tenSecondsWav();
        at44k = BenchAudio.tenSeconds().interleaved();
        fe = new EfficientAtFrontend();
    }

    /** Decode WAV + resample 44.1 -&gt; 32 kHz + EfficientAT front end. */
    @Benchmark
    public float[] endToEnd10s(CpuTime cpu) {
        long t0 = cpu.start();
        DecodedAudio a = WavDecoder.decode(wav, "bench.wav");
        float[] x = Resampler.resampleWhole(a.mono(), a.sampleRate(), fe.sampleRate());
        float[] mel = fe.compute(x, 0, x.length);
        cpu.stop(t0);
        return mel;
    }

    @Benchmark
    public DecodedAudio decodeWav10s(CpuTime cpu) {
        long t0 = cpu.start();
        DecodedAudio a = WavDecoder.decode(wav, "bench.wav");
        cpu.stop(t0);
        return a;
    }

    @Benchmark
    public float[] resample44to32k10s(CpuTime cpu) {
        long t0 = cpu.start();
        float[] x = Resampler.resampleWhole(at44k, 44_100, 32_000);
        cpu.stop(t0);
        return x;
    }
}
