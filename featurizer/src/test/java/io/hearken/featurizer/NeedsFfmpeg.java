package io.hearken.featurizer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearken.featurizer.decode.FfmpegDecoder;

/**
 * For tests that need ffmpeg: skipped where it is not installed, except in CI (environment variable CI=true), which
 * installs it (.ci/run) and must not pass by skipping them.
 */
public final class NeedsFfmpeg {
    private static final boolean AVAILABLE = FfmpegDecoder.isAvailable();

    private NeedsFfmpeg() {}

    /** Returns if ffmpeg and ffprobe run; otherwise fails in CI and aborts (skips) the test elsewhere. */
    public static void require() {
        require(AVAILABLE, System.getenv("CI"));
    }

    static void require(boolean available, String ciVariable) {
        if (available) {
            return;
        }
        if ("true".equals(ciVariable)) {
            fail("ffmpeg/ffprobe are not installed but CI=true: CI must install ffmpeg (apt-get install ffmpeg, "
                    + "see .ci/run) so that the decoding tests run");
        }
        assumeTrue(false, "ffmpeg/ffprobe not installed (apt-get install ffmpeg): skipped outside CI");
    }
}
