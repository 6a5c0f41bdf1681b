package io.hearken.featurizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Access to the shared fixtures (read in place, never copied into the repo). */
public final class Fixtures {
    private Fixtures() {}

    public static Path shared() {
        String dir = System.getProperty("hearken.shared.dir");
        return Path.of(dir != null && !dir.isBlank() ? dir : "../../shared").toAbsolutePath().normalize();
    }

    public static Path golden() {
        return shared().resolve("golden/efficientat-mn04");
    }

    public static Path audio() {
        return shared().resolve("audio");
    }

    /** Clip names from golden index.json (a regex over "clip": "..."; no JSON library needed). */
    public static List<String> goldenClips() {
        String json = readString(golden().resolve("index.json"));
        Matcher m = Pattern.compile("\"clip\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        List<String> clips = new ArrayList<>();
        while (m.find()) {
            clips.add(m.group(1));
        }
        return clips;
    }

    /** The integer pairs of "mel_shape": [a, b] in index.json, in clip order. */
    public static List<int[]> goldenMelShapes() {
        String json = readString(golden().resolve("index.json"));
        Matcher m = Pattern.compile("\"mel_shape\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]").matcher(json);
        List<int[]> shapes = new ArrayList<>();
        while (m.find()) {
            shapes.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return shapes;
    }

    public static float[] readF32(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            float[] out = new float[b.length / 4];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
