package io.hearken.featurizer.decode;

import io.hearken.featurizer.TestWavs;
import io.hearken.featurizer.Fixtures;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

class WavDecoderTest {

    private static final Path CAT = Fixtures.audio().resolve("esc50/cat_3-95694-A-5.wav");
    private static final Path US8K_24BIT = Fixtures.audio().resolve("us8k/103074-7-0-0.wav");

    static HearkenException badInput(ThrowingCallable call, String source) {
        Throwable t = null;
        try {
            call.call();
        } catch (Throwable e) {
            t = e;
        }
        assertThat(t).as("expected a HearkenException").isInstanceOf(HearkenException.class);
        HearkenException e = (HearkenException) t;
        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
        assertThat(e.getMessage()).startsWith(source + ": ");
        return e;
    }

    // ---- the shared recordings ----

    @Test
    void decodesEveryRecording() throws IOException {
        List<Path> wavs;
        try (Stream<Path> s = Files.walk(Fixtures.audio())) {
            wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        assertThat(wavs).hasSizeGreaterThan(10);
        for (Path p : wavs) {
            DecodedAudio a = WavDecoder.decode(p);
            byte[] head = Fixtures.readBytes(p);
            int bits = (head[34] & 0xFF) | (head[35] & 0xFF) << 8; // fmt is the first chunk in all of them
            System.out.printf("wav %-60s %6d Hz %d ch %2d bit %7.3f s%n", Fixtures.audio().relativize(p),
                    a.sampleRate(), a.channels(), bits, a.durationSeconds());
            // Plausible durations; > 0.3 s rather than 0.5 s because us8k/100032-3-0-0.wav really is a 0.318 s clip
            // (56,016 data bytes of 44.1 kHz stereo 16-bit).
            assertThat(a.durationSeconds()).as(p.toString()).isGreaterThan(0.3).isLessThan(600);
            long payload = (long) a.interleaved().length * bits / 8;
            assertThat(payload).as("decoded payload fits in the file").isLessThanOrEqualTo(head.length - 44L)
                    .isGreaterThan(head.length - 200L);
            assertThat(a.sampleRate()).isIn(16_000, 44_100, 48_000);
            float min = 0;
            float max = 0;
            for (float v : a.interleaved()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(min).isGreaterThanOrEqualTo(-1f);
            assertThat(max).isLessThan(1f);
            assertThat(max - min).as("not silent").isGreaterThan(0f);
        }
    }

    @Test
    void pcm16MatchesRawSamples() {
        byte[] bytes = Fixtures.readBytes(CAT);
        DecodedAudio a = WavDecoder.decode(bytes, "cat.wav");
        assertThat(a.sampleRate()).isEqualTo(44_100);
        assertThat(a.channels()).isEqualTo(1);
        assertThat(a.frames()).isEqualTo(220_500);
        assertThat(a.durationSeconds()).isCloseTo(5.0, within(1e-9));
        for (int i = 0; i < 1000; i++) {
            short s = (short) ((bytes[44 + 2 * i] & 0xFF) | (bytes[45 + 2 * i] << 8));
            assertThat(a.interleaved()[i]).isEqualTo(s / 32768f);
        }
    }

    @Test
    void extensible24BitStereo() {
        DecodedAudio a = WavDecoder.decode(US8K_24BIT);
        assertThat(a.sampleRate()).isEqualTo(48_000);
        assertThat(a.channels()).isEqualTo(2);
        assertThat(a.frames()).isEqualTo(1_152_000 / 6);
        float[] mono = a.mono();
        assertThat(mono).hasSize(a.frames());
        assertThat(mono[100]).isEqualTo((float) ((a.interleaved()[200] + (double) a.interleaved()[201]) / 2));
    }

    // ---- every supported encoding, synthetic ----

    @Test
    void everyEncoding() {
        // 8-bit unsigned: 0 -> -1, 128 -> 0, 255 -> 127/128
        DecodedAudio u8 = WavDecoder.decode(TestWavs.wav(TestWavs.PCM, false, 1, 8000, 8,
                new byte[] {0, (byte) 128, (byte) 255}), "u8.wav");
        assertThat(u8.interleaved()).containsExactly(-1f, 0f, 127f / 128f);

        DecodedAudio s16 = WavDecoder.decode(TestWavs.wav(TestWavs.PCM, false, 2, 16000, 16,
                new byte[] {0, (byte) 0x80, (byte) 0xFF, 0x7F}), "s16.wav");
        assertThat(s16.interleaved()).containsExactly(-1f, 32767f / 32768f);
        assertThat(s16.channels()).isEqualTo(2);
        assertThat(s16.mono()).containsExactly((-1f + 32767f / 32768f) / 2);

        byte[] d24 = {0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 0, 0};
        for (boolean ext : new boolean[] {false, true}) {
            DecodedAudio s24 = WavDecoder.decode(TestWavs.wav(TestWavs.PCM, ext, 1, 48000, 24, d24), "s24.wav");
            assertThat(s24.interleaved()).containsExactly(-1f, 8388607f / 8388608f, 1f / 8388608f);
        }

        byte[] d32 = new byte[12];
        TestWavs.putLe32(d32, 0, Integer.MIN_VALUE);
        TestWavs.putLe32(d32, 4, Integer.MAX_VALUE);
        TestWavs.putLe32(d32, 8, 1 << 16);
        float[] s32 = WavDecoder.decode(TestWavs.wav(TestWavs.PCM, false, 1, 96000, 32, d32), "s32.wav").interleaved();
        assertThat(s32[0]).isEqualTo(-1f);
        assertThat(s32[1]).isLessThan(1f).isGreaterThan(0.9999f);
        assertThat(s32[2]).isEqualTo(1f / 32768f);

        ByteBuffer f32 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f)
                .putFloat(0f);
        for (boolean ext : new boolean[] {false, true}) {
            DecodedAudio f = WavDecoder.decode(TestWavs.wav(TestWavs.FLOAT, ext, 3, 22050, 32, f32.array()), "f32.wav");
            assertThat(f.interleaved()).containsExactly(0.25f, -1.5f, 0f);
            assertThat(f.channels()).isEqualTo(3);
        }
        ByteBuffer f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125).putDouble(-0.5);
        assertThat(WavDecoder.decode(TestWavs.wav(TestWavs.FLOAT, false, 2, 192000, 64, f64.array()), "f64.wav")
                .interleaved()).containsExactly(0.125f, -0.5f);
    }

