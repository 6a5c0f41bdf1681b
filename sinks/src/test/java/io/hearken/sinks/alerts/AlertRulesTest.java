package io.hearken.sinks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.EventKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {
    static final String EXAMPLE = """
            {
              "retry": {"max_attempts": 5, "initial_backoff": "200ms", "max_backoff": "30s", "multiplier": 3},
              "endpoints": {
                "ops-pager": {"url": "https://pager.example.com/hooks/${env:PAGER_PATH}",
                              "headers": {"Authorization": "Bearer ${env:PAGER_TOKEN}", "X-Team": "line-3"},
                              "timeout": "5s", "concurrency": 2, "queue_capacity": 50},
                "plant-dashboard": {"url": "http://dashboard.local:8080/events", "retry": {"max_attempts": 3}},
                "unused": {"url": "http://unused.local/"}
              },
              "rules": [
                {"name": "dogs-on-line-3", "type": "tag", "labels": ["Dog", "bark"], "streams": ["line-3-*", "gate"],
                 "min_score": 0.6, "endpoint": "ops-pager"},
                {"name": "machine-anomalies", "type": "anomaly", "onset_only": false, "endpoint": "plant-dashboard"},
                {"type": "caption", "endpoint": "plant-dashboard"}
              ]
            }
            """;
    static final Map<String, String> ENV = Map.of("PAGER_TOKEN", "s3cret", "PAGER_PATH", "abc");
    private static final String SOURCE = "alert rules (alerts.json)";

    static AlertRules example() {
        return AlertRules.parse(EXAMPLE, ENV::get, SOURCE);
    }

    /** The problems of a document that must be refused, one a line. */
    private static List<String> problems(String json) {
        try {
            AlertRules.parse(json, k -> null, SOURCE);
        } catch (HearkenException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            return List.of(e.getMessage().split("\n"));
        }
        throw new AssertionError("expected the rules to be refused");
    }

    @Test
    void parsesEndpointsRulesAndRetryWithDefaultsAndOverrides() {
        AlertRules rules = example();

        assertThat(rules.retry()).isEqualTo(new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30), 3.0));
        Endpoint pager = rules.endpoint("ops-pager");
        assertThat(pager.url().toString()).isEqualTo("https://pager.example.com/hooks/abc");
        assertThat(pager.headers()).containsEntry("Authorization", "Bearer s3cret").containsEntry("X-Team", "line-3");
        assertThat(pager.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pager.concurrency()).isEqualTo(2);
        assertThat(pager.queueCapacity()).isEqualTo(50);
        assertThat(pager.retry()).isEqualTo(rules.retry());
        assertThat(pager.toString()).doesNotContain("s3cret").doesNotContain("abc");

        Endpoint dashboard = rules.endpoint("plant-dashboard");
        assertThat(dashboard.timeout()).isEqualTo(Endpoint.DEFAULT_TIMEOUT);
        assertThat(dashboard.concurrency()).isEqualTo(Endpoint.DEFAULT_CONCURRENCY);
        assertThat(dashboard.queueCapacity()).isEqualTo(Endpoint.DEFAULT_QUEUE_CAPACITY);
        assertThat(dashboard.retry()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(30), 3.0));

        assertThat(rules.rules()).hasSize(3);
        AlertRule dogs = rules.rules().get(0);
        assertThat(dogs.type()).isEqualTo(AlertEventType.TAG);
        assertThat(dogs.labels()).containsExactlyInAnyOrder("dog", "bark");
        assertThat(dogs.minScore()).isEqualTo(0.6f);
        assertThat(dogs.onsetOnly()).isTrue();
        assertThat(rules.rules().get(1).onsetOnly()).isFalse();
        assertThat(rules.rules().get(2).name()).isEqualTo("rules[2]");
        assertThat(rules.rules().get(2).onsetOnly()).isFalse();

        assertThat(rules.activeEndpoints()).containsExactly("ops-pager", "plant-dashboard");
        assertThat(rules.typesFor("plant-dashboard")).containsExactly(AlertEventType.ANOMALY, AlertEventType.CAPTION);
    }

    @Test
    void defaultsRetryToSixAttemptsHalfASecondToAMinuteDoubling() {
        AlertRules rules = AlertRules.parse("""
                {"endpoints": {"a": {"url": "http://a.local/x"}}, "rules": [{"type": "tag", "endpoint": "a"}]}
                """);
        assertThat(rules.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(60), 2.0));
    }

    @Test
    void reportsEveryProblemAtOnceWithItsPath() {
        assertThat(problems("""
                {
                  "endpoints": {
                    "a": {"url": "ftp://a.local/x", "timeout": "0", "headers": {"Content-Type": "text/plain"}},
                    "b": {"url": "http://b.local/", "concurency": 3, "headers": {"Authorization": "${env:MISSING}"}},
                    "c d": {"url": "http://c.local/", "queue_capacity": 0}
                  },
                  "rules": [
                    {"name": "typo", "type": "tags", "endpoint": "a"},
                    {"name": "caption-score", "type": "caption", "min_score": 0.5, "onset_only": true, "endpoint": "b"},
                    {"name": "anomaly-labels", "type": "anomaly", "labels": ["Dog"], "endpoint": "nowhere"},
                    {"name": "typo", "type": "tag", "minscore": 0.5, "endpoint": "b", "streams": ["line-3", ""]},
                    {"name": "no-type"}
                  ]
                }
                """)).containsExactly(
                SOURCE + ": endpoints.a.url: expected an http:// or https:// URL with a host, got 'ftp://a.local/x'",
                SOURCE + ": endpoints.a.headers.Content-Type: set by the alerter or the HTTP client, cannot be configured",
                SOURCE + ": endpoints.a.timeout: '0' is outside [1ms, 10m]",
                SOURCE + ": endpoints.b.concurency: unknown key (did you mean 'concurrency'?)",
                SOURCE + ": endpoints.b.headers.Authorization: environment variable MISSING is not set",
                SOURCE + ": endpoints.c d: an endpoint name must be 1-100 letters, digits, '.', '_' or '-' (it names a consumer group)",
                SOURCE + ": endpoints.c d.queue_capacity: 0 is outside [1, 1000000]",
                SOURCE + ": rules[0].type: unknown event type 'tags' (allowed: tag, anomaly, caption)",
                SOURCE + ": rules[1].min_score: caption events have no score",
                SOURCE + ": rules[1].onset_only: caption events have no onset or offset",
                SOURCE + ": rules[2].labels: only tag rules have labels, not anomaly rules",
                SOURCE + ": rules[2].endpoint: no endpoint named 'nowhere' (known: a, b, c d)",
                SOURCE + ": rules[3].minscore: unknown key (did you mean 'min_score'?)",
                SOURCE + ": rules[3].name: another rule is also named 'typo'",
                SOURCE + ": rules[3].streams[1]: expected a non-empty string",
                SOURCE + ": rules[4]: missing required key 'type'",
                SOURCE + ": rules[4]: missing required key 'endpoint'");
    }

    @Test
    void camelCaseKeysAndMillisecondIntegersAreRefusedWithTheSnakeCaseKey() {
        assertThat(problems("""
                {"retry": {"maxAttempts": 6, "initialBackoffMs": 500, "maxBackoffMs": 60000},
                 "endpoints": {"ops": {"url": "https://pager.example.com/hooks/hearken", "timeoutMs": 5000, "queueCapacity": 10}},
                 "rules": [{"name": "dogs", "type": "tag", "minScore": 0.6, "onsetOnly": false, "endpoint": "ops"}],
                 "Rules": []}
                """)).containsExactly(
                SOURCE + ": Rules: keys are snake_case (did you mean 'rules'?)",
                SOURCE + ": retry.maxAttempts: keys are snake_case (did you mean 'max_attempts'?)",
                SOURCE + ": retry.initialBackoffMs: keys are snake_case (did you mean 'initial_backoff'?)",
                SOURCE + ": retry.maxBackoffMs: keys are snake_case (did you mean 'max_backoff'?)",
                SOURCE + ": endpoints.ops.timeoutMs: keys are snake_case (did you mean 'timeout'?)",
                SOURCE + ": endpoints.ops.queueCapacity: keys are snake_case (did you mean 'queue_capacity'?)",
                SOURCE + ": rules[0].minScore: keys are snake_case (did you mean 'min_score'?)",
                SOURCE + ": rules[0].onsetOnly: keys are snake_case (did you mean 'onset_only'?)");
        assertThat(problems("""
                {"retry": {"initial_backoff": 500, "max_backoff": "1s", "multiplier": 0.5},
                 "endpoints": {"a": {"url": "http://a.local/", "retry": {"initial_backoff": "2m"}}},
                 "rules": [{"type": "tag", "endpoint": "a"}]}
                """)).containsExactly(
                SOURCE + ": retry.initial_backoff: expected a string, got 500",
                SOURCE + ": retry.multiplier: 0.5 is outside [1, 100]",
                SOURCE + ": endpoints.a.retry: max_backoff (1m) is below initial_backoff (2m)");
    }

    @Test
    void rejectsMissingSectionsAndBadJson() {
        assertThat(problems("{\"endpoints\": {}}")).containsExactly(
                SOURCE + ": missing required key 'rules'",
                SOURCE + ": endpoints: must name at least one endpoint ({\"name\": {\"url\": ...}})");
        assertThat(problems("{\"endpoints\": {\"a\": {\"url\": \"http://a.local/\"}}, \"rules\": []}"))
                .containsExactly(SOURCE + ": rules: must list at least one rule");
        assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [}", k -> null, SOURCE))
                .isInstanceOf(HearkenException.class).hasMessageStartingWith(SOURCE + ": line 1, column 12");
    }

    @Test
    void loadsAFileNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.json"), EXAMPLE);
        assertThat(AlertRules.load(file, ENV::get).endpoints()).containsOnlyKeys("ops-pager", "plant-dashboard", "unused");
        Files.writeString(file, "{\"endpoints\": {\"a\": {\"url\": \"http://a.local/\"}}, \"rules\": [{\"type\": \"tag\"}]}");
        assertThatThrownBy(() -> AlertRules.load(file, ENV::get))
                .hasMessage("alert rules (" + file + "): rules[0]: missing required key 'endpoint'");
    }

    @Test
    void matchesByTypeLabelStreamGlobScoreAndKind() {
        AlertRules rules = example();
        AlertEvent dog = AlertEvent.of(AlertFixtures.onset("line-3-east", "Dog", 0.7f, 1));
        assertThat(rules.route(dog)).containsOnlyKeys("ops-pager");
        assertThat(rules.matching("ops-pager", dog)).extracting(AlertRule::name).containsExactly("dogs-on-line-3");

        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("line-3-east", "BARK", 0.7f, 1)))).containsKey("ops-pager");
        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("gate", "Dog", 0.7f, 1)))).containsKey("ops-pager");
        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("line-4-east", "Dog", 0.7f, 1)))).isEmpty();
        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("line-3-east", "Cat", 0.7f, 1)))).isEmpty();
        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("line-3-east", "Dog", 0.59f, 1)))).isEmpty();
        assertThat(rules.route(AlertEvent.of(AlertFixtures.onset("line-3-east", "Dog", 0.6f, 1)))).containsKey("ops-pager");
        assertThat(rules.route(AlertEvent.of(AlertFixtures.tag("line-3-east", "Dog", EventKind.OFFSET, 0.9f, AlertFixtures.T0))))
                .as("onsetOnly is the default for tag rules").isEmpty();

        AlertEvent anomalyOffset = AlertEvent.of(AlertFixtures.anomaly("press-7", EventKind.OFFSET, 0.4f, AlertFixtures.T0));
        assertThat(rules.route(anomalyOffset)).containsOnlyKeys("plant-dashboard");
        AlertEvent caption = AlertEvent.of(AlertFixtures.caption("press-7", "A dog barks.", AlertFixtures.T0));
        assertThat(rules.matching("plant-dashboard", caption)).extracting(AlertRule::name).containsExactly("rules[2]");
        assertThat(rules.matching("ops-pager", caption)).isEmpty();
    }

    @Test
    void streamGlobsMatchWholeIdsAndQuoteEverythingElse() {
        StreamPattern p = StreamPattern.of("line-3-*");
        assertThat(p.matches("line-3-")).isTrue();
        assertThat(p.matches("line-3-east/mic.1")).isTrue();
        assertThat(p.matches("xline-3-east")).isFalse();
        StreamPattern q = StreamPattern.of("mic.?(a)");
        assertThat(q.matches("mic.1(a)")).isTrue();
        assertThat(q.matches("micx1(a)")).isFalse();
        assertThat(StreamPattern.of("exact").matches("exact")).isTrue();
        assertThat(StreamPattern.of("exact").matches("exact2")).isFalse();
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCapWithFullJitter() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.backoffCap(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoffCap(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.backoffCap(5)).isEqualTo(Duration.ofMillis(8000));
        assertThat(p.backoffCap(8)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.backoffCap(1000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.backoff(3, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(p.backoff(3, () -> 0.999_999)).isEqualTo(Duration.ofMillis(2000));
        assertThat(p.backoff(3, () -> 0.5)).isBetween(Duration.ofMillis(999), Duration.ofMillis(1001));
    }
}
