package io.hearken.bench;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.dsp.StreamingMelFrontend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark method once, directly (no JMH, nothing timed), so the build catches a broken benchmark
 * without spending time measuring; and checks that JMH's annotation processor generated the benchmark list.
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @EnumSource(FrontendPreset.class)
    void eachFrontendRunsOnceOnTenSeconds(FrontendPreset preset) {
        FrontendBenchmark b = new FrontendBenchmark();
        b.frontend = preset;
        b.setup();
        CpuTime cpu = new CpuTime();
        cpu.reset();
        float[] mel = b.logMel10s(cpu);
        assertThat(b.audio).hasSize((int) Math.round(BenchAudio.SECONDS * b.fe.sampleRate()));
        assertThat(mel).hasSize(b.fe.melBins() * b.fe.framesFor(b.audio.length));
        assertMeasuredOneCall(cpu);
    }

    /** The CPU-time counters behind "x real time per core" saw exactly the one call (where the JVM measures it). */
    private static void assertMeasuredOneCall(CpuTime cpu) {
        if (ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()) {
            assertThat(cpu.calls).isEqualTo(1);
            assertThat(cpu.cpuNanos).isPositive();
        } else {
            assertThat(cpu.calls).isZero();
        }
    }

    @Test
    void wavPipelineBenchmarksRunOnce() {
        WavToLogMelBenchmark b = new WavToLogMelBenchmark();
        b.setup();
        CpuTime cpu = new CpuTime();
        cpu.reset();
        DecodedAudio decoded = b.decodeWav10s(cpu);
        assertThat(decoded.sampleRate()).isEqualTo(44_100);
        assertThat(decoded.durationSeconds()).isEqualTo(BenchAudio.SECONDS);
        assertThat(Arrays.equals(decoded.interleaved(), BenchAudio.tenSeconds().interleaved())).as("WAV round trip").isTrue();
        assertThat(b.resample44to32k10s(cpu)).hasSize(320_000);
        float[] mel = b.endToEnd10s(cpu);
        assertThat(mel).hasSize(128 * b.fe.framesFor(320_000));
        assertThat(cpu.calls).isEqualTo(ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported() ? 3 : 0);
    }

    /**
     * The per-chunk benchmark processes every chunk with its state carried over: it emits the frames, value for
     * value, of one streaming front end fed the whole 10 s at once.
     */
    @Test
    void chunkedBenchmarkRunsOnceOverEveryChunk() {
        StreamingChunksBenchmark b = new StreamingChunksBenchmark();
        b.setup();
        CpuTime cpu = new CpuTime();
        cpu.reset();
        long[] framesAndChecksum = b.chunked250ms10s(cpu);

        float[] whole = new Resampler(b.inRate, b.config.sampleRate())
                .process(Pcm16.fromPcm16le(Pcm16.toPcm16le(BenchAudio.tenSeconds().mono()), "whole"));
        long[] expected = new long[2];
        new StreamingMelFrontend(b.config).accept(whole, 0, whole.length, (t, column) -> {
            expected[0]++;
            expected[1] = 31 * expected[1] + Float.floatToRawIntBits(column[0]);
        });
        assertThat(b.chunks.length).isEqualTo((int) Math.ceil(BenchAudio.SECONDS / StreamingChunksBenchmark.CHUNK_SECONDS));
        assertThat(expected[0]).isPositive();
        assertThat(framesAndChecksum).containsExactly(expected);
        assertMeasuredOneCall(cpu);
    }

    @Test
    void jmhGeneratedTheBenchmarkList() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList (jmh-generator-annprocess ran?)").isNotNull();
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("io.hearken.bench.jmh_generated.FrontendBenchmark_logMel10s_jmhTest",
                    "io.hearken.bench.jmh_generated.WavToLogMelBenchmark_endToEnd10s_jmhTest",
                    "io.hearken.bench.jmh_generated.WavToLogMelBenchmark_decodeWav10s_jmhTest",
                    "io.hearken.bench.jmh_generated.WavToLogMelBenchmark_resample44to32k10s_jmhTest",
                    "io.hearken.bench.jmh_generated.StreamingChunksBenchmark_chunked250ms10s_jmhTest");
        }
    }
}
