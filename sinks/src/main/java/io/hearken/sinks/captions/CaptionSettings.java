package io.hearken.sinks.captions;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * When the caption sink speaks, and how: the {@code sinks.captions.*} settings ({@link #CONFIG}), read with
 * {@link #from(HearkenConfig)}. The fields below are the only place their defaults are written.
 *
 * @param period     {@link #PERIOD}: a caption for every this much audio of a stream
 * @param onBurstEnd {@link #ON_BURST_END}: also caption as soon as a burst of tags ends
 * @param emitEmpty  {@link #EMIT_EMPTY}: caption spans in which no tag was heard too
 * @param grammar    wording of {@link GrammarCaptioner} (the {@code sinks.captions.grammar.*} settings)
 */
public record CaptionSettings(Duration period, boolean onBurstEnd, boolean emitEmpty, GrammarCaptioner.Style grammar) {
    public static final Field<Duration> PERIOD = Field.duration("sinks.captions.period")
            .withDefault(Duration.ofSeconds(10))
            .withValidator(Validators.atLeast(Duration.ofSeconds(1)))
            .withDescription("A caption for every this much audio of a stream.");
    public static final Field<Boolean> ON_BURST_END = Field.bool("sinks.captions.on.burst.end").withDefault(true)
            .withDescription("Also caption as soon as a burst of tags ends: the last open tag closed by its hold-off.");
    public static final Field<Boolean> EMIT_EMPTY = Field.bool("sinks.captions.emit.empty").withDefault(false)
            .withDescription("Caption spans in which no tag was heard too (\"Nothing distinct is heard.\") instead "
                    + "of skipping them.");
    public static final Field<Double> LOUD_DBFS = Field.number("sinks.captions.grammar.loud.dbfs").withDefault(-15.0)
            .withUnit("dBFS")
            .withValidator(Validators.atMost(0.0))
            .withDescription("Mean window loudness at or above which a sound is said to be loud; must be above "
                    + "sinks.captions.grammar.faint.dbfs.");
    public static final Field<Double> FAINT_DBFS = Field.number("sinks.captions.grammar.faint.dbfs").withDefault(-45.0)
            .withUnit("dBFS")
            .withValidator(Validators.atMost(0.0))
            .withDescription("Mean window loudness at or below which a sound is said to be faint.");
    public static final Field<Integer> MAX_CLAUSES = Field.integer("sinks.captions.grammar.max.clauses").withDefault(4)
            .withValidator(Validators.range(1, 10))
            .withDescription("Most sounds named in one sentence, background included (the most salient are kept).");
    public static final Field<Duration> BRIEF = Field.duration("sinks.captions.grammar.brief")
            .withDefault(Duration.ofMillis(2500))
            .withDescription("One occurrence this short (or shorter) in a span at least twice as long is brief "
                    + "(2.5s: one 2s window).");
    public static final Field<Double> BACKGROUND_COVERAGE = Field.number("sinks.captions.grammar.background.coverage")
            .withDefault(0.7)
            .withValidator(Validators.of("in (0, 1]", c -> c > 0 && c <= 1))
            .withDescription("Share of the span a sound must cover to be background or heard throughout.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("sinks.captions",
            "The caption sink: when spans of tags are captioned, and the wording of the grammar captioner.",
            PERIOD, ON_BURST_END, EMIT_EMPTY, LOUD_DBFS, FAINT_DBFS, MAX_CLAUSES, BRIEF, BACKGROUND_COVERAGE);

    private static final CaptionSettings DEFAULTS = from(HearkenConfig.fromRaw(List.of(CONFIG), Map.of()));

    public CaptionSettings {
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw HearkenException.config(PERIOD.key() + " must be at least 1s, got " + period);
        }
        if (grammar == null) {
            grammar = DEFAULTS.grammar();
        }
    }

    public static CaptionSettings defaults() {
        return DEFAULTS;
    }

    /** The settings of {@code config}, which must include {@link #CONFIG}. */
    public static CaptionSettings from(HearkenConfig config) {
        GrammarCaptioner.Style style = new GrammarCaptioner.Style(config.get(LOUD_DBFS).floatValue(),
                config.get(FAINT_DBFS).floatValue(), config.get(MAX_CLAUSES), config.get(BRIEF).toNanos() / 1000,
                config.get(BACKGROUND_COVERAGE));
        return new CaptionSettings(config.get(PERIOD), config.get(ON_BURST_END), config.get(EMIT_EMPTY), style);
    }

    public long periodMicros() {
        return period.toNanos() / 1000;
    }

    /** The captioner these settings describe. */
    public GrammarCaptioner grammarCaptioner() {
        return new GrammarCaptioner(grammar);
    }
}
