package io.hearken.sinks.anomaly;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A bounded enrolment bank: the first {@code cap} vectors, then a uniform reservoir sample of everything offered
 * (Vitter's algorithm R). Which slot the n-th vector replaces is a pure function of (n, cap, seed)
 * ({@link #slot}), so the topology can keep the bank in a state store one slot per entry, without keeping a random
 * generator's state, and a replay gives the same bank.
 */
public final class ReservoirBank {
    private final int cap;
    private final long seed;
    private final List<EnrolmentVector> entries = new ArrayList<>();
    private long seen;

    public ReservoirBank(int cap, long seed) {
        if (cap < 1) {
            throw new IllegalArgumentException("bank cap must be >= 1, got " + cap);
        }
        this.cap = cap;
        this.seed = seed;
    }

    /**
     * The slot the {@code n}-th offered vector (0-based) goes to, or -1 when the sample does not keep it: slot n while
     * the bank is not full, then slot r for r uniform in [0, n] when r &lt; cap (probability cap / (n + 1)).
     */
    public static int slot(long n, int cap, long seed) {
        if (n < cap) {
            return (int) n;
        }
        long r = Long.remainderUnsigned(mix(seed ^ (n * 0x9E3779B97F4A7C15L)), n + 1);
        return r < cap ? (int) r : -1;
    }

    /** Offers one vector; returns the slot it took or -1 when it was not kept. */
    public int offer(EnrolmentVector vector) {
        int slot = slot(seen, cap, seed);
        seen++;
        if (slot >= 0) {
            if (slot == entries.size()) {
                entries.add(vector);
            } else {
                entries.set(slot, vector);
            }
        }
        return slot;
    }

    public void offerAll(List<EnrolmentVector> vectors) {
        vectors.forEach(this::offer);
    }

    /** The kept vectors, in slot order (read-only view). */
    public List<EnrolmentVector> entries() {
        return Collections.unmodifiableList(entries);
    }

    public int size() {
        return entries.size();
    }

    /** Vectors offered so far, kept or not. */
    public long seen() {
        return seen;
    }

    public int cap() {
        return cap;
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
