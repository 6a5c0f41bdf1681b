package io.hearken.sinks.alerts;

import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook alerts: the event topics, matched against {@link AlertRules}, POSTed as CloudEvents to their endpoints.
 *
 * <p><b>Isolation.</b> Each endpoint has its own consumer group ({@code hearken-alerts.<endpoint>}, read_committed,
 * manual commits) on its own thread, its own bounded delivery queue, its own HTTP client and request slots. Retries
 * wait on a timer, not in a request slot. So a slow or failing endpoint holds only its own resources: the others'
 * consumers, queues and connections never wait for it, and the event topics themselves are never held back (the
 * alerter only reads them).
 *
 * <p><b>Backpressure.</b> When an endpoint holds {@code queueCapacity} unfinished deliveries its consumer pauses its
 * partitions (staying in the group) and resumes once deliveries finish; the backlog shows as that group's consumer
 * lag, nothing is dropped and memory stays bounded. Other endpoints are unaffected because they read through their
 * own groups.
 *
 * <p><b>At least once.</b> A group's offsets are committed only below the lowest event whose delivery is unfinished
 * (finished = delivered with a 2xx, or dead-lettered on hearken.dlq after the last attempt or a non-retriable
 * status), so nothing acknowledged is lost on a crash; events in flight at a crash are sent again after the restart,
 * with the same {@code Idempotency-Key} (the event id) for the receiver to dedupe. Deliveries of different events to
 * one endpoint may arrive out of order (concurrency, retries): receivers order by the CloudEvent {@code time}.
 *
 * <p>A new endpoint's group starts at the end of the topics ({@code auto.offset.reset=latest}, see {@link Options})
 * so that adding one does not replay the history; renaming an endpoint starts a new group.
 */
