package io.hearken.inference.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SigmoidTest {

    @Test
    void stableAtTheExtremes() {
        assertThat(Sigmoid.of(0f)).isEqualTo(0.5f);
        assertThat(Sigmoid.of(1000f)).isEqualTo(1f);
        assertThat(Sigmoid.of(-1000f)).isEqualTo(0f);
        assertThat(Sigmoid.of(-50f)).isGreaterThan(0f).isCloseTo((float) Math.exp(-50), within(1e-25f));
        assertThat(Sigmoid.of(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(Sigmoid.of(Float.POSITIVE_INFINITY)).isEqualTo(1f);
        assertThat(Sigmoid.of(2f) + Sigmoid.of(-2f)).isCloseTo(1f, within(1e-7f));
    }
}
