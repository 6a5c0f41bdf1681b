package io.hearken.sinks.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.MockSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka side of the alerter with MockConsumer / MockProducer and an HTTP transport the test answers by hand:
 * offsets are committed only below the first unfinished event, a full endpoint pauses only its own consumer,
 * unreadable records are dead-lettered, and what does not match is acknowledged without a request.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookAlerterKafkaTest {
    private static final String REGISTRY_URL = "mock://WebhookAlerterKafkaTest";
    private static final HearkenTopics TOPICS = new HearkenTopics(RegistryClients.create(REGISTRY_URL));
    private static final TopicPartition TAGS_0 = new TopicPartition(TopicNames.TAG_EVENTS, 0);
    private static final WebhookAlerter.Options OPTIONS = WebhookAlerter.Options.defaults()
            .withTimings(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(5));

    private final Map<String, RecordingConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, ManualTransport> transports = new ConcurrentHashMap<>();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private WebhookAlerter alerter;

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    @AfterEach
    void close() {
        if (alerter != null) {
            transports.values().forEach(t -> t.autoStatus = 200);
            transports.values().forEach(ManualTransport::answerAll);
            alerter.close();
        }
    }

    /** A consumer that remembers the last offsets it committed (MockConsumer forgets them once closed). */
    static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
            super.commitSync(offsets);
        }

        long committed(TopicPartition tp) {
            return lastCommitted.getOrDefault(tp, -1L);
        }

        /**
         * Runs {@code what} on the loop thread after two more full loop iterations, so that anything reported to
         * the loop before this call has been applied and committed.
         */
        <T> T afterFullLoop(Supplier<T> what) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            scheduleNopPollTask();
            scheduleNopPollTask();
            schedulePollTask(() -> result.complete(what.get()));
            return result.get(10, TimeUnit.SECONDS);
        }

        /** Waits, loop iteration by loop iteration, until the observation equals the expected value. */
        <T> void eventually(Supplier<T> observe, T expected) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            T seen = afterFullLoop(observe);
            while (!expected.equals(seen) && System.nanoTime() < deadline) {
                seen = afterFullLoop(observe);
            }
            assertThat(seen).isEqualTo(expected);
        }
    }

    /** Requests wait for the test to answer them, unless autoStatus is set. */
    static final class ManualTransport implements HttpTransport {
        record Call(String key, CompletableFuture<Response> reply) {
            void answer(int status) {
                reply.complete(new Response(status, status >= 400 ? "no thanks" : "", Optional.empty()));
            }
        }

        final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final List<Call> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile int autoStatus; // 0 = answer by hand

        @Override
        public CompletableFuture<Response> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
            String key = headers.get("Idempotency-Key");
            keys.add(key);
            if (autoStatus != 0) {
                return CompletableFuture.completedFuture(new Response(autoStatus, "", Optional.empty()));
            }
            CompletableFuture<Response> reply = new CompletableFuture<>();
            Call call = new Call(key, reply);
            all.add(call);
            calls.add(call);
            return reply;
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(10, TimeUnit.SECONDS);
            assertThat(c).as("a request arrived").isNotNull();
            return c;
        }

        void answerAll() {
            all.forEach(c -> c.answer(200)); // no-op for those already answered
        }
    }

    private WebhookAlerter start(String rulesJson, Map<String, Integer> autoStatus) {
        return start(rulesJson, autoStatus, TOPICS);
    }

    /** @param topics what the alerter reads event records with (dead letters are always written with TOPICS) */
    private WebhookAlerter start(String rulesJson, Map<String, Integer> autoStatus, HearkenTopics topics) {
        AlertRules rules = AlertRules.parse(rulesJson);
        AlertDispatcher dispatcher = new AlertDispatcher(rules, ep -> {
            ManualTransport t = new ManualTransport();
            t.autoStatus = autoStatus.getOrDefault(ep.name(), 0);
            transports.put(ep.name(), t);
            return t;
        }, new KafkaDeadLetterSink(producer, TOPICS), () -> 0.0, Clock.systemUTC());
        alerter = new WebhookAlerter(dispatcher, topics, group -> {
            RecordingConsumer c = new RecordingConsumer();
            consumers.put(group, c);
            return c;
        }, OPTIONS, List.of());
        return alerter;
    }

    private static byte[] bytes(SpecificRecord event) {
        if (event instanceof io.hearken.schemas.TagEvent t) {
            return TOPICS.tags.valueSerde().serializer().serialize(TopicNames.TAG_EVENTS, t);
        }
        return TOPICS.captions.valueSerde().serializer().serialize(TopicNames.CAPTION_EVENTS, (io.hearken.schemas.CaptionEvent) event);
    }

    /** Assigns the partition and appends the records (values may be null or garbage), on the loop thread. */
    private static void feed(RecordingConsumer consumer, TopicPartition tp, List<byte[]> values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(tp));
            consumer.updateBeginningOffsets(Map.of(tp, 0L));
            for (int i = 0; i < values.size(); i++) {
                byte[] key = ("stream-" + i).getBytes(StandardCharsets.UTF_8);
                consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), i, key, values.get(i)));
            }
        });
    }

    private static List<byte[]> onsets(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(bytes(AlertFixtures.onset("line-3-east", "Dog", 0.9f, i)));
        }
        return out;
    }

    private static String id(int i) {
        return AlertFixtures.onset("line-3-east", "Dog", 0.9f, i).getEventId().toString();
    }

    @Test
    void commitsOnlyBelowTheFirstUnfinishedEvent() throws Exception {
        start("""
                {"endpoints": {"hook": {"url": "http://hook.local/x"}},
                 "rules": [{"type": "tag", "endpoint": "hook"}]}
                """, Map.of());
        RecordingConsumer consumer = consumers.get("hearken-alerts.hook");
        feed(consumer, TAGS_0, onsets(3));
        alerter.start();
        ManualTransport http = transports.get("hook");
        Map<String, ManualTransport.Call> calls = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            ManualTransport.Call c = http.next();
            calls.put(c.key(), c);
        }
        assertThat(calls.keySet()).containsExactlyInAnyOrder(id(0), id(1), id(2));

        calls.get(id(1)).answer(200); // the middle one first: offset 0 is still unfinished
        assertThat(consumer.afterFullLoop(() -> consumer.committed(TAGS_0))).isEqualTo(0L);

        calls.get(id(0)).answer(204);
        consumer.eventually(() -> consumer.committed(TAGS_0), 2L);

        calls.get(id(2)).answer(403); // not retriable: dead-lettered, then acknowledged
        consumer.eventually(() -> consumer.committed(TAGS_0), 3L);
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> out = producer.history().get(0);
        assertThat(out.topic()).isEqualTo("hearken.dlq");
        assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("stream-2");
        DeadLetter letter = TOPICS.deadLetters.valueSerde().deserializer().deserialize(out.topic(), out.value());
        assertThat(letter.getStage()).isEqualTo("alerts.webhook");
        assertThat(letter.getOriginalTopic()).isEqualTo(TopicNames.TAG_EVENTS);
        assertThat(letter.getOriginalOffset()).isEqualTo(2L);
        assertThat(letter.getOriginalValue().array()).isEqualTo(onsets(3).get(2));
        assertThat(letter.getErrorMessage()).contains("endpoint 'hook' (http://hook.local)")
                .contains("not retriable (attempt 1 of 6)").contains("HTTP 403: no thanks");
        assertThat(consumer.subscription()).containsExactly(TopicNames.TAG_EVENTS);

        alerter.close();
        assertThat(consumer.closed()).isTrue();
        assertThat(alerter.failures()).isEmpty();
    }

    @Test
    void aFullEndpointPausesOnlyItsOwnConsumerAndCatchesUpInOrder() throws Exception {
        int n = 6;
        start("""
                {"endpoints": {"slow": {"url": "http://slow.local/", "concurrency": 1, "queue_capacity": 2},
                               "fast": {"url": "http://fast.local/"}},
                 "rules": [{"type": "tag", "endpoint": "slow"}, {"type": "tag", "endpoint": "fast"}]}
                """, Map.of("fast", 200));
        RecordingConsumer slow = consumers.get("hearken-alerts.slow");
        RecordingConsumer fast = consumers.get("hearken-alerts.fast");
        feed(slow, TAGS_0, onsets(n));
        feed(fast, TAGS_0, onsets(n));
        alerter.start();

        ManualTransport slowHttp = transports.get("slow");
        ManualTransport.Call first = slowHttp.next();
        slow.eventually(() -> slow.paused().contains(TAGS_0), true);
        // While the slow endpoint is full and paused, the fast one gets and acknowledges everything.
        fast.eventually(() -> fast.committed(TAGS_0), (long) n);
        assertThat(transports.get("fast").keys).hasSize(n);
        assertThat(fast.afterFullLoop(() -> fast.paused().isEmpty())).isTrue();
        assertThat(slow.afterFullLoop(() -> slow.committed(TAGS_0))).isEqualTo(0L);
        assertThat(alerter.stats("slow").pending()).isEqualTo(2);

        first.answer(200);
        for (int i = 1; i < n; i++) {
            slowHttp.next().answer(200);
        }
        slow.eventually(() -> slow.committed(TAGS_0), (long) n);
        assertThat(slow.afterFullLoop(() -> slow.paused().isEmpty())).as("resumed").isTrue();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(id(i));
        }
        assertThat(slowHttp.keys).as("held records keep their order").containsExactlyElementsOf(expected);
        assertThat(alerter.stats("slow").delivered()).isEqualTo(n);
    }

    @Test
    void unreadableRecordsAreDeadLetteredAndUnmatchedOnesAcknowledgedWithoutARequest() throws Exception {
        start("""
                {"endpoints": {"a": {"url": "http://a.local/"}, "b": {"url": "http://b.local/"}},
                 "rules": [{"type": "tag", "labels": ["Dog"], "endpoint": "a"},
                           {"type": "caption", "endpoint": "b"}, {"type": "tag", "endpoint": "b", "min_score": 0.99}]}
                """, Map.of("a", 200, "b", 200));
        RecordingConsumer a = consumers.get("hearken-alerts.a");
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        List<byte[]> values = new ArrayList<>();
        values.add(garbage);
        values.add(bytes(AlertFixtures.tag("s", "Dog", EventKind.OFFSET, 0.9f, AlertFixtures.T0))); // onsets only
        values.add(null); // tombstone
        values.add(bytes(AlertFixtures.onset("s", "Cat", 0.9f, 1))); // other label
        values.add(bytes(AlertFixtures.onset("s", "dog", 0.9f, 2)));
        feed(a, TAGS_0, values);
        alerter.start();

        a.eventually(() -> a.committed(TAGS_0), 5L);
        assertThat(transports.get("a").keys).containsExactly(AlertFixtures.onset("s", "dog", 0.9f, 2).getEventId().toString());
        assertThat(producer.history()).hasSize(1);
        DeadLetter letter = TOPICS.deadLetters.valueSerde().deserializer()
                .deserialize("hearken.dlq", producer.history().get(0).value());
        assertThat(letter.getStage()).isEqualTo("alerts.deserialize");
        assertThat(letter.getOriginalOffset()).isZero();
        assertThat(letter.getOriginalValue().array()).isEqualTo(garbage);
        assertThat(letter.getErrorMessage()).contains("endpoint 'a'").contains("magic byte");

        RecordingConsumer b = consumers.get("hearken-alerts.b");
        assertThat(b.afterFullLoop(b::subscription)).containsExactlyInAnyOrder(TopicNames.TAG_EVENTS, TopicNames.CAPTION_EVENTS);
        assertThat(alerter.endpoints()).containsExactly("a", "b");
    }

    /** A registry that can be taken down: looking a schema up by id is then refused, as by a stopped server. */
    static final class FlakyRegistry extends MockSchemaRegistryClient {
        volatile boolean down;
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public ParsedSchema getSchemaById(int id) throws IOException, RestClientException {
            if (down) {
                refused.incrementAndGet();
                throw new ConnectException("Connection refused");
            }
            return super.getSchemaById(id);
        }
    }

    @Test
    void recordsThatCannotBeReadWhileTheRegistryIsDownWaitAndAreDeliveredOnceItIsBack() throws Exception {
        FlakyRegistry registry = new FlakyRegistry();
        HearkenTopics writing = new HearkenTopics(registry);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            values.add(writing.tags.valueSerde().serializer().serialize(TopicNames.TAG_EVENTS,
                    AlertFixtures.onset("line-3-east", "Dog", 0.9f, i)));
        }
        registry.down = true;
        start("""
                {"endpoints": {"hook": {"url": "http://hook.local/x"}},
                 "rules": [{"type": "tag", "endpoint": "hook"}]}
                """, Map.of("hook", 200), new HearkenTopics(registry));
        RecordingConsumer consumer = consumers.get("hearken-alerts.hook");
        feed(consumer, TAGS_0, values);
        alerter.start();

        // At least two attempts: the record was tried again after the first failure, and is still held.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.refused.get() < 2 && System.nanoTime() < deadline) {
            consumer.afterFullLoop(() -> null);
        }
        assertThat(registry.refused.get()).as("the outage was met").isGreaterThanOrEqualTo(2);
        assertThat(consumer.afterFullLoop(() -> consumer.committed(TAGS_0))).as("nothing acknowledged: no commit past offset 0").isLessThanOrEqualTo(0L);
        assertThat(transports.get("hook").keys).isEmpty();
        assertThat(producer.history()).as("nothing dead-lettered").isEmpty();

        registry.down = false;

        consumer.eventually(() -> consumer.committed(TAGS_0), 3L);
        assertThat(transports.get("hook").keys).containsExactlyInAnyOrder(id(0), id(1), id(2));
        assertThat(producer.history()).as("nothing dead-lettered").isEmpty();
        assertThat(alerter.failures()).isEmpty();
    }

    @Test
    void closeLetsUnfinishedDeliveriesFinishAndCommitsThem() throws Exception {
        start("""
                {"endpoints": {"hook": {"url": "http://hook.local/x"}},
                 "rules": [{"type": "tag", "endpoint": "hook"}]}
                """, Map.of());
        RecordingConsumer consumer = consumers.get("hearken-alerts.hook");
        feed(consumer, TAGS_0, onsets(2));
        alerter.start();
        ManualTransport http = transports.get("hook");
        ManualTransport.Call c0 = http.next();
        ManualTransport.Call c1 = http.next();
        c0.answer(200);
        consumer.eventually(() -> consumer.committed(TAGS_0), 1L);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(alerter::close);
        c1.answer(200); // finishes during the shutdown grace
        closing.get(10, TimeUnit.SECONDS);
        assertThat(consumer.committed(TAGS_0)).isEqualTo(2L);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void revokedPartitionsAreCommittedUpToTheirFirstUnfinishedEventAndForgotten() throws Exception {
        start("""
                {"endpoints": {"hook": {"url": "http://hook.local/x", "queue_capacity": 2, "concurrency": 1}},
                 "rules": [{"type": "tag", "endpoint": "hook"}]}
                """, Map.of());
        RecordingConsumer consumer = consumers.get("hearken-alerts.hook");
        feed(consumer, TAGS_0, onsets(4));
        alerter.start();
        ManualTransport http = transports.get("hook");
        http.next().answer(200); // offset 0 done; 1 in flight, 2 queued, 3 held (endpoint full)
        ManualTransport.Call c1 = http.next();
        consumer.eventually(() -> consumer.paused().contains(TAGS_0), true);

        TopicPartition other = new TopicPartition(TopicNames.TAG_EVENTS, 1);
        assertThat(consumer.afterFullLoop(() -> {
            consumer.updateBeginningOffsets(Map.of(other, 0L));
            consumer.rebalance(List.of(other)); // TAGS_0 revoked: commit 1 (first unfinished), forget the rest
            return consumer.committed(TAGS_0);
        })).isEqualTo(1L);
        assertThat(consumer.afterFullLoop(() -> consumer.assignment().stream().noneMatch(consumer.paused()::contains)))
                .as("nothing held any more: the new partition flows").isTrue();
        c1.answer(200); // finishes after the revocation: reported, but no longer tracked or committed
        assertThat(consumer.afterFullLoop(() -> consumer.committed(TAGS_0))).isEqualTo(1L);
        assertThat(Set.copyOf(http.keys)).contains(id(0), id(1));
    }
}
