package io.hearken.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class StreamLagsTest {

    @Test
    void aStreamWithOneWindowLateBeyondItsP99IsNotRealTime() {
        StreamLags lags = new StreamLags();
        // Stream a: 99 windows at 300 ms and one at 1,200 ms: its p99 (rank 99 of 100) is 300 ms, real time.
        LongStream.range(0, 99).forEach(i -> lags.add("a", 300));
        lags.add("a", 1_200);
        // Stream b: 10 windows, one 1.2 s late: rank ceil(9.9) = 10 is the late one, not real time.
        LongStream.range(0, 9).forEach(i -> lags.add("b", 250));
        lags.add("b", 1_200);
        // Stream c: exactly at the limit is still real time.
        lags.add("c", 1_000);

        assertThat(lags.realtimeStreams(1_000)).isEqualTo(2);
        assertThat(lags.realtimeStreams(1_200)).isEqualTo(3);
        assertThat(lags.realtimeStreams(299)).isZero();
    }

    @Test
    void percentilesAndCountAreOverAllStreamsWindows() {
        StreamLags lags = new StreamLags();
        // 1..200 ms spread over two streams, alternately.
        LongStream.rangeClosed(1, 200).forEach(ms -> lags.add(ms % 2 == 0 ? "even" : "odd", ms));

        assertThat(lags.windows()).isEqualTo(200);
        assertThat(lags.percentiles()).isEqualTo(new StreamBench.LagPercentiles(100, 198));
    }

    @Test
    void noWindowsNoFigures() {
        StreamLags lags = new StreamLags();
        assertThat(lags.windows()).isZero();
        assertThat(lags.realtimeStreams(1_000)).isZero();
        assertThat(lags.percentiles().p50Ms()).isNaN();
        assertThat(lags.percentiles().p99Ms()).isNaN();
    }
}