    @Test
    void skipsUnknownChunksIncludingPadByte() {
        byte[] wav = TestWavs.riff(
                TestWavs.chunk("LIST", "odd".getBytes(StandardCharsets.US_ASCII)), // 3 bytes + pad
                TestWavs.chunk("fmt ", TestWavs.fmt(TestWavs.PCM, false, 1, 8000, 16)),
                TestWavs.chunk("fact", TestWavs.le32(2)),
                TestWavs.chunk("junk", new byte[7]),
                TestWavs.chunk("data", new byte[] {0, 0x40, 0, (byte) 0xC0}),
                TestWavs.chunk("LIST", new byte[5]));
        assertThat(WavDecoder.decode(wav, "chunks.wav").interleaved()).containsExactly(0.5f, -0.5f);
    }

    // ---- malformed input ----

    @Test
    void emptyAndNonWav() {
        assertThat(badInput(() -> WavDecoder.decode(new byte[0], "empty.wav"), "empty.wav").getMessage())
                .contains("not a WAV file").contains("byte 0");
        assertThat(badInput(() -> WavDecoder.decode("hello, this is plainly text and not audio at all"
                .getBytes(StandardCharsets.US_ASCII), "cat.wav"), "cat.wav").getMessage())
                .isEqualTo("cat.wav: not a WAV file (no RIFF header at byte 0)");
        byte[] notWave = TestWavs.riff(TestWavs.chunk("fmt ", new byte[16]));
        notWave[8] = 'A';
        assertThat(badInput(() -> WavDecoder.decode(notWave, "avi.wav"), "avi.wav").getMessage()).contains("byte 8");
        badInput(() -> WavDecoder.decode((byte[]) null, "null.wav"), "null.wav");
    }

    @Test
    void truncatedHeader() {
        byte[] real = Fixtures.readBytes(CAT);
        for (int len : new int[] {4, 11, 12, 20, 30, 40, 43}) {
            HearkenException e = badInput(() -> WavDecoder.decode(Arrays.copyOf(real, len), "cut.wav"), "cut.wav");
            assertThat(e.getMessage()).as("len " + len).containsPattern("byte \\d+");
        }
    }

    @Test
    void truncatedDataChunk() {
        byte[] cut = Arrays.copyOf(Fixtures.readBytes(CAT), 1044);
        assertThat(badInput(() -> WavDecoder.decode(cut, "x.wav"), "x.wav").getMessage()).isEqualTo(
                "x.wav: truncated data chunk: header declares 441000 bytes at byte 44 but only 1000 remain");
    }

    @Test
    void hugeDeclaredSizesDoNotAllocate() {
        byte[] wav = Arrays.copyOf(Fixtures.readBytes(CAT), 2044);
        TestWavs.putLe32(wav, 40, 0xFFFFFFF0L); // data chunk claims ~4 GB
        TestWavs.putLe32(wav, 4, 0xFFFFFFF0L);
        assertThat(badInput(() -> WavDecoder.decode(wav, "huge.wav"), "huge.wav").getMessage())
                .contains("4294967280").contains("2000 remain");
        byte[] lyingFmt = wav.clone();
        TestWavs.putLe32(lyingFmt, 16, 0x7FFFFFFF);
        badInput(() -> WavDecoder.decode(lyingFmt, "fmt.wav"), "fmt.wav");
    }

