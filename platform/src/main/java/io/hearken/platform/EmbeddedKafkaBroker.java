package io.hearken.platform;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Kafka broker (KRaft combined mode: {@code process.roles=broker,controller}) running inside this
 * JVM, for the laptop ("embedded") deployment of Hearken and for tests.
 *
 * <p>It listens on free loopback ports (a {@code PLAINTEXT} listener for clients and a {@code CONTROLLER} listener for
 * the one-voter quorum), keeps its logs in a temporary directory that {@link #close()} deletes, or in a given directory
 * that is kept (and reused on the next start: the storage is formatted only once). It is configured for one replica
 * everywhere, so transactions and exactly-once processing work, and with small segments, indexes and buffers.
 *
 * <p>{@link #start()} returns only once the broker answers client requests; otherwise it throws a
 * {@link HearkenException} of kind {@link ErrorKind#TRANSIENT}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The node id of the single broker/controller. */
    public static final int NODE_ID = 1;
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_PORT_ATTEMPTS = 3;
    private static final int SMALL_SEGMENT_BYTES = 16 * 1024 * 1024;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final String bootstrapServers;
    private final String clusterId;
    private final Object adminLock = new Object();
    private Admin admin;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteDataDirOnClose,
                                String bootstrapServers, String clusterId) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
    }

    /** Starts a broker with its data in a fresh temporary directory, deleted on {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /**
     * Starts a broker.
     *
     * @param dataDir   where the logs live; kept on close; {@code null} for a temporary directory deleted on close
     * @param overrides broker properties that replace the defaults (may be {@code null} or empty); listener and
     *                  quorum properties are chosen here and should not be overridden
     */
    public static EmbeddedKafkaBroker start(Path dataDir, Properties overrides) {
        return builder().dataDir(dataDir).overrides(overrides).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The KRaft cluster id the storage was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics (replication factor 1, broker defaults) that do not exist yet; existing ones are left as they are. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        createTopics(topics);
    }

    /** Creates a topic (replication factor 1) with topic-level configs, unless it exists already. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1);
        if (configs != null && !configs.isEmpty()) {
            topic.configs(configs);
        }
        createTopics(List.of(topic));
    }

    private void createTopics(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Admin client = admin();
        Map<String, KafkaFuture<Void>> results = client.createTopics(topics).values();
        for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new HearkenException(ErrorKind.TRANSIENT,
                            "embedded Kafka: could not create topic '" + e.getKey() + "': " + ex.getCause(), ex.getCause());
                }
            } catch (TimeoutException ex) {
                throw new HearkenException(ErrorKind.TRANSIENT,
                        "embedded Kafka: timed out creating topic '" + e.getKey() + "'", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: interrupted creating topics", ex);
            }
        }
        awaitLeaders(client, results.keySet(), Duration.ofSeconds(30));
    }

    /** Waits until every partition of the topics has a leader, so producers can use them at once. */
    private static void awaitLeaders(Admin client, Set<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> descriptions =
                        client.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                boolean ready = descriptions.size() == names.size() && descriptions.values().stream()
                        .allMatch(d -> !d.partitions().isEmpty()
                                && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(EmbeddedKafkaBroker::isNode));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    last = e;
                }
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: interrupted waiting for topics", e);
            }
            backoff(50);
        }
        throw new HearkenException(ErrorKind.TRANSIENT,
                "embedded Kafka: partitions of " + names + " have no leader after " + timeout.toMillis() + " ms", last);
    }

    private static boolean isNode(Node node) {
        return node != null && !node.isEmpty();
    }

    private Admin admin() {
        synchronized (adminLock) {
            if (closed) {
                throw new IllegalStateException("embedded Kafka broker is closed");
            }
            if (admin == null) {
                admin = Admin.create(adminProps(bootstrapServers));
            }
            return admin;
        }
    }

    /** Stops the broker, waits for it to finish, and deletes the data directory if it was a temporary one. */
    @Override
    public void close() {
        synchronized (adminLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** Options for starting a broker. */
    public static final class Builder {
        private Path dataDir;
        private final Properties overrides = new Properties();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private int clientPort;

        private Builder() {
        }

        /** Where the logs live (kept on close, reused on the next start); default: a temporary directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Broker properties that replace the defaults. */
        public Builder overrides(Properties overrides) {
            if (overrides != null) {
                this.overrides.putAll(overrides);
            }
            return this;
        }

        public Builder override(String key, String value) {
            overrides.setProperty(key, value);
            return this;
        }

        /** The port clients connect to on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder clientPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("client port must be 0-65535, got " + port);
            }
            this.clientPort = port;
            return this;
        }

        /** How long {@link #start()} waits for the broker to answer client requests. */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        public EmbeddedKafkaBroker start() {
            return EmbeddedKafkaBroker.doStart(this);
        }
    }

    private static EmbeddedKafkaBroker doStart(Builder options) {
        long startNanos = System.nanoTime();
        boolean temporary = options.dataDir == null;
        Path dataDir;
        try {
            dataDir = temporary ? Files.createTempDirectory("hearken-kafka-") : Files.createDirectories(options.dataDir);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.TRANSIENT,
                    "embedded Kafka: cannot create data directory " + (temporary ? "in " + System.getProperty("java.io.tmpdir") : options.dataDir), e);
        }
        Path logDir = dataDir.resolve("kraft-combined-logs").toAbsolutePath();
        try {
            for (int attempt = 1; ; attempt++) {
                int clientPort = options.clientPort > 0 ? options.clientPort : freePort();
                int controllerPort = freePort();
                Properties props = brokerProps(logDir, clientPort, controllerPort, options.overrides);
                KafkaConfig config;
                try {
                    config = new KafkaConfig(props, false);
                } catch (RuntimeException e) {
                    throw new HearkenException(ErrorKind.CONFIG, "embedded Kafka: invalid broker configuration: " + e.getMessage(), e);
                }
                String clusterId = format(props, dataDir, logDir);
                KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
                try {
                    server.startup();
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    boolean bindFailed = hasCause(e, BindException.class);
                    if (bindFailed && options.clientPort > 0 && !isFree(options.clientPort)) {
                        throw new HearkenException(ErrorKind.CONFIG, "embedded Kafka: port " + options.clientPort
                                + " on 127.0.0.1 is in use; choose another or 0 for any free port", e);
                    }
                    if (attempt < MAX_PORT_ATTEMPTS && bindFailed) {
                        LOG.warn("embedded Kafka: port {} or {} was taken meanwhile, retrying with other ports",
                                clientPort, controllerPort);
                        continue;
                    }
                    throw new HearkenException(ErrorKind.TRANSIENT,
                            "embedded Kafka: broker failed to start in " + logDir + ": " + e, e);
                }
                String bootstrap = "127.0.0.1:" + clientPort;
                try {
                    awaitReady(bootstrap, startNanos + options.startupTimeout.toNanos(), options.startupTimeout);
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    throw e;
                }
                LOG.info("embedded Kafka broker (cluster {}) ready at {} in {} ms", clusterId, bootstrap,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return new EmbeddedKafkaBroker(server, dataDir, temporary, bootstrap, clusterId);
            }
        } catch (RuntimeException e) {
            if (temporary) {
                deleteRecursively(dataDir);
            }
            throw e;
        }
    }

    static Properties brokerProps(Path logDir, int clientPort, int controllerPort, Properties overrides) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort);
        p.setProperty("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("metadata.log.dir", logDir.toString());

        // One node: every internal topic has one replica, so transactions and exactly-once work.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("offsets.topic.segment.bytes", Integer.toString(SMALL_SEGMENT_BYTES));
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("transaction.state.log.segment.bytes", Integer.toString(SMALL_SEGMENT_BYTES));
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.segment.bytes", Integer.toString(SMALL_SEGMENT_BYTES));
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("group.streams.initial.rebalance.delay.ms", "0");

        // A laptop broker: few threads, small segments, indexes and buffers.
        p.setProperty("log.segment.bytes", Integer.toString(SMALL_SEGMENT_BYTES));
        p.setProperty("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.replica.fetchers", "1");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("group.coordinator.threads", "1");
        p.setProperty("share.coordinator.threads", "1");
        p.setProperty("metadata.log.segment.bytes", Integer.toString(SMALL_SEGMENT_BYTES));
        p.setProperty("socket.send.buffer.bytes", Integer.toString(128 * 1024));
        p.setProperty("socket.receive.buffer.bytes", Integer.toString(128 * 1024));
        p.setProperty("broker.heartbeat.interval.ms", "500");
        p.setProperty("delete.topic.enable", "true");

        if (overrides != null) {
            overrides.forEach((k, v) -> p.setProperty(String.valueOf(k), String.valueOf(v)));
        }
        return p;
    }

    /**
     * Formats the storage once, like {@code kafka-storage.sh format --ignore-formatted} (a directory that is already
     * formatted keeps its cluster id; the release version is the latest production one); returns the cluster id.
     */
    private static String format(Properties props, Path dataDir, Path logDir) {
        try {
            String existing = existingClusterId(logDir);
            if (existing != null) {
                return existing;
            }
            String clusterId = Uuid.randomUuid().toString();
            Path configFile = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                props.store(out, "Hearken embedded Kafka broker (written for the storage formatter; ports change on each start)");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {
                        "format", "--cluster-id", clusterId, "--config", configFile.toString(), "--ignore-formatted"}, print);
            }
            if (rc != 0) {
                throw new IllegalStateException("the storage formatter exited with " + rc + ": "
                        + output.toString(StandardCharsets.UTF_8).trim());
            }
            return clusterId;
        } catch (HearkenException e) {
            throw e;
        } catch (Exception e) {
            throw new HearkenException(ErrorKind.TRANSIENT,
                    "embedded Kafka: cannot format KRaft storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static String existingClusterId(Path logDir) throws IOException {
        Path metaProperties = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(metaProperties)) {
            return null;
        }
        Properties meta = new Properties();
        try (var in = Files.newBufferedReader(metaProperties, StandardCharsets.UTF_8)) {
            meta.load(in);
        }
        return meta.getProperty("cluster.id");
    }

    /** Polls describeCluster until the broker is listed (it answers client requests), within the deadline. */
    private static void awaitReady(String bootstrap, long deadlineNanos, Duration timeout) {
        Exception last = null;
        try (Admin probe = Admin.create(adminProps(bootstrap))) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (remainingMs <= 0) {
                    break;
                }
                try {
                    Collection<Node> nodes = probe.describeCluster().nodes()
                            .get(Math.min(remainingMs, 2_000), TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e.getCause() instanceof Exception ex ? ex : e;
                } catch (TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: interrupted while waiting for the broker", e);
                }
                backoff(50);
            }
        }
        throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: broker at " + bootstrap
                + " did not answer describeCluster within " + timeout.toMillis() + " ms"
                + (last == null ? "" : " (last error: " + last + ")"), last);
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "hearken-embedded-admin");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return p;
    }

    private static void backoff(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.TRANSIENT, "embedded Kafka: cannot find a free localhost port", e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka: error shutting down after a failed start", e);
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) {
                        throw exc;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("embedded Kafka: could not delete {}: {}", root, e.toString());
        } catch (UncheckedIOException e) {
            LOG.warn("embedded Kafka: could not delete {}: {}", root, e.getCause().toString());
        }
    }
}
