package io.hearken.schemas.topics;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.HearkenConfig;
import io.hearken.config.Validators;
import io.hearken.error.HearkenException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Kafka and the schema registry are: the connection settings every Hearken component that talks to Kafka
 * shares (the job, ingest, the sinks). Neither has a default: a default pointing at localhost would let a forgotten
 * setting in a deployment retry connections forever instead of failing at start-up. They are optional in the
 * configuration only because the embedded platform (demo, bench) brings its own broker and registry; a component
 * that connects to external ones takes them through {@link #connection}, which requires both.
 */
public final class KafkaSettings {
    public static final Field<String> BOOTSTRAP_SERVERS = Field.string("kafka.bootstrap.servers").optional()
            .withValidator(Validators.matching("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*", "host:port, comma-separated"))
            .withDescription("Kafka brokers to make the first connection to (host:port, comma-separated); the "
                    + "client finds the rest of the cluster from them.");
    public static final Field<String> REGISTRY_URL = Field.string("schema.registry.url").optional()
            .withValidator(Validators.matching("(https?|mock)://[^,\\s]+(,(https?|mock)://[^,\\s]+)*",
                    "an http(s):// URL, comma-separated (mock:// for tests)"))
            .withDescription("Confluent Schema Registry the Avro values are registered in and read with "
                    + "(Confluent wire format).");

    public static final ConfigGroup CONFIG = ConfigGroup.of("kafka", "Kafka and the Confluent Schema Registry.",
            BOOTSTRAP_SERVERS, REGISTRY_URL);

    /** Brokers and registry of an external Kafka. */
    public record Connection(String bootstrapServers, String registryUrl) {
    }

    private KafkaSettings() {
    }

    /** Both connection settings of {@code config}; a CONFIG error naming each one that is not set. */
    public static Connection connection(HearkenConfig config) {
        List<String> missing = new ArrayList<>();
        for (Field<String> field : List.of(BOOTSTRAP_SERVERS, REGISTRY_URL)) {
            if (config.find(field).isEmpty()) {
                missing.add(field.key() + ": required but not set (set it in the --config file, as "
                        + field.envName().orElseThrow() + " or with --set " + field.key() + "=...)");
            }
        }
        if (!missing.isEmpty()) {
            throw HearkenException.config(String.join("\n", missing));
        }
        return new Connection(config.find(BOOTSTRAP_SERVERS).orElseThrow(), config.find(REGISTRY_URL).orElseThrow());
    }
}
