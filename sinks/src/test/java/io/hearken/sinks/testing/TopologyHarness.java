package io.hearken.sinks.testing;

import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.Topic;
import io.hearken.sinks.SinksApp;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sink topology under TopologyTestDriver, configured as {@link SinksApp} runs it. Register it on a static field:
 * <pre>
 * &#64;RegisterExtension
 * static final TopologyHarness harness = new TopologyHarness("tag-test");
 * </pre>
 * Each test class gets its own {@code mock://<TestClass>} registry scope, dropped after the class so a later class
 * starts from an empty registry; the driver a test starts is closed after it.
 */
public final class TopologyHarness implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String applicationId;
    private String registryUrl;
    private HearkenTopics topics;
    private TopologyTestDriver driver;

    /** {@code applicationId} names the changelog topics ({@code <applicationId>-<store>-changelog}). */
    public TopologyHarness(String applicationId) {
        this.applicationId = applicationId;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        registryUrl = "mock://" + context.getRequiredTestClass().getSimpleName();
        topics = new HearkenTopics(RegistryClients.create(registryUrl));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RegistryClients.dropMockScope(registryUrl);
    }

    public HearkenTopics topics() {
        if (topics == null) {
            throw new IllegalStateException("TopologyHarness is registered on an instance field: make it static");
        }
        return topics;
    }

    /**
     * Starts a driver on {@code topology} in a fresh state directory, wall clock and stream time at epoch 0 so that
     * only the tests' explicit timestamps move time. A driver still open is closed first (a restart).
     */
    public TopologyTestDriver start(Topology topology) throws IOException {
        stop();
        Properties config = SinksApp.streamsConfig("dummy:9092", registryUrl, applicationId,
                Files.createTempDirectory(applicationId));
        driver = new TopologyTestDriver(topology, config, Instant.ofEpochMilli(0));
        return driver;
    }

    /** The driver the running test started. */
    public TopologyTestDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("no driver running: call start(topology) first");
        }
        return driver;
    }

    /** Closes the running driver, if any. */
    public void stop() {
        if (driver != null) {
            driver.close();
            driver = null;
        }
    }

    /** Writes to {@code topic} with its own serdes, as the upstream stage does. */
    public <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver().createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Reads {@code topic} with its own serdes, as a downstream consumer does. */
    public <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver().createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
