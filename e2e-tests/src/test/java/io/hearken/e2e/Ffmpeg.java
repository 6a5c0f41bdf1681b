package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearken.featurizer.decode.FfmpegDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ffmpeg for tests that make compressed copies of the shared recordings: such a test is skipped where ffmpeg is not
 * installed, except in CI (environment variable CI=true), which installs it (.ci/run) and must not pass by skipping.
 */
final class Ffmpeg {
    private Ffmpeg() {
    }

    static void require() {
        if (FfmpegDecoder.isAvailable()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("ffmpeg/ffprobe are not installed but CI=true: CI must install ffmpeg (apt-get install ffmpeg, "
                    + "see .ci/run) so that the decoding tests run");
        }
        assumeTrue(false, "ffmpeg/ffprobe not installed (apt-get install ffmpeg): skipped outside CI");
    }

    /** Encodes {@code source} into {@code out} with the given codec arguments. */
    static Path encode(Path source, Path out, String... codec) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", source.toString()));
        command.addAll(List.of(codec));
        command.add(out.toString());
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as("ffmpeg encode %s: %s", out, Files.readString(log)).isZero();
        return out;
    }
}
