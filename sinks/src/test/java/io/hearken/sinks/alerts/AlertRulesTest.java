package io.hearken.sinks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.EventKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
    static final String EXAMPLE = """
            {
              "retry": {"maxAttempts": 5, "initialBackoffMs": 200, "maxBackoffMs": 30000, "multiplier": 3},
              "endpoints": {
                "ops-pager": {"url": "https://pager.example.com/hooks/${env:PAGER_PATH}",
                              "headers": {"Authorization": "Bearer ${env:PAGER_TOKEN}", "X-Team": "line-3"},
                              "timeoutMs": 5000, "concurrency": 2, "queueCapacity": 50},
                "plant-dashboard": {"url": "http://dashboard.local:8080/events", "retry": {"maxAttempts": 3}},
                "unused": {"url": "http://unused.local/"}
              },
              "rules": [
                {"name": "dogs-on-line-3", "type": "tag", "labels": ["Dog", "bark"], "streams": ["line-3-*", "gate"],
                 "minScore": 0.6, "endpoint": "ops-pager"},
                {"name": "machine-anomalies", "type": "anomaly", "onsetOnly": false, "endpoint": "plant-dashboard"},
                {"type": "caption", "endpoint": "plant-dashboard"}
              ]
            }
            """;
    static final Map<String, String> ENV = Map.of("PAGER_TOKEN", "s3cret", "PAGER_PATH", "abc");

    static AlertRules example() {
        return AlertRules.parse(EXAMPLE, ENV::get, "alerts.json");
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
    void reportsEveryProblemNamingTheRuleOrEndpointAndTheField() {
        String json = """
                {
                  "endpoints": {
                    "a": {"url": "ftp://a.local/x", "timeoutMs": 0, "headers": {"Content-Type": "text/plain"}},
                    "b": {"url": "http://b.local/", "concurency": 3, "headers": {"Authorization": "${env:MISSING}"}}
                  },
                  "rules": [
                    {"name": "typo", "type": "tags", "endpoint": "a"},
                    {"name": "caption-score", "type": "caption", "minScore": 0.5, "onsetOnly": true, "endpoint": "b"},
                    {"name": "anomaly-labels", "type": "anomaly", "labels": ["Dog"], "endpoint": "nowhere"},
                    {"name": "typo", "type": "tag", "minscore": 0.5, "endpoint": "b"}
                  ]
                }
                """;
        assertThatThrownBy(() -> AlertRules.parse(json, k -> null, "alerts.json"))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("alerts.json are invalid")
                .hasMessageContaining("endpoint 'a': field 'url': expected an http:// or https:// URL")
                .hasMessageContaining("endpoint 'a': field 'timeoutMs': expected an integer in [1, 600000], got 0")
                .hasMessageContaining("endpoint 'a': header 'Content-Type': set by the alerter")
                .hasMessageContaining("endpoint 'b': unknown field 'concurency'")
                .hasMessageContaining("endpoint 'b': header 'Authorization': environment variable MISSING is not set")
                .hasMessageContaining("rule 'typo' (rules[0]): field 'type': unknown event type 'tags' (expected tag, anomaly or caption)")
                .hasMessageContaining("rule 'caption-score' (rules[1]): field 'minScore': caption events have no score")
                .hasMessageContaining("rule 'caption-score' (rules[1]): field 'onsetOnly': caption events have no onset or offset")
                .hasMessageContaining("rule 'anomaly-labels' (rules[2]): field 'labels': only tag rules have labels")
                .hasMessageContaining("rule 'anomaly-labels' (rules[2]): field 'endpoint': no endpoint named 'nowhere'")
                .hasMessageContaining("rule 'typo' (rules[3]): unknown field 'minscore'");
    }

    @Test
    void rejectsDuplicateRuleNamesMissingSectionsAndBadJson() {
        assertThatThrownBy(() -> AlertRules.parse("""
                {"endpoints": {"a": {"url": "http://a.local/"}},
                 "rules": [{"name": "x", "type": "tag", "endpoint": "a"}, {"name": "x", "type": "tag", "endpoint": "a"}]}
                """)).hasMessageContaining("rule 'x' (rules[1]): field 'name': another rule has the same name");
        assertThatThrownBy(() -> AlertRules.parse("{\"endpoints\": {}}"))
                .hasMessageContaining("endpoints: required").hasMessageContaining("rules: required");
        assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [}"))
                .isInstanceOf(HearkenException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> AlertRules.parse("""
                {"retry": {"maxAttempts": 0, "multiplier": 0.5}, "endpoints": {"a": {"url": "http://a.local/"}},
                 "rules": [{"type": "tag", "endpoint": "a", "streams": "line-3"}]}
                """))
                .hasMessageContaining("retry: field 'maxAttempts': expected an integer in [1, 1000], got 0")
                .hasMessageContaining("retry: field 'multiplier': expected a number in [1, 100], got 0.5")
                .hasMessageContaining("rules[0]: field 'streams': expected an array of strings");
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
