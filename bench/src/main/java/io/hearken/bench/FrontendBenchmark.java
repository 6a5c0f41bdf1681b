package io.hearken.bench;

import io.hearken.featurizer.dsp.LogMelFrontend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A log-mel front end on 10 s of real audio at its own sample rate (resampled once in setup): one operation is one
 * {@code compute} of the whole 10 s, output included. One thread, one fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class FrontendBenchmark {
    /** No values listed: JMH runs every constant. */
    @Param
    public FrontendPreset frontend;

    LogMelFrontend fe;
    float[] audio;

    @Setup(Level.Trial)
    public void setup() {
        fe = frontend.create();
        audio = BenchAudio.tenSecondsAt(fe.sampleRate());
    }

    @Benchmark
    public float[] logMel10s(CpuTime cpu) {
        long t0 = cpu.start();
        float[] mel = fe.compute(audio, 0, audio.length);
        cpu.stop(t0);
        return mel;
    }
}
