package io.hearken.schemas.serde;

import io.hearken.error.HearkenException;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.testutil.MockSchemaRegistry;

/**
 * Creates Schema Registry clients from a URL. {@code mock://scope} gives an in-memory client shared by everyone who
 * names the same scope (unit tests use one scope per test class); http(s) URLs give a caching REST client.
 */
public final class RegistryClients {
    /** Schemas cached per subject by the REST client; Hearken has a handful of subjects. */
    private static final int IDENTITY_MAP_CAPACITY = 1000;
    private static final String MOCK_PREFIX = "mock://";

    private RegistryClients() {
    }

    public static SchemaRegistryClient create(String url) {
        if (url == null || url.isBlank()) {
            throw HearkenException.config("schema.registry.url is empty: give the Schema Registry URL "
                    + "(http://host:port) or mock://scope for an in-memory registry");
        }
        if (url.startsWith(MOCK_PREFIX)) {
            return MockSchemaRegistry.getClientForScope(url.substring(MOCK_PREFIX.length()));
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw HearkenException.config("schema.registry.url '" + url + "' is not an http(s):// or mock:// URL");
        }
        return new CachedSchemaRegistryClient(url, IDENTITY_MAP_CAPACITY);
    }

    /** Drops a mock scope so a later test class starts from an empty registry. */
    public static void dropMockScope(String url) {
        if (url.startsWith(MOCK_PREFIX)) {
            MockSchemaRegistry.dropScope(url.substring(MOCK_PREFIX.length()));
        }
    }
}
