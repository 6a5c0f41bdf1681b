package io.hearken.sinks.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.EventKind;
import io.hearken.schemas.TagEvent;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher against a real local HTTP server: endpoints that fail and recover, time out and recover, always
 * fail, refuse the payload, throttle, or are not there at all; each delivery ends delivered or dead-lettered, and a
 * failing endpoint never holds up a healthy one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookDeliveryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 8;

    private TestWebhookServer server;
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final CountDownLatch failingGate = new CountDownLatch(1);
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final Map<String, List<DeliveryOutcome>> outcomes = new ConcurrentHashMap<>();
    private AlertDispatcher dispatcher;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestWebhookServer();
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        failingGate.countDown();
        if (dispatcher != null) {
            dispatcher.close();
        }
        server.close();
    }

    private AlertDispatcher dispatcher(String json) {
        AlertRules rules = AlertRules.parse(json.replace("BASE", server.url("")));
        DeadLetterSink sink = (origin, letter) -> {
            deadLetters.add(letter);
            return CompletableFuture.completedFuture(null);
        };
        dispatcher = new AlertDispatcher(rules, ep -> new JdkHttpTransport(ep.timeout()), sink,
                () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());
        return dispatcher;
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(20, TimeUnit.SECONDS)).as(what).isTrue();
    }

    /** Offers the event to every endpoint its rules send it to; each endpoint's latch counts its outcomes. */
    private void dispatch(TagEvent record, int offset, Map<String, CountDownLatch> done) {
        AlertEvent event = AlertEvent.of(record);
        dispatcher.route(event).forEach((endpoint, rules) -> {
            boolean accepted = dispatcher.offer(endpoint, event, rules, EventOrigin.of("hearken.events.tags", 0, offset), o -> {
                outcomes.computeIfAbsent(o.endpoint(), k -> new CopyOnWriteArrayList<>()).add(o);
                done.get(o.endpoint()).countDown();
            });
            assertThat(accepted).as("room on " + endpoint).isTrue();
        });
    }

    private List<DeliveryOutcome> outcomes(String endpoint) {
        return outcomes.getOrDefault(endpoint, List.of());
    }

    @Test
    void failingAndSlowEndpointsRecoverOrDeadLetterWithoutHoldingUpTheHealthyOne() throws Exception {
        // recovering: per key, 500, 500, then too slow for the 1 s timeout, then 200
        server.route("/recovering", (key, attempt) -> switch (attempt) {
            case 1, 2 -> TestWebhookServer.Reply.of(500, "upstream down");
            case 3 -> TestWebhookServer.Reply.of(200).after(() -> awaitQuietly(slowRelease));
            default -> TestWebhookServer.Reply.of(200);
        });
        server.route("/healthy", (key, attempt) -> TestWebhookServer.Reply.of(204));
        // failing: 500 at once on the first attempt; every retry hangs until the gate opens, then 500 again
        CountDownLatch failingRetrying = new CountDownLatch(1);
        server.route("/failing", (key, attempt) -> {
            if (attempt == 1) {
                return TestWebhookServer.Reply.of(500, "boom");
            }
            failingRetrying.countDown();
            return TestWebhookServer.Reply.of(500, "still boom").after(() -> awaitQuietly(failingGate));
        });
        dispatcher("""
                {"retry": {"max_attempts": 6, "initial_backoff": "10ms", "max_backoff": "50ms"},
                 "endpoints": {
                   "recovering": {"url": "BASE/recovering", "timeout": "1s", "concurrency": 8},
                   "healthy": {"url": "BASE/healthy", "timeout": "5s", "concurrency": 2},
                   "failing": {"url": "BASE/failing", "timeout": "15s", "concurrency": 2,
                               "retry": {"max_attempts": 4}}},
                 "rules": [
                   {"name": "all-tags", "type": "tag", "endpoint": "recovering"},
                   {"name": "dogs-on-line-3", "type": "tag", "labels": ["Dog"], "streams": ["line-3-*"], "endpoint": "healthy"},
                   {"name": "all-tags-too", "type": "tag", "endpoint": "failing"}]}
                """);

        List<TagEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(AlertFixtures.onset(i % 4 == 3 ? "line-4-west" : "line-3-east", i % 2 == 0 ? "Dog" : "Speech", 0.8f, i));
        }
        Set<String> allIds = events.stream().map(e -> e.getEventId().toString()).collect(Collectors.toSet());
        Set<String> healthyIds = events.stream()
                .filter(e -> e.getLabel().toString().equals("Dog") && e.getStreamId().toString().startsWith("line-3-"))
                .map(e -> e.getEventId().toString()).collect(Collectors.toSet());
        assertThat(healthyIds).hasSizeBetween(1, EVENTS - 1);
        Map<String, CountDownLatch> done = Map.of(
                "recovering", new CountDownLatch(EVENTS),
                "healthy", new CountDownLatch(healthyIds.size()),
                "failing", new CountDownLatch(EVENTS));
        for (int i = 0; i < events.size(); i++) {
            dispatch(events.get(i), i, done);
        }

        // The healthy endpoint gets everything while the failing one is stuck in its retries.
        await(done.get("healthy"), "healthy endpoint done");
        await(failingRetrying, "failing endpoint retrying");
        assertThat(outcomes("failing")).as("nothing of the failing endpoint finished yet").isEmpty();
        assertThat(outcomes("healthy")).extracting(DeliveryOutcome::eventId).containsExactlyInAnyOrderElementsOf(healthyIds);
        assertThat(outcomes("healthy")).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
            assertThat(o.attempts()).isEqualTo(1);
        });

        // The recovering endpoint: every event delivered, each reported exactly once.
        await(done.get("recovering"), "recovering endpoint done");
        assertThat(outcomes("recovering")).extracting(DeliveryOutcome::eventId).containsExactlyInAnyOrderElementsOf(allIds);
        assertThat(outcomes("recovering")).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
            assertThat(o.attempts()).as("500, 500, timeout, 200").isEqualTo(4);
        });
        List<TestWebhookServer.Received> seen = server.at("/recovering");
        assertThat(seen.stream().map(TestWebhookServer.Received::idempotencyKey).collect(Collectors.toSet()))
                .as("the receiver sees each key, and only the events' keys").isEqualTo(allIds);
        assertThat(seen.stream().filter(r -> r.attempt() >= 4).map(TestWebhookServer.Received::idempotencyKey).toList())
                .as("after recovering, each key was sent exactly once more").containsExactlyInAnyOrderElementsOf(allIds);
        for (TestWebhookServer.Received r : seen) {
            assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
            JsonNode ce = MAPPER.readTree(r.body());
            assertThat(ce.get("id").asText()).isEqualTo(r.idempotencyKey());
            assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
            assertThat(ce.get("hearkenrules").asText()).isEqualTo("all-tags");
        }

        // The failing endpoint: every event dead-lettered after the last of 4 attempts.
        failingGate.countDown();
        await(done.get("failing"), "failing endpoint done");
        assertThat(outcomes("failing")).extracting(DeliveryOutcome::eventId).containsExactlyInAnyOrderElementsOf(allIds);
        assertThat(outcomes("failing")).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTERED);
            assertThat(o.attempts()).isEqualTo(4);
        });
        assertThat(server.at("/failing")).hasSize(4 * EVENTS);
        assertThat(deadLetters).hasSize(EVENTS).allSatisfy(l -> {
            assertThat(l.getStage()).isEqualTo("alerts.webhook");
            assertThat(l.getOriginalTopic()).isEqualTo("hearken.events.tags");
            assertThat(l.getErrorClass()).isEqualTo(WebhookDeliveryException.class.getName());
            assertThat(l.getErrorMessage()).contains("endpoint 'failing' (http://127.0.0.1:")
                    .contains("gave up after 4 attempts").contains("last error: HTTP 500: still boom")
                    .doesNotContain("/failing");
        });
        assertThat(deadLetters).extracting(DeadLetter::getOriginalOffset).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(dispatcher.stats("failing").pending()).isZero();
        assertThat(dispatcher.stats("recovering").retries()).isEqualTo(3L * EVENTS);
    }

    @Test
    void clientErrorsAreDeadLetteredAtOnceButThrottlingAndRequestTimeoutAreRetried() throws Exception {
        server.route("/refuses", (key, attempt) -> TestWebhookServer.Reply.of(400, "{\"error\": \"unknown field 'hearkenrules'\"}"));
        server.route("/throttles", (key, attempt) -> attempt == 1
                ? TestWebhookServer.Reply.of(429).withHeader("Retry-After", "0")
                : attempt == 2 ? TestWebhookServer.Reply.of(408) : TestWebhookServer.Reply.of(200));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        dispatcher(("""
                {"retry": {"max_attempts": 3, "initial_backoff": "5ms", "max_backoff": "20ms"},
                 "endpoints": {"refuses": {"url": "BASE/refuses"}, "throttles": {"url": "BASE/throttles"},
                               "absent": {"url": "http://127.0.0.1:PORT/hook", "timeout": "2s"}},
                 "rules": [{"type": "tag", "endpoint": "refuses"}, {"type": "tag", "endpoint": "throttles"},
                           {"type": "tag", "endpoint": "absent"}]}
                """).replace("PORT", Integer.toString(closedPort)));
        Map<String, CountDownLatch> done = Map.of("refuses", new CountDownLatch(1), "throttles", new CountDownLatch(1),
                "absent", new CountDownLatch(1));
        dispatch(AlertFixtures.tag("s", "Dog", EventKind.ONSET, 0.9f, AlertFixtures.T0), 41, done);
        for (CountDownLatch l : done.values()) {
            await(l, "outcome");
        }

        DeliveryOutcome refused = outcomes("refuses").get(0);
        assertThat(refused.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTERED);
        assertThat(refused.attempts()).as("a 400 is not retried").isEqualTo(1);
        assertThat(server.at("/refuses")).hasSize(1);
        DeliveryOutcome throttled = outcomes("throttles").get(0);
        assertThat(throttled.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(throttled.attempts()).as("429, 408, 200").isEqualTo(3);
        DeliveryOutcome absent = outcomes("absent").get(0);
        assertThat(absent.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTERED);
        assertThat(absent.attempts()).as("connection refused is retried").isEqualTo(3);

        assertThat(deadLetters).hasSize(2);
        DeadLetter four00 = deadLetters.stream().filter(l -> l.getErrorMessage().contains("'refuses'")).findFirst().orElseThrow();
        assertThat(four00.getErrorMessage()).contains("not retriable (attempt 1 of 3)")
                .contains("HTTP 400: {\"error\": \"unknown field 'hearkenrules'\"}");
        assertThat(four00.getOriginalOffset()).isEqualTo(41L);
        DeadLetter refusedConn = deadLetters.stream().filter(l -> l.getErrorMessage().contains("'absent'")).findFirst().orElseThrow();
        assertThat(refusedConn.getErrorMessage()).contains("gave up after 3 attempts").contains("ConnectException");
        assertThat(refusedConn.getErrorClass()).isEqualTo("java.net.ConnectException");
    }

    @Test
    void aFullEndpointRefusesMoreWithoutBlockingAndTakesMoreOnceDeliveriesFinish() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        server.route("/slow", (key, attempt) -> TestWebhookServer.Reply.of(200).after(() -> awaitQuietly(gate)));
        dispatcher("""
                {"endpoints": {"slow": {"url": "BASE/slow", "concurrency": 1, "queue_capacity": 2}},
                 "rules": [{"type": "tag", "endpoint": "slow"}]}
                """);
        CountDownLatch finished = new CountDownLatch(2);
        DeliveryOutcome.Listener listener = o -> finished.countDown();
        List<AlertRule> rules = dispatcher.rules().rules();
        AlertEvent a = AlertEvent.of(AlertFixtures.onset("s", "Dog", 0.9f, 1));
        AlertEvent b = AlertEvent.of(AlertFixtures.onset("s", "Dog", 0.9f, 2));
        AlertEvent c = AlertEvent.of(AlertFixtures.onset("s", "Dog", 0.9f, 3));
        assertThat(dispatcher.offer("slow", a, rules, EventOrigin.of("t", 0, 0), listener)).isTrue();
        assertThat(dispatcher.offer("slow", b, rules, EventOrigin.of("t", 0, 1), listener)).isTrue();
        assertThat(dispatcher.offer("slow", c, rules, EventOrigin.of("t", 0, 2), listener)).as("full").isFalse();
        assertThat(dispatcher.pending("slow")).isEqualTo(2);
        gate.countDown();
        await(finished, "both delivered");
        assertThat(dispatcher.offer("slow", c, rules, EventOrigin.of("t", 0, 2), o -> { })).isTrue();
        gate.countDown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
