package io.hearken.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaseTimerTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final CaseTimer timer = new CaseTimer(clock);

    @Test
    void timesEachRunAfterTheUntimedWarmUp() {
        List<Long> taken = new ArrayList<>();
        // Run k takes k+1 ms: the three warm-up runs 1-3 ms, then the timed ones 4, 5, ... ms.
        List<Long> nanos = timer.time(() -> {
            long d = (taken.size() + 1) * 1_000_000L;
            taken.add(d);
            clock.advance(d);
        }, Duration.ZERO);

        assertThat(taken).hasSize(CaseTimer.WARMUP_RUNS + CaseTimer.MIN_RUNS);
        assertThat(nanos).containsExactlyElementsOf(taken.subList(CaseTimer.WARMUP_RUNS, taken.size()));
    }

    @Test
    void runsUntilTheBudgetIsSpentOnceTheMinimumIsReached() {
        // 3 ms a run against a 100 ms budget: the run that crosses 100 ms is the last, ceil(100 / 3) = 34 runs.
        List<Long> nanos = timer.time(() -> clock.advance(3_000_000L), Duration.ofMillis(100));
        assertThat(nanos).hasSize((int) Math.ceil(100 / 3.0)).containsOnly(3_000_000L);

        // 50 ms a run: the budget is spent after 2 runs, but a p99 needs the minimum.
        assertThat(timer.time(() -> clock.advance(50_000_000L), Duration.ofMillis(100))).hasSize(CaseTimer.MIN_RUNS);
    }

    @Test
    void aRunThatTakesNoTimeStopsAtTheCap() {
        assertThat(timer.time(() -> { }, Duration.ofMillis(1))).hasSize(CaseTimer.MAX_RUNS);
    }
}
