package io.hearken.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class LagTimelineTest {
    private static final long START = 1_700_000_000_000_000L;
    private static final long SECOND = 1_000_000L;

    @Test
    void bucketsByPeriodOfWindowEnd() {
        LagTimeline t = new LagTimeline(START, 10 * SECOND);
        // 0-10 s: windows 5 s behind (cold start); 10-20 s: none; 20-30 s: 1..100 ms, whose p99 is 99.
        t.add(START + 2 * SECOND, 5_000);
        t.add(START + 9_999_999, 4_000);
        LongStream.rangeClosed(1, 100).forEach(ms -> t.add(START + 20 * SECOND + ms * 1000, ms));
        // A window ending exactly at 30 s opens the fourth period.
        t.add(START + 30 * SECOND, 7);

        assertThat(t.p99ByPeriod()).containsExactly(5_000.0, Double.NaN, 99.0, 7.0);
    }

    @Test
    void windowsEndingBeforeTheStartCountInTheFirstPeriod() {
        LagTimeline t = new LagTimeline(START, 10 * SECOND);
        t.add(START - SECOND, 42);
        assertThat(t.p99ByPeriod()).containsExactly(42.0);
        assertThat(new LagTimeline(START, 10 * SECOND).p99ByPeriod()).isEmpty();
    }

    @Test
    void theWarmUpMarkGoesBeforeThePeriodInWhichMeasuringBegan() {
        List<Double> p99 = List.of(900.0, 800.0, 400.4, 299.5);
        // Whole milliseconds, rounded. Measured from 25 s: the 20-30 s period holds the first measured windows.
        assertThat(LagTimeline.render(p99, 25, 10)).isEqualTo("900 800 | 400 300");
        assertThat(LagTimeline.render(p99, 20, 10)).isEqualTo("900 800 | 400 300");
        assertThat(LagTimeline.render(p99, 19.9, 10)).isEqualTo("900 | 800 400 300");
        // Measured from the start, or never: no mark.
        assertThat(LagTimeline.render(p99, 0.1, 10)).isEqualTo("900 800 400 300");
        assertThat(LagTimeline.render(p99, Double.NaN, 10)).isEqualTo("900 800 400 300");
        assertThat(LagTimeline.render(List.of(Double.NaN, 5.0), 12, 10)).isEqualTo("NaN | 5");
    }
}
