package io.hearken.featurizer.decode;

import io.hearken.featurizer.TestWavs;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pcm16Test {

    @Test
    void roundTripsEveryCode() {
        float[] x = new float[65536];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 32768) / 32768f;
        }
        byte[] b = Pcm16.toPcm16le(x);
        assertThat(b).hasSize(2 * x.length);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0x80); // -32768 little-endian
        assertThat(Pcm16.fromPcm16le(b)).containsExactly(x);
    }

    @Test
    void clipsAndRoundsToNearest() {
        float q = 1f / 32768f;
        byte[] b = Pcm16.toPcm16le(new float[] {1f, -1f, 2f, -7f, 0.4f * q, 0.6f * q, -0.6f * q, Float.NaN,
            Float.POSITIVE_INFINITY});
        float[] back = Pcm16.fromPcm16le(b);
        assertThat(back).containsExactly(32767 * q, -1f, 32767 * q, -1f, 0f, q, -q, 0f, 32767 * q);
    }

    @Test
    void matchesWavDecoderScaling() {
        Random rnd = new Random(5);
        byte[] pcm = new byte[2000];
        rnd.nextBytes(pcm);
        float[] viaWav = WavDecoder.decode(TestWavs.wav(1, false, 1, 16000, 16, pcm), "w.wav").interleaved();
        assertThat(Pcm16.fromPcm16le(pcm)).containsExactly(viaWav);
    }

    @Test
    void oddLengthIsBadInput() {
        assertThatThrownBy(() -> Pcm16.fromPcm16le(new byte[3], "stream-7"))
                .isInstanceOf(HearkenException.class)
                .hasMessageContaining("stream-7").hasMessageContaining("even number of bytes").hasMessageContaining("3")
                .satisfies(e -> assertThat(((HearkenException) e).kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThatThrownBy(() -> Pcm16.fromPcm16le(new byte[1])).isInstanceOf(HearkenException.class);
    }

    @Test
    void decodedAudioBasics() {
        DecodedAudio a = new DecodedAudio(8000, 2, new float[] {1f, 0f, 0.5f, -0.5f, 0.25f, 0.25f});
        assertThat(a.frames()).isEqualTo(3);
        assertThat(a.mono()).containsExactly(0.5f, 0f, 0.25f);
        assertThat(a.durationSeconds()).isEqualTo(3.0 / 8000);
        assertThatThrownBy(() -> new DecodedAudio(8000, 2, new float[3])).isInstanceOf(HearkenException.class);
        assertThatThrownBy(() -> new DecodedAudio(0, 1, new float[3])).isInstanceOf(HearkenException.class);
    }
}
