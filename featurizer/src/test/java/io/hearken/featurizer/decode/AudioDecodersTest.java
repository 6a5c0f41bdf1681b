package io.hearken.featurizer.decode;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.NeedsFfmpeg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudioDecodersTest {
    @TempDir
    Path tmp;

    /** A decoder whose ffmpeg does not exist: proves WAV never needs it. */
    private FfmpegDecoder noFfmpeg() {
        return new FfmpegDecoder(tmp.resolve("none/ffmpeg"), tmp.resolve("none/ffprobe"), Duration.ofSeconds(5));
    }

    @Test
    void wavIsRecognisedByItsMagicAndDecodedWithoutFfmpeg() throws Exception {
        Path cat = FfmpegDecoderTest.CAT;
        // Misnamed on purpose: the magic bytes decide, not the extension.
        Path misnamed = Files.copy(cat, tmp.resolve("really-a-wav.mp3"));
        DecodedAudio d = AudioDecoders.decode(misnamed, noFfmpeg());
        FfmpegDecoderTest.assertSameSamples(d, WavDecoder.decode(cat));
        assertThat(AudioDecoders.isWav(cat)).isTrue();
    }

    @Test
    void damagedWavIsBadInputFromTheWavDecoderNamingTheFile() throws Exception {
        byte[] head = Files.readAllBytes(FfmpegDecoderTest.CAT);
        Path cut = Files.write(tmp.resolve("cut.wav"), Arrays.copyOf(head, 100));
        assertThatThrownBy(() -> AudioDecoders.decode(cut, noFfmpeg()))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("cut.wav: truncated data chunk");
    }

    @Test
    void otherFormatsGoToFfmpegAndWithoutItTheErrorNamesTheFileAndSaysToInstallIt() throws Exception {
        Path notWav = Files.write(tmp.resolve("clip.flac"), "fLaC....".getBytes());
        assertThat(AudioDecoders.isWav(notWav)).isFalse();
        assertThatThrownBy(() -> AudioDecoders.decode(notWav, noFfmpeg()))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("clip.flac: decoding it needs ffmpeg, which is not installed")
                .hasMessageEndingWith("install ffmpeg (apt-get install ffmpeg)");
    }

    @Test
    void audioExtensionsAreWavAndWhatFfmpegDecodes() {
        for (String name : List.of("a.wav", "b.WAV", "c.flac", "d.mp3", "e.ogg", "f.opus", "g.m4a", "h.aac", "i.oga")) {
            assertThat(AudioDecoders.hasAudioExtension(Path.of("dir", name))).as(name).isTrue();
        }
        for (String name : List.of("notes.txt", "wav", ".wav", "clip.wav.bak", "image.png")) {
            assertThat(AudioDecoders.hasAudioExtension(Path.of("dir", name))).as(name).isFalse();
        }
    }

    @Test
    void flacDecodesLikeTheWavItCameFrom() throws Exception {
        NeedsFfmpeg.require();
        Path flac = FfmpegDecoderTest.encode(FfmpegDecoderTest.STEREO, tmp.resolve("stereo.flac"), "-c:a", "flac");
        FfmpegDecoderTest.assertSameSamples(AudioDecoders.decode(flac), WavDecoder.decode(FfmpegDecoderTest.STEREO));
    }

    @Test
    void corruptNonWavNamesTheFile() throws Exception {
        NeedsFfmpeg.require();
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        Path bad = Files.write(tmp.resolve("broken.mp3"), junk);
        assertThatThrownBy(() -> AudioDecoders.decode(bad))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("broken.mp3: ");
    }

    @Test
    void missingFileIsBadInputNamingIt() {
        assertThatThrownBy(() -> AudioDecoders.decode(tmp.resolve("gone.ogg")))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("gone.ogg: no such file");
    }
}
