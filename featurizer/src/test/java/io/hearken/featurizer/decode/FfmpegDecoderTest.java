package io.hearken.featurizer.decode;

import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.Fixtures;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FfmpegDecoder against WavDecoder: formats are made from shared WAVs by ffmpeg itself into a temp dir. The tests
 * that need ffmpeg are skipped (not failed) where it is not installed; CI installs it.
 */
class FfmpegDecoderTest {
    static final Path CAT = Fixtures.audio().resolve("esc50/cat_3-95694-A-5.wav");          // 44.1 kHz mono s16
    static final Path STEREO = Fixtures.audio().resolve("us8k/102853-8-0-0.wav");           // 44.1 kHz stereo s16
    static final Path S24 = Fixtures.audio().resolve("us8k/103074-7-0-0.wav");              // 48 kHz stereo s24

    static boolean ffmpeg;

    @TempDir
    Path tmp;

    @BeforeAll
    static void probeFfmpeg() {
        ffmpeg = FfmpegDecoder.isAvailable();
    }

    static void needFfmpeg() {
        assumeTrue(ffmpeg, "ffmpeg/ffprobe not on PATH (apt-get install ffmpeg); skipping");
    }

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
        needFfmpeg();
        for (Path wav : List.of(CAT, STEREO, S24)) {
            Path flac = encode(wav, tmp.resolve(wav.getFileName() + ".flac"), "-c:a", "flac");
            DecodedAudio expected = WavDecoder.decode(wav);
            DecodedAudio actual = new FfmpegDecoder().decode(flac);
            assertSameSamples(actual, expected);
        }
    }

    @Test
    void mp3DecodesToTheSameRateChannelsAndSignal() throws Exception {
        needFfmpeg();
        Path mp3 = encode(CAT, tmp.resolve("cat.mp3"), "-c:a", "libmp3lame", "-b:a", "128k");
        DecodedAudio wav = WavDecoder.decode(CAT);
        DecodedAudio dec = new FfmpegDecoder().decode(mp3);
        assertThat(dec.sampleRate()).isEqualTo(44_100);
        assertThat(dec.channels()).isEqualTo(1);
        assertThat(dec.durationSeconds()).isCloseTo(wav.durationSeconds(), org.assertj.core.data.Offset.offset(0.05));
        assertThat(correlation(dec.interleaved(), wav.interleaved())).isGreaterThan(0.9);
    }

    @Test
    void opusDecodesAt48kHzAndMatchesAfterResampling() throws Exception {
        needFfmpeg();
        Path opus = encode(CAT, tmp.resolve("cat.opus"), "-c:a", "libopus", "-b:a", "96k");
        DecodedAudio wav = WavDecoder.decode(CAT);
        DecodedAudio dec = new FfmpegDecoder().decode(opus.toString());
        assertThat(dec.sampleRate()).isEqualTo(48_000);
        assertThat(dec.channels()).isEqualTo(1);
        assertThat(dec.durationSeconds()).isCloseTo(wav.durationSeconds(), org.assertj.core.data.Offset.offset(0.05));
        float[] ref48 = Resampler.resampleWhole(wav.interleaved(), 44_100, 48_000);
        assertThat(correlation(dec.interleaved(), ref48)).isGreaterThan(0.9);

        // Asking for the source's rate: ffmpeg resamples, and the result lines up with the WAV directly.
        DecodedAudio at441 = new FfmpegDecoder().decode(opus.toString(), OptionalInt.of(44_100));
        assertThat(at441.sampleRate()).isEqualTo(44_100);
        assertThat(at441.channels()).isEqualTo(1);
        assertThat(correlation(at441.interleaved(), wav.interleaved())).isGreaterThan(0.9);
    }

    @Test
    void targetRateAndChannelsSkipProbingAndDownmix() throws Exception {
        needFfmpeg();
        Path flac = encode(STEREO, tmp.resolve("stereo.flac"), "-c:a", "flac");
        // ffprobe pointed at a missing binary proves it is not run when both targets are given.
        FfmpegDecoder noProbe = new FfmpegDecoder(Path.of("ffmpeg"), tmp.resolve("no-ffprobe"), Duration.ofMinutes(1));
        DecodedAudio d = noProbe.decode(flac, OptionalInt.of(16_000), OptionalInt.of(1));
        assertThat(d.sampleRate()).isEqualTo(16_000);
        assertThat(d.channels()).isEqualTo(1);
        assertThat(d.durationSeconds()).isCloseTo(WavDecoder.decode(STEREO).durationSeconds(),
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void corruptInputIsBadInputNamingTheFileAndQuotingFfmpeg() throws Exception {
        needFfmpeg();
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
        needFfmpeg();
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
    void missingBinaryIsConfigErrorSayingHowToInstall() throws IOException {
        Path flac = Files.write(tmp.resolve("x.flac"), new byte[100]);
        FfmpegDecoder none = new FfmpegDecoder(tmp.resolve("nope/ffmpeg"), tmp.resolve("nope/ffprobe"),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> none.decode(flac))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("ffprobe not found at ")
                .hasMessageContaining("install the Debian package ffmpeg");
        assertThatThrownBy(() -> none.decode(flac, OptionalInt.of(16_000), OptionalInt.of(1)))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("ffmpeg not found at ")
                .hasMessageContaining("install the Debian package ffmpeg to decode FLAC/MP3/Ogg/AAC or network sources");
        FfmpegDecoder notOnPath = new FfmpegDecoder(Path.of("hearken-no-such-ffmpeg"),
                Path.of("hearken-no-such-ffprobe"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> notOnPath.decode(flac))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("hearken-no-such-ffprobe not found on PATH: install the Debian package ffmpeg");
        assertThat(notOnPath.canRun()).isFalse();
    }

    // ---- process handling, with shell scripts standing in for ffmpeg/ffprobe (no ffmpeg needed) ----

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        assumeTrue(p.toFile().setExecutable(true) && Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
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
    void timeoutOnAUrlIsTransientAndHidesThePassword() throws Exception {
        Path ff = script("fake-ffmpeg", "sleep 60");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofMillis(300));
        assertThatThrownBy(() -> d.decode("rtsp://admin:secret@cam.local/stream1"))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT))
                .hasMessageStartingWith("rtsp://***@cam.local/stream1: ")
                .hasMessageNotContaining("secret");
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

    // ---- streaming ----

    @Test
    void streamDeliversTheSameSamplesAsAOneShotDecodeInChunks() throws Exception {
        needFfmpeg();
        Path flac = encode(CAT, tmp.resolve("cat.flac"), "-c:a", "flac");
        DecodedAudio whole = new FfmpegDecoder().decode(flac, OptionalInt.of(16_000), OptionalInt.of(1));
        List<float[]> chunks = new CopyOnWriteArrayList<>();
        try (FfmpegStream s = new FfmpegDecoder().openStream(flac.toString(), 16_000, 1, 1600, chunks::add)) {
            assertThat(s.awaitEnd(Duration.ofSeconds(60))).isTrue();
            assertThat(s.failure()).isEmpty();
            assertThat(s.framesDelivered()).isEqualTo(whole.frames());
        }
        float[] joined = new float[chunks.stream().mapToInt(c -> c.length).sum()];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            float[] c = chunks.get(i);
            if (i < chunks.size() - 1) {
                assertThat(c).hasSize(1600);
            }
            System.arraycopy(c, 0, joined, at, c.length);
            at += c.length;
        }
        assertSameSamples(new DecodedAudio(16_000, 1, joined), whole);
    }

    @Test
    void streamFailureQuotesFfmpeg() throws Exception {
        needFfmpeg();
        byte[] junk = new byte[20_000];
        new Random(42).nextBytes(junk);
        Path bad = Files.write(tmp.resolve("garbage.ogg"), junk);
        try (FfmpegStream s = new FfmpegDecoder().openStream(bad.toString(), 16_000, 1, 1600, c -> { })) {
            assertThatThrownBy(() -> s.awaitEnd(Duration.ofSeconds(60)))
                    .isInstanceOfSatisfying(HearkenException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                    .hasMessageStartingWith("garbage.ogg: ffmpeg failed (exit ");
        }
    }

    @Test
    void streamCloseStopsALiveSourcePromptly() throws Exception {
        Path ff = script("fake-ffmpeg", "while true; do head -c 6400 /dev/zero; sleep 0.05; done");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofSeconds(5));
        List<float[]> chunks = new CopyOnWriteArrayList<>();
        FfmpegStream s = d.openStream("rtsp://cam.local/live", 16_000, 1, 800, chunks::add);
        long t0 = System.nanoTime();
        while (chunks.size() < 3 && System.nanoTime() - t0 < 20_000_000_000L) {
            Thread.sleep(20);
        }
        assertThat(chunks.size()).isGreaterThanOrEqualTo(3);
        assertThat(s.isRunning()).isTrue();
        s.close();
        assertThat(s.isRunning()).isFalse();
        int after = chunks.size();
        Thread.sleep(200);
        assertThat(chunks).hasSize(after);
        assertThat(s.failure()).isEmpty();
        assertThat(chunks.get(0)).hasSize(800);
    }

    @Test
    void streamWithNoDataFailsAfterTheIdleTimeout() throws Exception {
        Path ff = script("fake-ffmpeg", "sleep 60");
        FfmpegDecoder d = new FfmpegDecoder(ff, probeScript(), Duration.ofSeconds(5));
        try (FfmpegStream s = d.openStream("http://radio.example/live.mp3", 16_000, 1, 800,
                Duration.ofMillis(300), c -> { })) {
            assertThatThrownBy(() -> s.awaitEnd(Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(HearkenException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT))
                    .hasMessageStartingWith("http://radio.example/live.mp3: no audio from ffmpeg for PT0.3S");
        }
    }
}
