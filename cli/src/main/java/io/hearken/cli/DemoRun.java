package io.hearken.cli;

import io.hearken.platform.EmbeddedPlatform;
import io.hearken.platform.TopicReaders;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.ingest.FileIngester;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Ingests files into a running platform and prints the resulting events. Knows when it is done without guessing:
 * every published stream's end-of-stream window has been written, the sinks have committed past it (their output is
 * committed in the same transaction), and every committed tag, caption and anomaly event up to that point has been
 * printed.
 */
final class DemoRun {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String COMMITTED = "read_committed";

    private final EmbeddedPlatform platform;
    private final EmbeddedPlatform.SinkSettings sinks;
    /** The sinks' repartition topics' committed ends once they have committed past every end of stream; else null. */
    private Map<TopicPartition, Long> repartitionEnds;
    private final PrintStream out;
    private final PrintStream err;

    DemoRun(EmbeddedPlatform platform, EmbeddedPlatform.SinkSettings sinks, PrintStream out, PrintStream err) {
        this.platform = platform;
        this.sinks = sinks;
        this.out = out;
        this.err = err;
    }

    /**
     * Returns the report of what was ingested; with {@code exitWhenDone} returns only after all events are printed.
     * Ingests with the {@code ingest} settings of {@code settings}.
     */
    FileIngester.Report run(List<Path> inputs, HearkenConfig settings, boolean json, boolean exitWhenDone, Duration timeout)
            throws Exception {
        Instant captureStart = Instant.now();
        EventFormatter format = new EventFormatter(json, captureStart.getEpochSecond() * 1_000_000L + captureStart.getNano() / 1000);
        try (KafkaConsumer<String, TagEvent> tags = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().tags, COMMITTED);
             KafkaConsumer<String, WindowResult> windows = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().windows, COMMITTED);
             KafkaConsumer<String, CaptionEvent> captions = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().captions, COMMITTED);
             KafkaConsumer<String, AnomalyEvent> anomalies = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().anomalies, COMMITTED);
             KafkaConsumer<String, DeadLetter> deadLetters = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().deadLetters, COMMITTED);
             Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
            FileIngester.Report report;
            try (Producer<String, AudioChunk> producer = IngestProducers.create(platform.bootstrapServers(),
                    platform.topics().chunks, IngestProducers.Settings.from(settings))) {
                IngestOptions options = IngestOptions.from(settings, captureStart);
                report = new FileIngester(producer, platform.topics().chunks, options).ingest(inputs);
            }
            for (FileIngester.Failure failure : report.failures()) {
                err.println("error: " + failure.reason());
            }
            Set<String> pending = new HashSet<>();
            report.published().forEach(s -> pending.add(s.streamId()));
            Map<TopicPartition, Long> endOfStreamOffsets = new HashMap<>();
            Map<TopicPartition, Long> tagTargets = null;
            Map<TopicPartition, Long> captionTargets = null;
            Map<TopicPartition, Long> anomalyTargets = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (ConsumerRecord<String, TagEvent> r : tags.poll(POLL)) {
                    out.println(format.tag(r.value()));
                }
                for (ConsumerRecord<String, CaptionEvent> r : captions.poll(Duration.ZERO)) {
                    out.println(format.caption(r.value()));
                }
                for (ConsumerRecord<String, AnomalyEvent> r : anomalies.poll(Duration.ZERO)) {
                    out.println(format.anomaly(r.value()));
                }
                for (ConsumerRecord<String, DeadLetter> r : deadLetters.poll(Duration.ZERO)) {
                    err.println(format.deadLetter(r.value()));
                }
                for (ConsumerRecord<String, WindowResult> r : windows.poll(Duration.ZERO)) {
                    if (r.value().getEndOfStream() && pending.remove(r.value().getStreamId())) {
                        endOfStreamOffsets.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
                    }
                }
                out.flush();
                if (!exitWhenDone) {
                    continue;
                }
                if (pending.isEmpty() && tagTargets == null && sinksCommittedPast(admin, endOfStreamOffsets)) {
                    tagTargets = tags.endOffsets(tags.assignment());
                    captionTargets = captions.endOffsets(captions.assignment());
                    anomalyTargets = anomalies.endOffsets(anomalies.assignment());
                }
                if (tagTargets != null && reached(tags, tagTargets) && reached(captions, captionTargets)
                        && reached(anomalies, anomalyTargets)) {
                    return report;
                }
                if (System.nanoTime() > deadline) {
                    throw new HearkenException(ErrorKind.TRANSIENT, "demo did not finish within " + timeout
                            + ": still waiting for streams " + pending);
                }
            }
        }
    }

    /**
     * Both sink applications (tags + captions, anomalies) are done with the given window offsets: each has committed
     * past them, and past everything then in its repartition topics. The anomaly sink repartitions windows by
     * machine group, so its input offsets are committed when a window is forwarded, before it is scored; the
     * repartition records of those windows are committed in the same transaction, so the repartition topics' ends
     * taken after the first condition holds are what the scoring side must have consumed.
     */
    private boolean sinksCommittedPast(Admin admin, Map<TopicPartition, Long> offsets)
            throws InterruptedException, ExecutionException {
        if (offsets.isEmpty()) {
            return true;
        }
        List<String> groups = List.of(sinks.tagsApplicationId(), sinks.anomalyApplicationId());
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        for (String group : groups) {
            committed.put(group, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        }
        if (repartitionEnds == null) {
            for (String group : groups) {
                if (!reachedPast(committed.get(group), offsets)) {
                    return false;
                }
            }
            repartitionEnds = repartitionEnds(admin, groups);
        }
        for (String group : groups) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            repartitionEnds.forEach((tp, end) -> {
                if (tp.topic().startsWith(group + "-")) {
                    ends.put(tp, end);
                }
            });
            if (!ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(group).get(e.getKey()) != null
                    && committed.get(group).get(e.getKey()).offset() >= e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean reachedPast(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() > e.getValue());
    }

    /** The committed ends (last stable offsets) of the groups' repartition topics. */
    private static Map<TopicPartition, Long> repartitionEnds(Admin admin, List<String> groups)
            throws InterruptedException, ExecutionException {
        Set<String> topics = new HashSet<>();
        for (String name : admin.listTopics().names().get()) {
            if (name.endsWith("-repartition") && groups.stream().anyMatch(g -> name.startsWith(g + "-"))) {
                topics.add(name);
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

}
