package io.hearken.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class PercentilesTest {

    @Test
    void nearestRankOfAShuffledKnownList() {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, 1000).boxed().toList());
        Collections.shuffle(values, new java.util.Random(7));
        // Of 1..1000 the q-percentile by nearest rank is the value ranked ceil(1000 q), i.e. 1000 q itself.
        assertThat(Percentiles.nearestRank(values, 0.99)).isEqualTo(990.0);
        assertThat(Percentiles.nearestRank(values, 0.50)).isEqualTo(500.0);
        assertThat(Percentiles.nearestRank(values, 1.0)).isEqualTo(1000.0);
    }

    @Test
    void aFewValuesGiveAMeasuredValueNotAnInterpolation() {
        // 20 values: p99 is rank ceil(19.8) = 20, the worst; p50 is rank 10.
        List<Long> twenty = LongStream.rangeClosed(1, 20).map(i -> 21 - i).boxed().toList();
        assertThat(Percentiles.nearestRank(twenty, 0.99)).isEqualTo(20.0);
        assertThat(Percentiles.nearestRank(twenty, 0.50)).isEqualTo(10.0);
        assertThat(Percentiles.nearestRank(List.of(5L, 1L, 3L), 0.5)).isEqualTo(3.0);
        assertThat(Percentiles.nearestRank(List.of(42L), 0.99)).isEqualTo(42.0);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThat(Percentiles.nearestRank(List.of(), 0.99)).isNaN();
    }
}
