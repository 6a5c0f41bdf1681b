package io.hearken.platform;

import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.job.HearkenStreamingJob;
import io.hearken.job.JobSettings;
import io.hearken.job.KafkaConnectors;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import io.hearken.sinks.SinksApp;
import io.hearken.sinks.SinksSettings;
import io.hearken.sinks.StreamsSettings;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.captions.CaptionSettings;
import io.hearken.sinks.tags.TagSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Hearken needs, in this process: a real KRaft Kafka broker, a schema registry, the streaming job on a
 * Flink MiniCluster and the sinks. Closing it stops them in reverse order.
 */
public final class EmbeddedPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final Infrastructure infrastructure;
    private final SchemaRegistryClient registryClient;
    private final JobClient job;
    private final SinksApp sinks;
    private final SinksApp anomalySink;
    /** The temporary working directory, or null when it is the configured {@code platform.data.dir}. */
    private final Path deleteOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPlatform(Infrastructure infrastructure, SchemaRegistryClient registryClient, JobClient job,
                             SinksApp sinks, SinksApp anomalySink, Path deleteOnClose) {
        this.infrastructure = infrastructure;
        this.registryClient = registryClient;
        this.job = job;
        this.sinks = sinks;
        this.anomalySink = anomalySink;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * What the sinks of the platform do: tag rules (tags and captions), captions, the anomaly sink, the two
     * applications' ids and their Kafka Streams settings ({@code sinks.streams.*}).
     */
    public record SinkSettings(TagSettings tags, CaptionSettings captions, AnomalySettings anomalies,
                               HearkenConfig streams) {
        /** The {@code sinks.*} settings of {@code config}, which must include {@link SinksSettings#GROUPS}. */
        public static SinkSettings from(HearkenConfig config) {
            return new SinkSettings(TagSettings.from(config), CaptionSettings.from(config), AnomalySettings.from(config),
                    config);
        }

        public String tagsApplicationId() {
            return tags.applicationId();
        }

        public String anomalyApplicationId() {
            return streams.get(AnomalySettings.APPLICATION_ID);
        }

        /** The Kafka Streams settings of one application; its state under {@code defaultStateDir} unless configured. */
        Properties streamsConfig(String bootstrapServers, String registryUrl, String applicationId, Path defaultStateDir) {
            HearkenConfig config = streams.has(StreamsSettings.STATE_DIR) ? streams
                    : streams.with(Map.of(StreamsSettings.STATE_DIR.key(), defaultStateDir.toString()));
            return SinksApp.streamsConfig(config, bootstrapServers, registryUrl, applicationId);
        }
    }

    /**
     * Starts with the default {@link PlatformSettings} but the metrics endpoint given.
     *
     * @param sinks        what the sinks do, or empty to run without sinks (benchmarks of the job alone)
     * @param metricsPorts port or range (e.g. 9249-9299) for the Prometheus endpoint of the job's metrics, or
     *                     empty for none; a range lets several platforms run side by side
     */
    public static EmbeddedPlatform start(JobSettings settings, Optional<SinkSettings> sinkSettings,
                                         Optional<String> metricsPorts) throws Exception {
        return start(settings, sinkSettings, PlatformSettings.defaults().withMetricsPorts(metricsPorts.map(PortRange::parse)));
    }

    /**
     * @param sinkSettings what the sinks do, or empty to run without sinks (benchmarks of the job alone)
     * @param platform     ports, partitions, data directory and metrics endpoint of the platform
     */
    public static EmbeddedPlatform start(JobSettings settings, Optional<SinkSettings> sinkSettings,
                                         PlatformSettings platform) throws Exception {
        Path workDir = workDir(platform);
        // A directory the user named is theirs to keep; only a temporary one is deleted on close.
        Path deleteOnClose = platform.dataDir().isPresent() ? null : workDir;
        Infrastructure infrastructure = null;
        JobClient job = null;
        SinksApp sinks = null;
        SinksApp anomalySink = null;
        try {
            infrastructure = Infrastructure.start(platform, workDir);
            EmbeddedKafkaBroker broker = infrastructure.broker();
            String registryUrl = infrastructure.registry().url();
            HearkenTopics topics = infrastructure.topics();
            SchemaRegistryClient client = RegistryClients.create(registryUrl);
            LOG.info("kafka at {}, schema registry at {}, files in {}", broker.bootstrapServers(), registryUrl, workDir);

            Configuration flinkConf = HearkenStreamingJob.flinkConfiguration(settings);
            // On disk, not in JobManager memory: that caps a checkpoint at 5 MB, a few dozen streams' audio buffers.
            flinkConf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flinkConf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, workDir.resolve("checkpoints").toUri().toString());
            platform.metricsPorts().ifPresent(ports -> {
                flinkConf.setString("metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                flinkConf.setString("metrics.reporter.prom.port", ports.toString());
            });
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), flinkConf);
            new HearkenStreamingJob(
                    KafkaConnectors.chunkSource(broker.bootstrapServers(), registryUrl, settings),
                    KafkaConnectors.windowSink(broker.bootstrapServers(), registryUrl, settings),
                    KafkaConnectors.deadLetterSink(broker.bootstrapServers(), registryUrl, settings),
                    settings).build(env);
            job = env.executeAsync("hearken-streaming-job");

            if (sinkSettings.isPresent()) {
                SinkSettings s = sinkSettings.get();
                sinks = SinksApp.tagsAndCaptions(topics, s.tags().rules(), s.captions(), s.streamsConfig(
                        broker.bootstrapServers(), registryUrl, s.tagsApplicationId(), workDir.resolve("streams")));
                sinks.start();
                // Its own application (own consumer group and stores), as in production: see SinksApp.anomalies.
                anomalySink = SinksApp.anomalies(topics, s.anomalies(), s.streamsConfig(broker.bootstrapServers(),
                        registryUrl, s.anomalyApplicationId(), workDir.resolve("streams-anomaly")));
                anomalySink.start();
            }
            return new EmbeddedPlatform(infrastructure, client, job, sinks, anomalySink, deleteOnClose);
        } catch (Exception | Error e) {
            closeQuietly(anomalySink, sinks, job, infrastructure, deleteOnClose);
            throw e;
        }
    }

    /** The configured data directory (created if needed), else a fresh temporary one. */
    private static Path workDir(PlatformSettings platform) throws IOException {
        if (platform.dataDir().isEmpty()) {
            return Files.createTempDirectory("hearken-");
        }
        Path dir = platform.dataDir().get();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.CONFIG, PlatformSettings.DATA_DIR.key() + ": cannot create " + dir + ": " + e, e);
        }
    }

    /**
     * The broker (its logs in {@code workDir/kafka}), the registry and every topic with its schemas, as
     * {@code platform} says: the part of the platform below the job and the sinks.
     */
    record Infrastructure(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, HearkenTopics topics)
            implements AutoCloseable {
        static Infrastructure start(PlatformSettings platform, Path workDir) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(workDir.resolve("kafka"))
                    .clientPort(platform.kafkaPort()).start();
            InProcessSchemaRegistry registry = null;
            try {
                registry = InProcessSchemaRegistry.start(platform.registryPort());
                return new Infrastructure(broker, registry, provisionTopics(broker, registry.url(), platform.partitions()));
            } catch (RuntimeException | Error e) {
                if (registry != null) {
                    registry.close();
                }
                broker.close();
                throw e;
            }
        }

        /** In reverse order of starting. */
        @Override
        public void close() {
            registry.close();
            broker.close();
        }
    }

    /**
     * Every Hearken topic with {@code partitions} partitions on {@code broker}, and every topic's schemas registered
     * at {@code registryUrl}: what the platform starts with (also used by tests that assemble the parts themselves).
     */
    public static HearkenTopics provisionTopics(EmbeddedKafkaBroker broker, String registryUrl, int partitions) {
        Map<String, Integer> byTopic = new LinkedHashMap<>();
        TopicNames.ALL.forEach(t -> byTopic.put(t, partitions));
        broker.createTopics(byTopic);
        SchemaRegistryClient client = RegistryClients.create(registryUrl);
        HearkenTopics topics = new HearkenTopics(client);
        topics.registerSchemas(client);
        return topics;
    }

    public String bootstrapServers() {
        return infrastructure.broker().bootstrapServers();
    }

    public String registryUrl() {
        return infrastructure.registry().url();
    }

    public HearkenTopics topics() {
        return infrastructure.topics();
    }

    public SchemaRegistryClient registryClient() {
        return registryClient;
    }

    public JobClient job() {
        return job;
    }

    /** Idempotent: called on normal exit and possibly again by the shutdown hook. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(anomalySink, sinks, job, infrastructure, deleteOnClose);
        }
    }

    private static void closeQuietly(SinksApp anomalySink, SinksApp sinks, JobClient job, Infrastructure infrastructure,
                                     Path deleteOnClose) {
        if (anomalySink != null) {
            anomalySink.close();
        }
        if (sinks != null) {
            sinks.close();
        }
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                LOG.warn("cancelling the streaming job: {}", e.toString());
            }
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (deleteOnClose != null) {
            try (Stream<Path> files = Files.walk(deleteOnClose)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", deleteOnClose, e.toString());
            }
        }
    }
}
