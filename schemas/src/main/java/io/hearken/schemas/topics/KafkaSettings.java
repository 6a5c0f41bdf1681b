package io.hearken.schemas.topics;

import io.hearken.config.ConfigGroup;
import io.hearken.config.Field;
import io.hearken.config.Validators;

/**
 * Where Kafka and the schema registry are: the connection settings every Hearken component that talks to Kafka
 * shares (the job, ingest, the sinks). Both are required: a default pointing at localhost would let a forgotten
 * setting in a deployment retry connections forever instead of failing at start-up.
 */
public final class KafkaSettings {
    public static final Field<String> BOOTSTRAP_SERVERS = Field.string("kafka.bootstrap.servers")
            .withValidator(Validators.matching("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*", "host:port, comma-separated"))
            .withDescription("Kafka brokers to make the first connection to (host:port, comma-separated); the "
                    + "client finds the rest of the cluster from them.");
    public static final Field<String> REGISTRY_URL = Field.string("schema.registry.url")
            .withValidator(Validators.matching("(https?|mock)://[^,\\s]+(,(https?|mock)://[^,\\s]+)*",
                    "an http(s):// URL, comma-separated (mock:// for tests)"))
            .withDescription("Confluent Schema Registry the Avro values are registered in and read with "
                    + "(Confluent wire format).");

    public static final ConfigGroup CONFIG = ConfigGroup.of("kafka", "Kafka and the Confluent Schema Registry.",
            BOOTSTRAP_SERVERS, REGISTRY_URL);

    private KafkaSettings() {
    }
}
