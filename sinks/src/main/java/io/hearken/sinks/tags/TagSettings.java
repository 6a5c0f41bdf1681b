package io.hearken.sinks.tags;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import java.nio.file.Path;

/**
 * The tag sink's {@code sinks.tags.*} settings ({@link #CONFIG}): where its rules are and which application it is.
 *
 * @param rules         the tag rules: those of {@link #RULES}, else {@link TagRules#defaults()}
 * @param applicationId {@link #APPLICATION_ID}
 */
public record TagSettings(TagRules rules, String applicationId) {
    public static final Field<Path> RULES = Field.path("sinks.tags.rules").optional()
            .withDescription("JSON file of tag rules: thresholds, loudness gate, onset windows, hold-off, listen list, "
                    + "label groups, per-stream overrides (see README). Default: threshold 0.3 and hold-off 1.5s "
                    + "for every label.");
    public static final Field<String> APPLICATION_ID = Field.string("sinks.tags.application.id")
            .withDefault("hearken-sinks-tags")
            .withValidator(Validators.matching("[A-Za-z0-9._-]+", "letters, digits, '.', '_' or '-'"))
            .withDescription("Kafka Streams application id of the tag and caption sink: its consumer group and the "
                    + "prefix of its internal topics. Changing it starts the sink afresh.");

    public static final ConfigGroup CONFIG = ConfigGroup.of("sinks.tags",
            "The tag sink (and the caption sink, which runs in the same application).", RULES, APPLICATION_ID);

    /** The settings of {@code config} (which must include {@link #CONFIG}), with the rules file read and checked. */
    public static TagSettings from(HearkenConfig config) {
        TagRules rules = config.find(RULES).map(TagRulesConfig::load).orElseGet(TagRules::defaults);
        return new TagSettings(rules, config.get(APPLICATION_ID));
    }
}