    @Test
    void wrongFmtValues() {
        byte[] data = new byte[64];
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(1, false, 0, 16000, 16, data), "c0.wav"), "c0.wav")
                .getMessage()).contains("channel count 0").contains("at byte 22");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(1, false, 9, 16000, 16, new byte[18 * 4]), "c9.wav"),
                "c9.wav").getMessage()).contains("channel count 9");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(1, false, 1, 1000, 16, data), "r.wav"), "r.wav")
                .getMessage()).contains("sample rate 1000").contains("at byte 24");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(1, false, 1, 16000, 12, data), "b.wav"), "b.wav")
                .getMessage()).contains("bits per sample 12").contains("at byte 34");
        badInput(() -> WavDecoder.decode(TestWavs.wav(3, false, 1, 16000, 16, data), "f16.wav"), "f16.wav");
        badInput(() -> WavDecoder.decode(TestWavs.wav(2, false, 1, 16000, 16, data), "adpcm.wav"), "adpcm.wav");
        byte[] badBlock = TestWavs.wav(1, false, 2, 16000, 16, data);
        TestWavs.putLe16(badBlock, 32, 3);
        assertThat(badInput(() -> WavDecoder.decode(badBlock, "ba.wav"), "ba.wav").getMessage()).contains("block align");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(1, false, 2, 16000, 16, new byte[6]), "odd.wav"),
                "odd.wav").getMessage()).contains("not a whole number");
    }

    @Test
    void structuralErrors() {
        byte[] fmt = TestWavs.chunk("fmt ", TestWavs.fmt(1, false, 1, 16000, 16));
        byte[] data = TestWavs.chunk("data", new byte[4]);
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.riff(data, fmt), "order.wav"), "order.wav").getMessage())
                .contains("before any fmt");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.riff(fmt), "nodata.wav"), "nodata.wav").getMessage())
                .contains("no data chunk");
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.riff(fmt, fmt, data), "twice.wav"), "twice.wav")
                .getMessage()).contains("second fmt");
        byte[] nan = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f).putFloat(Float.NaN).array();
        assertThat(badInput(() -> WavDecoder.decode(TestWavs.wav(3, false, 1, 16000, 32, nan), "nan.wav"), "nan.wav")
                .getMessage()).contains("non-finite").contains("at byte 48");
        byte[] ext = TestWavs.wav(1, true, 1, 16000, 16, new byte[4]);
        ext[20 + 24 + 5] = 0x55; // damage the sub-format GUID
        assertThat(badInput(() -> WavDecoder.decode(ext, "guid.wav"), "guid.wav").getMessage()).contains("GUID");
    }

    @Test
    void missingFile(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(badInput(() -> WavDecoder.decode(dir.resolve("x.wav")), "x.wav").getMessage())
                .isEqualTo("x.wav: no such file");
        badInput(() -> WavDecoder.decode(dir), dir.getFileName().toString()); // a directory cannot be read
    }

    /** Random mutations of real headers: only HearkenException(BAD_INPUT) naming the source may come out. */
    @Test
    void fuzzedHeadersNeverThrowAnythingElse() {
        byte[][] bases = {
            Arrays.copyOf(Fixtures.readBytes(CAT), 44 + 2000),
            Arrays.copyOf(Fixtures.readBytes(US8K_24BIT), 80 + 1800),
            TestWavs.riff(TestWavs.chunk("LIST", new byte[3]), TestWavs.chunk("fmt ", TestWavs.fmt(3, true, 2, 44100, 32)),
                    TestWavs.chunk("data", new byte[800]))};
        TestWavs.putLe32(bases[0], 40, 2000);
        TestWavs.putLe32(bases[1], 76, 1800);
        long[] extremes = {0, 1, 2, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0xFFFFFFF8L, 16, 40, 44};
        Random rnd = new Random(20240611L);
        int ok = 0;
        int rejected = 0;
        for (int it = 0; it < 2000; it++) {
            byte[] b = bases[it % bases.length].clone();
            int header = Math.min(b.length, 100);
            int mutations = 1 + rnd.nextInt(6);
            for (int m = 0; m < mutations; m++) {
                switch (rnd.nextInt(4)) {
                    case 0 -> b[rnd.nextInt(header)] = (byte) rnd.nextInt(256);
                    case 1 -> b[rnd.nextInt(header)] ^= (byte) (1 << rnd.nextInt(8));
                    case 2 -> TestWavs.putLe32(b, rnd.nextInt(header - 4), extremes[rnd.nextInt(extremes.length)]);
                    default -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                }
                header = Math.min(b.length, 100);
                if (header < 5) {
                    break;
                }
            }
            try {
                DecodedAudio a = WavDecoder.decode(b, "fuzz-" + it + ".wav");
                assertThat(a.interleaved().length).isLessThanOrEqualTo(b.length);
                ok++;
            } catch (HearkenException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
                assertThat(e.getMessage()).startsWith("fuzz-" + it + ".wav: ");
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + it + " threw " + t, t);
            }
        }
        System.out.printf("fuzz: %d decoded, %d rejected%n", ok, rejected);
        assertThat(rejected).isGreaterThan(500);
    }
}
