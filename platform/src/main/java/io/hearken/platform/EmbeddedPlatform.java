package io.hearken.platform;

import io.hearken.job.HearkenStreamingJob;
import io.hearken.job.JobSettings;
import io.hearken.job.KafkaConnectors;
import io.hearken.platform.EmbeddedKafkaBroker;
import io.hearken.platform.InProcessSchemaRegistry;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import io.hearken.sinks.SinksApp;
import io.hearken.sinks.anomaly.AnomalySettings;
import io.hearken.sinks.captions.CaptionSettings;
import io.hearken.sinks.tags.TagRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
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
    /** Partitions per topic: streams spread over them by key; enough for a laptop's cores. */
    static final int PARTITIONS = 4;

    private final EmbeddedKafkaBroker broker;
    private final InProcessSchemaRegistry registry;
    private final SchemaRegistryClient registryClient;
    private final HearkenTopics topics;
    private final JobClient job;
    private final SinksApp sinks;
    private final SinksApp anomalySink;
    private final Path workDir;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddedPlatform(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, SchemaRegistryClient registryClient,
                             HearkenTopics topics, JobClient job, SinksApp sinks, SinksApp anomalySink, Path workDir) {
        this.broker = broker;
        this.registry = registry;
        this.registryClient = registryClient;
        this.topics = topics;
        this.job = job;
        this.sinks = sinks;
        this.anomalySink = anomalySink;
        this.workDir = workDir;
    }

    /** What the sinks of the platform do: tag rules (tags and captions) and the anomaly sink's settings. */
    public record SinkSettings(TagRules tagRules, AnomalySettings anomalies) {
    }

    /**
     * @param sinks        what the sinks do, or empty to run without sinks (benchmarks of the job alone)
     * @param metricsPorts port or range (e.g. 9249-9299) for the Prometheus endpoint of the job's metrics, or
     *                     empty for none; a range lets several platforms run side by side
     */
    public static EmbeddedPlatform start(JobSettings settings, java.util.Optional<SinkSettings> sinkSettings,
                                         java.util.Optional<String> metricsPorts)
            throws Exception {
        Path workDir = Files.createTempDirectory("hearken-");
        EmbeddedKafkaBroker broker = null;
        InProcessSchemaRegistry registry = null;
        JobClient job = null;
        SinksApp sinks = null;
        SinksApp anomalySink = null;
        try {
            broker = EmbeddedKafkaBroker.start();
            registry = InProcessSchemaRegistry.start();
            HearkenTopics topics = provisionTopics(broker, registry.url(), PARTITIONS);
            SchemaRegistryClient client = RegistryClients.create(registry.url());
            LOG.info("kafka at {}, schema registry at {}", broker.bootstrapServers(), registry.url());

            org.apache.flink.configuration.Configuration flinkConf = HearkenStreamingJob.flinkConfiguration(settings);
            // On disk, not in JobManager memory: that caps a checkpoint at 5 MB, a few dozen streams' audio buffers.
            flinkConf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flinkConf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    workDir.resolve("checkpoints").toUri().toString());
            metricsPorts.ifPresent(ports -> {
                flinkConf.setString("metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                flinkConf.setString("metrics.reporter.prom.port", ports);
            });
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), flinkConf);
            new HearkenStreamingJob(
                    KafkaConnectors.chunkSource(broker.bootstrapServers(), registry.url(), settings),
                    KafkaConnectors.windowSink(broker.bootstrapServers(), registry.url(), settings),
                    KafkaConnectors.deadLetterSink(broker.bootstrapServers(), registry.url(), settings),
                    settings).build(env);
            job = env.executeAsync("hearken-streaming-job");

            if (sinkSettings.isPresent()) {
                sinks = SinksApp.tagsAndCaptions(topics, sinkSettings.get().tagRules(), CaptionSettings.defaults(),
                        SinksApp.streamsConfig(broker.bootstrapServers(), registry.url(), SinksApp.DEFAULT_APPLICATION_ID,
                                workDir.resolve("streams")));
                sinks.start();
                // Its own application (own consumer group and stores), as in production: see SinksApp.anomalies.
                anomalySink = SinksApp.anomalies(topics, sinkSettings.get().anomalies(),
                        SinksApp.streamsConfig(broker.bootstrapServers(), registry.url(), SinksApp.ANOMALY_APPLICATION_ID,
                                workDir.resolve("streams-anomaly")));
                anomalySink.start();
            }
            return new EmbeddedPlatform(broker, registry, client, topics, job, sinks, anomalySink, workDir);
        } catch (Exception | Error e) {
            closeQuietly(anomalySink, sinks, job, registry, broker, workDir);
            throw e;
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
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public HearkenTopics topics() {
        return topics;
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
            closeQuietly(anomalySink, sinks, job, registry, broker, workDir);
        }
    }

    private static void closeQuietly(SinksApp anomalySink, SinksApp sinks, JobClient job, InProcessSchemaRegistry registry,
                                     EmbeddedKafkaBroker broker, Path workDir) {
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
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", workDir, e.toString());
            }
        }
    }
}
