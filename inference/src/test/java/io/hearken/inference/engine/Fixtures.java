package io.hearken.inference.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read-only access to the shared fixtures (model and golden files); never copied into the repository. */
final class Fixtures {
    private Fixtures() {
    }

    static Path sharedDir() {
        String prop = System.getProperty("hearken.shared.dir");
        Path p = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("../../shared");
        return p.toAbsolutePath().normalize();
    }

    static Path modelDir() {
        return sharedDir().resolve("models/efficientat-mn04");
    }

    /** The fixture root of model packages ({@code ../shared/models}). */
    static Path modelsRoot() {
        return sharedDir().resolve("models");
    }

    /** The checkout root (tests run in the inference module directory). */
    static Path projectRoot() {
        return Paths.get("").toAbsolutePath().getParent();
    }

    /** The project's shipped manifest directory for efficientat-mn04 (manifest only). */
    static Path shippedManifestDir() {
        return projectRoot().resolve("models/efficientat-mn04");
    }

    /** Search path with only the fixture location: the shipped manifest finds its files there. */
    static ModelSearchPath fixtureSearchPath() {
        return ModelSearchPath.of(modelsRoot());
    }

    static Path goldenDir() {
        return sharedDir().resolve("golden/efficientat-mn04");
    }

    /** Clip names from golden index.json (a tiny regex read: the file is ours and flat, no JSON library needed). */
    static List<String> clips() {
        try {
            String json = Files.readString(goldenDir().resolve("index.json"));
            Matcher m = Pattern.compile("\"clip\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] readF32(Path file) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bb.remaining() / Float.BYTES];
            bb.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] golden(String clip, String what) {
        return readF32(goldenDir().resolve(clip + "." + what + ".f32"));
    }

    /** Columns [start, start+len) of a [bins][frames] row-major mel. */
    static float[] slice(float[] mel, int bins, int frames, int start, int len) {
        float[] out = new float[bins * len];
        for (int r = 0; r < bins; r++) {
            System.arraycopy(mel, r * frames + start, out, r * len, len);
        }
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** 100-frame windows from all golden mels, {@code hop} frames apart, up to {@code count}. */
    static List<float[]> windows(int count, int len, int hop) {
        List<float[]> out = new ArrayList<>();
        List<float[]> mels = new ArrayList<>();
        for (String clip : clips()) {
            mels.add(golden(clip, "mel"));
        }
        for (int start = 0; out.size() < count; start += hop) {
            boolean any = false;
            for (float[] mel : mels) {
                int frames = mel.length / 128;
                if (start + len <= frames && out.size() < count) {
                    out.add(slice(mel, 128, frames, start, len));
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalStateException("golden mels too short for " + count + " windows");
            }
        }
        return out;
    }
}
