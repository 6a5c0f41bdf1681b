package io.hearken.sinks.alerts;

import io.hearken.schemas.topics.TopicNames;
import java.util.Locale;
import java.util.Optional;

/** The event streams an alert rule can watch, each with its topic and its name in the rules file. */
public enum AlertEventType {
    TAG("tag", TopicNames.TAG_EVENTS),
    ANOMALY("anomaly", TopicNames.ANOMALY_EVENTS),
    CAPTION("caption", TopicNames.CAPTION_EVENTS);

    private final String configName;
    private final String topic;

    AlertEventType(String configName, String topic) {
        this.configName = configName;
        this.topic = topic;
    }

    /** How the type is spelled in the rules file ({@code tag}, {@code anomaly}, {@code caption}). */
    public String configName() {
        return configName;
    }

    public String topic() {
        return topic;
    }

    /** Tag and anomaly events have an ONSET and an OFFSET; captions have no kind. */
    public boolean hasKind() {
        return this != CAPTION;
    }

    /** Tag and anomaly events carry a peak score; captions have none. */
    public boolean hasScore() {
        return this != CAPTION;
    }

    public static Optional<AlertEventType> fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (AlertEventType t : values()) {
            if (t.configName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static Optional<AlertEventType> forTopic(String topic) {
        for (AlertEventType t : values()) {
            if (t.topic.equals(topic)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
