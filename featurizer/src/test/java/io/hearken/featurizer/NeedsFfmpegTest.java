package io.hearken.featurizer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class NeedsFfmpegTest {
    @Test
    void missingFfmpegFailsInCiAndSkipsElsewhere() {
        assertThatThrownBy(() -> NeedsFfmpeg.require(false, "true"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI must install ffmpeg");
        assertThatThrownBy(() -> NeedsFfmpeg.require(false, null)).isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> NeedsFfmpeg.require(false, "false")).isInstanceOf(TestAbortedException.class);
        assertThatCode(() -> NeedsFfmpeg.require(true, "true")).doesNotThrowAnyException();
    }
}
