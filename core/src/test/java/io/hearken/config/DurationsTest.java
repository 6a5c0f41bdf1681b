package io.hearken.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500000000", "2s, 2000000000", "1.5s, 1500000000", "10m, 600000000000", "1h, 3600000000000",
            "250us, 250000", "7ns, 7", "0, 0", "0s, 0", "PT2S, 2000000000", "PT0.5S, 500000000", "pt1m, 60000000000",
            "' 2s ', 2000000000", "1.5 s, 1500000000", "0.25ms, 250000"})
    void parses(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-1s | '-1s' must not be negative",
            "-PT1S | '-PT1S' must not be negative",
            "fast | 'fast' is not a duration (e.g. 500ms",
            "5 | '5' needs a unit",
            "2x | '2x' has an unknown unit 'x'",
            "1.5ns | '1.5ns' is finer than a nanosecond",
            "1.2.3s | '1.2.3s' is not a duration",
            "PT | 'PT' is not a duration",
            "10M | '10M' is not a duration",
            "9999999999999999h | '9999999999999999h' is too long"})
    void rejects(String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void rejectsEmpty() {
        assertThatThrownBy(() -> Durations.parse("  ")).hasMessageStartingWith("'' is not a duration");
    }

    @ParameterizedTest
    @CsvSource({"1500000000, 1.5s", "500000000, 500ms", "600000000000, 10m", "90000000000, 1.5m", "61000000000, 61s",
            "0, 0", "3600000000000, 1h", "129600000000000, 36h", "250000, 250us", "1000000, 1ms", "1000500000, 1000.5ms",
            "1234567, 1234.567us", "1, 1ns", "100000000, 100ms", "2700000000000, 45m", "5000000000, 5s"})
    void formatsInTheLargestExactUnit(long nanos, String text) {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatThenParseIsIdentity() {
        Random random = new Random(42);
        List<Duration> samples = new ArrayList<>(List.of(Duration.ZERO, Duration.ofDays(400), Duration.ofSeconds(Long.MAX_VALUE / 4000)));
        for (int i = 0; i < 2000; i++) {
            long nanos = Math.abs(random.nextLong()) >>> random.nextInt(63);
            // Mostly round values, as people write them; some arbitrary.
            long unit = List.of(1L, 1_000L, 1_000_000L, 1_000_000_000L).get(random.nextInt(4));
            samples.add(Duration.ofNanos(nanos / unit * unit));
        }
        for (Duration d : samples) {
            assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(d);
        }
    }

    @Test
    void refusesToFormatNegative() {
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
