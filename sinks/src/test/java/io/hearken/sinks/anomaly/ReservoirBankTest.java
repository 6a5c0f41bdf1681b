package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReservoirBankTest {
    private static EnrolmentVector v(int i) {
        return new EnrolmentVector("s", i * 500_000L, i * 500_000L + 1_000_000L, new float[] {i});
    }

    @Test
    void keepsEverythingUpToTheCapThenNeverMore() {
        ReservoirBank bank = new ReservoirBank(100, 42);
        for (int i = 0; i < 100; i++) {
            assertThat(bank.offer(v(i))).isEqualTo(i);
        }
        for (int i = 100; i < 10_000; i++) {
            bank.offer(v(i));
            assertThat(bank.size()).isEqualTo(100);
        }
        assertThat(bank.seen()).isEqualTo(10_000);
        // A sample of the whole history, not just the first or the last vectors.
        long late = bank.entries().stream().filter(e -> e.values()[0] >= 5000).count();
        assertThat(late).isBetween(30L, 70L);
    }

    @Test
    void isDeterministicForASeedAndDiffersAcrossSeeds() {
        List<Float> a = sample(42);
        assertThat(sample(42)).isEqualTo(a);
        assertThat(sample(43)).isNotEqualTo(a);
    }

    @Test
    void everyVectorIsEquallyLikelyToBeKept() {
        int cap = 20;
        int n = 200;
        int runs = 2000;
        int[] kept = new int[n];
        for (int seed = 0; seed < runs; seed++) {
            ReservoirBank bank = new ReservoirBank(cap, seed);
            for (int i = 0; i < n; i++) {
                bank.offer(v(i));
            }
            bank.entries().forEach(e -> kept[(int) e.values()[0]]++);
        }
        double expected = runs * (double) cap / n; // 200
        for (int i = 0; i < n; i++) {
            assertThat((double) kept[i]).as("vector %d", i).isBetween(expected * 0.7, expected * 1.3);
        }
    }

    @Test
    void slotIsAPureFunction() {
        for (long n = 0; n < 1000; n++) {
            int slot = ReservoirBank.slot(n, 50, 7);
            assertThat(slot).isEqualTo(ReservoirBank.slot(n, 50, 7)).isBetween(-1, 49);
            if (n < 50) {
                assertThat(slot).isEqualTo((int) n);
            }
        }
    }

    private static List<Float> sample(long seed) {
        ReservoirBank bank = new ReservoirBank(10, seed);
        for (int i = 0; i < 1000; i++) {
            bank.offer(v(i));
        }
        return bank.entries().stream().map(e -> e.values()[0]).toList();
    }
}