public final class WebhookAlerter implements AutoCloseable {
    /** Dead-letter stage of deliveries that failed. */
    public static final String STAGE = "alerts.webhook";
    /** Dead-letter stage of event records the alerter could not read. */
    public static final String DESERIALIZE_STAGE = "alerts.deserialize";
    public static final String DEFAULT_GROUP_PREFIX = "hearken-alerts";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlerter.class);

    /**
     * How the alerter consumes and commits: the {@code sinks.alerts.*} settings of {@link AlertSettings}, which
     * holds their defaults and meaning.
     *
     * @param groupPrefix     consumer groups are {@code <groupPrefix>.<endpoint>} ({@link AlertSettings#GROUP_PREFIX})
     * @param autoOffsetReset where a new group starts: latest or earliest ({@link AlertSettings#AUTO_OFFSET_RESET})
     * @param pollTimeout     consumer poll timeout ({@link AlertSettings#POLL_TIMEOUT})
     * @param idleWait        after an empty poll, wait this long for finished deliveries; tests with a MockConsumer,
     *                        whose poll does not wait, set a few ms ({@link AlertSettings#IDLE_WAIT})
     * @param commitInterval  how often finished offsets are committed ({@link AlertSettings#COMMIT_INTERVAL})
     * @param shutdownGrace   how long {@link #close()} lets unfinished deliveries finish before committing
     *                        ({@link AlertSettings#SHUTDOWN_GRACE})
     * @param deadLetterRetry how often a dead letter that could not be written is tried again
     *                        ({@link AlertSettings#DEAD_LETTER_RETRY})
     */
    public record Options(String groupPrefix, String autoOffsetReset, Duration pollTimeout, Duration idleWait,
                          Duration commitInterval, Duration shutdownGrace, Duration deadLetterRetry) {
        public Options {
            Objects.requireNonNull(groupPrefix, "groupPrefix");
            if (!"latest".equals(autoOffsetReset) && !"earliest".equals(autoOffsetReset)) {
                throw new IllegalArgumentException("autoOffsetReset must be latest or earliest, got " + autoOffsetReset);
            }
        }

        /** Every option at its {@link AlertSettings} default. */
        public static Options defaults() {
            return AlertSettings.defaultOptions();
        }

        public Options withAutoOffsetReset(String reset) {
            return new Options(groupPrefix, reset, pollTimeout, idleWait, commitInterval, shutdownGrace, deadLetterRetry);
        }

        public Options withGroupPrefix(String prefix) {
            return new Options(prefix, autoOffsetReset, pollTimeout, idleWait, commitInterval, shutdownGrace, deadLetterRetry);
        }

        public Options withTimings(Duration poll, Duration idle, Duration commit, Duration grace) {
            return new Options(groupPrefix, autoOffsetReset, poll, idle, commit, grace, deadLetterRetry);
        }
    }

    private final AlertDispatcher dispatcher;
    private final Options options;
    private final List<AutoCloseable> resources;
    private final Map<String, EndpointConsumerLoop> loops = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private boolean closed;

    /**
     * @param consumers creates the consumer of one group (argument: the group id); byte[] keys and values
     * @param resources closed after the dispatcher, in order (e.g. the dead-letter sink, then its producer)
     */
    public WebhookAlerter(AlertDispatcher dispatcher, HearkenTopics topics,
                          Function<String, Consumer<byte[], byte[]>> consumers, Options options,
                          List<? extends AutoCloseable> resources) {
        this.dispatcher = dispatcher;
        this.options = options;
        this.resources = List.copyOf(resources);
        AlertEventDecoder decoder = new AlertEventDecoder(topics);
        for (String endpoint : dispatcher.rules().activeEndpoints()) {
            List<String> topicNames = dispatcher.rules().typesFor(endpoint).stream().map(AlertEventType::topic).toList();
            String group = groupId(options.groupPrefix(), endpoint);
            loops.put(endpoint, new EndpointConsumerLoop(endpoint, topicNames, consumers.apply(group), dispatcher,
                    decoder, options, Clock.systemUTC()));
        }
    }

    /** The production alerter: Kafka consumers and a dead-letter producer on the given cluster, JDK HTTP client. */
    public static WebhookAlerter create(String bootstrapServers, String registryUrl, AlertRules rules, Options options) {
        HearkenTopics topics = new HearkenTopics(RegistryClients.create(registryUrl));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers));
        KafkaDeadLetterSink deadLetters = new KafkaDeadLetterSink(producer, topics);
        AlertDispatcher dispatcher = null;
        try {
            dispatcher = new AlertDispatcher(rules, deadLetters);
            return new WebhookAlerter(dispatcher, topics,
                    group -> new KafkaConsumer<>(consumerConfig(bootstrapServers, group, options.autoOffsetReset())),
                    options, List.of(deadLetters, producer));
        } catch (RuntimeException e) {
            if (dispatcher != null) {
                dispatcher.close();
            }
            deadLetters.close();
            producer.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    public static WebhookAlerter create(String bootstrapServers, String registryUrl, AlertRules rules) {
        return create(bootstrapServers, registryUrl, rules, Options.defaults());
    }

    public static String groupId(String prefix, String endpoint) {
        return prefix + "." + endpoint;
    }

    public static Properties consumerConfig(String bootstrapServers, String groupId, String autoOffsetReset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the sinks write events transactionally
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100); // bounds what a paused consumer holds
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    public static Properties producerConfig(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, DEFAULT_GROUP_PREFIX + "-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Starts one consumer thread per endpoint that a rule sends to. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        loops.forEach((endpoint, loop) -> {
            Thread t = new Thread(loop, "hearken-alerts-" + endpoint);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        });
        LOG.info("webhook alerts started for endpoints {}", loops.keySet());
    }

    /** Endpoints whose consumer stopped on an error (their alerts stop; the others go on). */
    public Map<String, Throwable> failures() {
        Map<String, Throwable> out = new LinkedHashMap<>();
        loops.forEach((endpoint, loop) -> {
            if (loop.failure() != null) {
                out.put(endpoint, loop.failure());
            }
        });
        return out;
    }

    public List<String> endpoints() {
        return List.copyOf(loops.keySet());
    }

    public AlertDispatcher.EndpointStats stats(String endpoint) {
        return dispatcher.stats(endpoint);
    }

    /**
     * Stops every consumer, gives unfinished deliveries up to {@link Options#shutdownGrace()} to finish, commits
     * what finished, then closes the dispatcher and the resources. What did not finish is redelivered after restart.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            loops.values().forEach(EndpointConsumerLoop::stop);
        } else {
            loops.values().forEach(EndpointConsumerLoop::closeUnstarted);
        }
        long waitMillis = options.shutdownGrace().toMillis() + 30_000L;
        for (Map.Entry<String, EndpointConsumerLoop> e : loops.entrySet()) {
            try {
                if (started && !e.getValue().awaitStopped(waitMillis)) {
                    LOG.warn("alerts consumer of endpoint '{}' did not stop in time", e.getKey());
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatcher.close();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ex) {
                LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), ex.toString());
            }
        }
    }
}
