package io.hearken.bench;

import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.featurizer.decode.Pcm16;
import io.hearken.featurizer.dsp.Resampler;
import io.hearken.featurizer.decode.WavDecoder;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark input: the first {@value #SECONDS} s of a real recording from the shared fixtures
 * ({@value #CLIP}, 44.1 kHz mono 16-bit), read in place. Resampled versions are made once per rate (setup, not
 * measured).
 */
public final class BenchAudio {
    /** Relative to the shared fixtures directory. */
    public static final String CLIP = "audio/clotho/Tenerife_bazaar_2.wav";
    /** Audio length every benchmark operation processes. */
    public static final double SECONDS = 10.0;

    private static volatile DecodedAudio native10s;
    private static final Map<Integer, float[]> AT_RATE = new ConcurrentHashMap<>();

    private BenchAudio() {}

    /**
     * The shared fixtures directory: system property {@code hearken.shared.dir}, else environment variable
     * {@code HEARKEN_SHARED_DIR}, else {@code ../shared} or {@code ../../shared} from the working directory, else
     * {@code ../../../shared} from the benchmarks jar (bench/target/x.jar sits three levels below it).
     */
    public static Path sharedDir() {
        List<Path> tried = new ArrayList<>();
        for (String s : new String[] {System.getProperty("hearken.shared.dir"), System.getenv("HEARKEN_SHARED_DIR")}) {
            if (s != null && !s.isBlank()) {
                return Path.of(s).toAbsolutePath().normalize();
            }
        }
        tried.add(Path.of("../shared"));
        tried.add(Path.of("../../shared"));
        try {
            Path jar = Path.of(BenchAudio.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            tried.add(jar.resolve("../../../shared"));
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: skip that guess
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p.resolve(CLIP))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("shared fixtures not found (tried " + tried + "); set -Dhearken.shared.dir="
                + "/path/to/shared or HEARKEN_SHARED_DIR");
    }

    /** The 10 s excerpt at the recording's own rate, mono. */
    public static DecodedAudio tenSeconds() {
        DecodedAudio a = native10s;
        if (a == null) {
            DecodedAudio whole = WavDecoder.decode(sharedDir().resolve(CLIP));
            int frames = (int) Math.round(SECONDS * whole.sampleRate());
            if (whole.frames() < frames) {
                throw new IllegalStateException(CLIP + " is shorter than " + SECONDS + " s");
            }
            a = new DecodedAudio(whole.sampleRate(), 1, Arrays.copyOf(whole.mono(), frames));
            native10s = a;
        }
        return a;
    }

    /** The 10 s excerpt resampled to {@code rate} (cached; do not modify). */
    public static float[] tenSecondsAt(int rate) {
        return AT_RATE.computeIfAbsent(rate, r -> {
            DecodedAudio a = tenSeconds();
            return Resampler.resampleWhole(a.interleaved(), a.sampleRate(), r);
        });
    }

    /** The 10 s excerpt as a 16-bit PCM mono WAV file in memory (lossless: the recording is 16-bit). */
    public static byte[] tenSecondsWav() {
        DecodedAudio a = tenSeconds();
        byte[] pcm = Pcm16.toPcm16le(a.interleaved());
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(36 + pcm.length);
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(a.sampleRate()).putInt(a.sampleRate() * 2);
        b.putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(pcm.length).put(pcm);
        return b.array();
    }
}
