package io.hearken.platform;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps the job manager's {@code numRestarts} gauge, so a test can see that the job
 * failed and restarted (the MiniCluster runs in the test's JVM). One job at a time.
 */
public final class RestartCounter implements MetricReporter {
    private static final AtomicReference<Gauge<?>> NUM_RESTARTS = new AtomicReference<>();

    /** Adds this reporter to a job's Flink configuration and forgets any earlier job's gauge. */
    public static void install(Configuration conf) {
        NUM_RESTARTS.set(null);
        conf.setString("metrics.reporter.restarts.factory.class", Factory.class.getName());
    }

    /** Restarts of the running job so far (0 before its gauge is registered). */
    public static long restarts() {
        Gauge<?> gauge = NUM_RESTARTS.get();
        return gauge == null ? 0 : ((Number) gauge.getValue()).longValue();
    }

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RestartCounter();
        }
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if ("numRestarts".equals(name) && metric instanceof Gauge<?> gauge) {
            NUM_RESTARTS.set(gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    }
}
