package io.hearken.sinks.alerts;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The webhook alerter's {@code sinks.alerts.*} settings ({@link #CONFIG}): where its rules are, and its
 * {@link WebhookAlerter.Options}. The fields below are the only place the options' defaults are written.
 *
 * @param rules   the alert rules of {@link #RULES}; empty when none are configured (no alerter runs)
 * @param options how the alerter consumes and commits
 */
public record AlertSettings(Optional<AlertRules> rules, WebhookAlerter.Options options) {
    public static final Field<Path> RULES = Field.path("sinks.alerts.rules").optional()
            .withDescription("JSON file of webhook endpoints, alert rules and retry policy (see README); "
                    + "without it no alerts are sent.");
    public static final Field<String> GROUP_PREFIX = Field.string("sinks.alerts.group.prefix")
            .withDefault(WebhookAlerter.DEFAULT_GROUP_PREFIX)
            .withValidator(Validators.matching("[A-Za-z0-9._-]+", "letters, digits, '.', '_' or '-'"))
            .withDescription("Each endpoint reads through its own consumer group, PREFIX.ENDPOINT.");
    public static final Field<String> AUTO_OFFSET_RESET = Field.enumeration("sinks.alerts.auto.offset.reset",
                    "latest", "earliest")
            .withDefault("latest")
            .withDescription("Where a new endpoint's consumer group starts: latest does not replay the history of "
                    + "the event topics when an endpoint is added.");
    public static final Field<Duration> POLL_TIMEOUT = Field.duration("sinks.alerts.poll.timeout")
            .withDefault(Duration.ofMillis(100))
            .withDescription("How long each endpoint's consumer waits for events in one poll.");
    public static final Field<Duration> IDLE_WAIT = Field.duration("sinks.alerts.idle.wait")
            .withDefault(Duration.ZERO)
            .withDescription("After an empty poll, how long to wait for finished deliveries (0: the poll already "
                    + "waited; only consumers whose poll returns at once need more).");
    public static final Field<Duration> COMMIT_INTERVAL = Field.duration("sinks.alerts.commit.interval")
            .withDefault(Duration.ofSeconds(1))
            .withDescription("How often the offsets of finished deliveries are committed.");
    public static final Field<Duration> SHUTDOWN_GRACE = Field.duration("sinks.alerts.shutdown.grace")
            .withDefault(Duration.ofSeconds(10))
            .withDescription("On shutdown, how long unfinished deliveries may still finish before the offsets are "
                    + "committed; what did not finish is delivered again after a restart.");
    public static final Field<Duration> DEAD_LETTER_RETRY = Field.duration("sinks.alerts.dead.letter.retry")
            .withDefault(Duration.ofSeconds(5))
            .withValidator(Validators.atLeast(Duration.ofMillis(1)))
            .withDescription("How often a dead letter that could not be written is tried again.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("sinks.alerts",
            "Webhook alerts: matching events POSTed as CloudEvents, one consumer group per endpoint.",
            RULES, GROUP_PREFIX, AUTO_OFFSET_RESET, POLL_TIMEOUT, IDLE_WAIT, COMMIT_INTERVAL, SHUTDOWN_GRACE,
            DEAD_LETTER_RETRY);

    private static final WebhookAlerter.Options DEFAULT_OPTIONS = options(HearkenConfig.fromRaw(List.of(CONFIG), Map.of()));

    public AlertSettings {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(options, "options");
    }

    /** The settings of {@code config} (which must include {@link #CONFIG}), with the rules file read and checked. */
    public static AlertSettings from(HearkenConfig config) {
        return from(config, System::getenv);
    }

    /** @param env resolves the rules' {@code ${env:NAME}} references; returns null for an unset variable */
    public static AlertSettings from(HearkenConfig config, UnaryOperator<String> env) {
        return new AlertSettings(config.find(RULES).map(file -> AlertRules.load(file, env)), options(config));
    }

    /** The alerter options of {@code config}, which must include {@link #CONFIG}. */
    public static WebhookAlerter.Options options(HearkenConfig config) {
        return new WebhookAlerter.Options(config.get(GROUP_PREFIX), config.get(AUTO_OFFSET_RESET),
                config.get(POLL_TIMEOUT), config.get(IDLE_WAIT), config.get(COMMIT_INTERVAL), config.get(SHUTDOWN_GRACE),
                config.get(DEAD_LETTER_RETRY));
    }

    /** Every option at its default. */
    public static WebhookAlerter.Options defaultOptions() {
        return DEFAULT_OPTIONS;
    }
}
