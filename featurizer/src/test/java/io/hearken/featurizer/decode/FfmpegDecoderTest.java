package io.hearken.featurizer.decode;

import io.hearken.featurizer.Fixtures;
import io.hearken.featurizer.NeedsFfmpeg;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * FfmpegDecoder against WavDecoder: formats are made from shared WAVs by ffmpeg itself into a temp dir. The tests
 * that need ffmpeg are skipped where it is not installed, and fail in CI ({@link NeedsFfmpeg}).
 */
class FfmpegDecoderTest {
    static final Path CAT = Fixtures.audio().resolve("esc50/cat_3-95694-A-5.wav");          // 44.1 kHz mono s16
    static final Path STEREO = Fixtures.audio().resolve("us8k/102853-8-0-0.wav");           // 44.1 kHz stereo s16
    static final Path S24 = Fixtures.audio().resolve("us8k/103074-7-0-0.wav");              // 48 kHz stereo s24

    @TempDir
    Path tmp;

    /** Encodes {@code src} with ffmpeg into tmp/name using the given codec arguments. */
    static Path encode(Path src, Path out, String... codec) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", src.toString()));
        cmd.addAll(List.of(codec));
        cmd.add(out.toString());
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as("ffmpeg encode %s: %s", out, Files.readString(log)).isZero();
        return out;
    }

    static double correlation(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        double sa = 0, sb = 0;
        for (int i = 0; i < n; i++) {
            sa += a[i];
            sb += b[i];
        }
        double ma = sa / n, mb = sb / n, ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i] - ma, y = b[i] - mb;
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.sqrt(aa * bb);
    }

    static void assertSameSamples(DecodedAudio actual, DecodedAudio expected) {
        assertThat(actual.sampleRate()).isEqualTo(expected.sampleRate());
        assertThat(actual.channels()).isEqualTo(expected.channels());
        assertThat(actual.interleaved().length).isEqualTo(expected.interleaved().length);
        float[] a = actual.interleaved(), e = expected.interleaved();
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                throw new AssertionError("sample " + i + " differs: " + a[i] + " != " + e[i]);
            }
        }
    }

    @Test
    void flacDecodesBitExactToTheWavSamples() throws Exception {
        NeedsFfmpeg.require();
        for (Path wav : List.of(CAT, STEREO, S24)) {
            Path flac = encode(wav, tmp.resolve(wav.getFileName() + ".flac"), "-c:a", "flac");
            DecodedAudio expected = WavDecoder.decode(wav);
            DecodedAudio actual = new FfmpegDecoder().decode(flac);
            assertSameSamples(actual, expected);
        }
    }

    @Test
    void mp3DecodesToTheSameRateChannelsAndSignal() throws Exception {
        NeedsFfmpeg.require();
        Path mp3 = encode(CAT, tmp.resolve("cat.mp3"), "-c:a", "libmp3lame", "-b:a", "128k");
        DecodedAudio wav = WavDecoder.decode(CAT);
        DecodedAudio dec = new FfmpegDecoder().decode(mp3);
        assertThat(dec.sampleRate()).isEqualTo(44_100);
        assertThat(dec.channels()).isEqualTo(1);
        assertThat(dec.durationSeconds()).isCloseTo(wav.durationSeconds(), offset(0.05));
        assertThat(correlation(dec.interleaved(), wav.interleaved())).isGreaterThan(0.9);
    }

    @Test
    void opusDecodesAt48kHzAndMatchesAfterResampling() throws Exception {
        NeedsFfmpeg.require();
        Path opus = encode(CAT, tmp.resolve("cat.opus"), "-c:a", "libopus", "-b:a", "96k");
        DecodedAudio wav = WavDecoder.decode(CAT);
        DecodedAudio dec = new FfmpegDecoder().decode(opus);
        assertThat(dec.sampleRate()).isEqualTo(48_000);
        assertThat(dec.channels()).isEqualTo(1);
        assertThat(dec.durationSeconds()).isCloseTo(wav.durationSeconds(), offset(0.05));
        float[] ref48 = Resampler.resampleWhole(wav.interleaved(), 44_100, 48_000);
        assertThat(correlation(dec.interleaved(), ref48)).isGreaterThan(0.9);

        // Asking for the source's rate: ffmpeg resamples, and the result lines up with the WAV directly.
        DecodedAudio at441 = new FfmpegDecoder().decode(opus, OptionalInt.of(44_100), OptionalInt.empty());
        assertThat(at441.sampleRate()).isEqualTo(44_100);
        assertThat(at441.channels()).isEqualTo(1);
        assertThat(correlation(at441.interleaved(), wav.interleaved())).isGreaterThan(0.9);
    }

    @Test
    void targetRateAndChannelsSkipProbingAndDownmix() throws Exception {
        NeedsFfmpeg.require();
        Path flac = encode(STEREO, tmp.resolve("stereo.flac"), "-c:a", "flac");
        // ffprobe pointed at a missing binary proves it is not run when both targets are given.
        FfmpegDecoder noProbe = new FfmpegDecoder(Path.of("ffmpeg"), tmp.resolve("no-ffprobe"), Duration.ofMinutes(1));
        DecodedAudio d = noProbe.decode(flac, OptionalInt.of(16_000), OptionalInt.of(1));
        assertThat(d.sampleRate()).isEqualTo(16_000);
        assertThat(d.channels()).isEqualTo(1);
        assertThat(d.durationSeconds()).isCloseTo(WavDecoder.decode(STEREO).durationSeconds(),
                offset(0.01));
    }

    @Test
    void corruptInputIsBadInputNamingTheFileAndQuotingFfmpeg() throws Exception {
        NeedsFfmpeg.require();
        byte[] junk = new byte[20_000];
        new Random(42).nextBytes(junk);
        Path bad = Files.write(tmp.resolve("garbage.mp3"), junk);
        assertThatThrownBy(() -> new FfmpegDecoder().decode(bad))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("garbage.mp3: ")
                .hasMessageContaining("failed (exit ");
    }

    @Test
    void fileWithoutAudioIsBadInput() throws Exception {
        NeedsFfmpeg.require();
        Path txt = Files.writeString(tmp.resolve("notes.txt"), "just text, no audio here\n".repeat(50));
        assertThatThrownBy(() -> new FfmpegDecoder().decode(txt))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("notes.txt: ");
    }

    @Test
    void missingFileIsBadInputWithoutRunningAnything() {
        FfmpegDecoder none = new FfmpegDecoder(tmp.resolve("nope/ffmpeg"), tmp.resolve("nope/ffprobe"),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> none.decode(tmp.resolve("absent.flac")))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("absent.flac: no such file");
    }

    @Test
    void missingBinaryIsConfigErrorNamingTheFileAndSayingToInstallFfmpeg() throws IOException {
        Path flac = Files.write(tmp.resolve("x.flac"), new byte[100]);
        FfmpegDecoder none = new FfmpegDecoder(tmp.resolve("nope/ffmpeg"), tmp.resolve("nope/ffprobe"),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> none.decode(flac))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("x.flac: decoding it needs ffmpeg, which is not installed (ffprobe not found at "
                        + tmp.resolve("nope/ffprobe") + "): install ffmpeg (apt-get install ffmpeg)");
        assertThatThrownBy(() -> none.decode(flac, OptionalInt.of(16_000), OptionalInt.of(1)))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("(ffmpeg not found at ");
        FfmpegDecoder notOnPath = new FfmpegDecoder(Path.of("hearken-no-such-ffmpeg"),
                Path.of("hearken-no-such-ffprobe"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> notOnPath.decode(flac))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("x.flac: decoding it needs ffmpeg, which is not installed (hearken-no-such-ffprobe not "
                        + "found on PATH): install ffmpeg (apt-get install ffmpeg)");
        assertThat(notOnPath.canRun()).isFalse();
    }

    // ---- process handling, with shell scripts standing in for ffmpeg/ffprobe (no ffmpeg needed) ----

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        assertThat(p.toFile().setExecutable(true)).as("chmod +x %s", p).isTrue();
        return p;
    }

    private Path probeScript() throws IOException {
        return script("fake-ffprobe", "echo sample_rate=16000; echo channels=1");
    }

    @Test
    void timeoutKillsAHangingFfmpegAndItsChildren() throws Exception {
        Path input = Files.write(tmp.resolve("slow.ogg"), new byte[10]);
        // The shell forks sleep (no exec): its child holds stdout open, so killing only the shell would hang us.
        Path ff = script("fake-ffmpeg", "sleep 60; echo done");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofMillis(500));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> d.decode(input))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("slow.ogg: ffmpeg did not finish within PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void floodOfStderrDoesNotDeadlockAndTheErrorIsQuoted() throws Exception {
        Path input = Files.write(tmp.resolve("noisy.aac"), new byte[10]);
        // ~6 MB on stderr (far beyond a pipe buffer) and some PCM on stdout, then a failure.
        Path ff = script("fake-ffmpeg", "echo 'first: Invalid data found when processing input' >&2;"
                + " i=0; while [ $i -lt 3000 ]; do printf '%2000s\\n' x >&2; i=$((i+1)); done;"
                + " head -c 4000 /dev/zero; echo 'last line' >&2; exit 3");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofSeconds(60));
        assertThatThrownBy(() -> d.decode(input))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("noisy.aac: ffmpeg failed (exit 3): first: Invalid data found when processing input")
                .hasMessageEndingWith("last line");
    }

    @Test
    void pcmFromTheChildIsReadWithTheProbedShape() throws Exception {
        Path input = Files.write(tmp.resolve("zeros.m4a"), new byte[10]);
        Path ff = script("fake-ffmpeg", "head -c 64000 /dev/zero");   // 16,000 float zeros
        DecodedAudio d = new FfmpegDecoder(ff, probeScript(), Duration.ofSeconds(30)).decode(input);
        assertThat(d.sampleRate()).isEqualTo(16_000);
        assertThat(d.channels()).isEqualTo(1);
        assertThat(d.frames()).isEqualTo(16_000);
        assertThat(d.durationSeconds()).isEqualTo(1.0);
    }

    @Test
    void partialTrailingSampleIsBadInput() throws Exception {
        Path input = Files.write(tmp.resolve("odd.mp3"), new byte[10]);
        Path ff = script("fake-ffmpeg", "head -c 4003 /dev/zero");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofSeconds(30));
        assertThatThrownBy(() -> d.decode(input))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("odd.mp3: ")
                .hasMessageContaining("partial sample");
    }
}
