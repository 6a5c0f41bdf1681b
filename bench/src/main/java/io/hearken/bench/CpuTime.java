package io.hearken.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread CPU time of the benchmark thread, as JMH secondary results ({@code cpuNanos}, {@code calls}; summed over
 * the measurement iterations): CPU nanoseconds per call = cpuNanos / calls. This is what "per core" means in the
 * report: the measuring thread's own CPU time, excluding time it was preempted and excluding JIT and GC threads.
 * Both counters stay 0 where the JVM cannot measure thread CPU time; then only JMH's wall time is reported.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = MX.isCurrentThreadCpuTimeSupported();

    /** CPU nanoseconds spent inside measured calls during this iteration. */
    public long cpuNanos;
    /** Measured calls during this iteration. */
    public long calls;

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        calls = 0;
    }

    long start() {
        return SUPPORTED ? MX.getCurrentThreadCpuTime() : 0L;
    }

    void stop(long t0) {
        if (SUPPORTED) {
            cpuNanos += MX.getCurrentThreadCpuTime() - t0;
            calls++;
        }
    }
}
