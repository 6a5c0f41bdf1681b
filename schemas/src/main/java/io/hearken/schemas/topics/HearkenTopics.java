package io.hearken.schemas.topics;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.AnomalyEvent;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.CaptionEvent;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.TagEvent;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryFailures;
import java.io.IOException;
import java.util.List;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Hearken topic with its serdes, bound to one Schema Registry. Keys are stream ids (UTF-8 strings), values
 * Avro in the Confluent wire format.
 */
public final class HearkenTopics {
    /** Compatibility enforced on every Hearken subject: consumers upgraded first can read what old producers wrote. */
    public static final String COMPATIBILITY = "BACKWARD";

    public final Topic<String, AudioChunk> chunks;
    public final Topic<String, WindowResult> windows;
    public final Topic<String, TagEvent> tags;
    public final Topic<String, AnomalyEvent> anomalies;
    public final Topic<String, CaptionEvent> captions;
    public final Topic<String, DeadLetter> deadLetters;
    public final Topic<String, AnomalyControl> anomalyControl;

    public HearkenTopics(SchemaRegistryClient registry) {
        Serde<String> keys = Serdes.String();
        chunks = new Topic<>(TopicNames.AUDIO_CHUNKS, keys, ConfluentAvroSerde.forValues(registry, AudioChunk.class));
        windows = new Topic<>(TopicNames.AUDIO_WINDOWS, keys, ConfluentAvroSerde.forValues(registry, WindowResult.class));
        tags = new Topic<>(TopicNames.TAG_EVENTS, keys, ConfluentAvroSerde.forValues(registry, TagEvent.class));
        anomalies = new Topic<>(TopicNames.ANOMALY_EVENTS, keys, ConfluentAvroSerde.forValues(registry, AnomalyEvent.class));
        captions = new Topic<>(TopicNames.CAPTION_EVENTS, keys, ConfluentAvroSerde.forValues(registry, CaptionEvent.class));
        deadLetters = new Topic<>(TopicNames.DEAD_LETTERS, keys, ConfluentAvroSerde.forValues(registry, DeadLetter.class));
        anomalyControl = new Topic<>(TopicNames.ANOMALY_CONTROL, keys,
                ConfluentAvroSerde.forValues(registry, AnomalyControl.class));
    }

    public List<Topic<String, ?>> all() {
        return List.of(chunks, windows, tags, anomalies, captions, deadLetters, anomalyControl);
    }

    /**
     * Sets BACKWARD compatibility on every value subject and registers the current schemas, so an incompatible
     * change fails loudly at start-up instead of at the first record.
     */
    public void registerSchemas(SchemaRegistryClient registry) {
        for (Topic<String, ?> topic : all()) {
            String subject = ConfluentAvroSerde.subject(topic.name(), false);
            ConfluentAvroSerde<?> serde = (ConfluentAvroSerde<?>) topic.valueSerde();
            try {
                registry.updateCompatibility(subject, COMPATIBILITY);
                registry.register(subject, new AvroSchema(serde.schema().toString()));
            } catch (IOException e) {
                throw new HearkenException(ErrorKind.TRANSIENT, "schema registry unreachable while registering "
                        + subject + ": " + e.getMessage(), e);
            } catch (RestClientException e) {
                // A failing registry (5xx) may pass; any other refusal is about the schema or the deployment.
                ErrorKind kind = RegistryFailures.isRetriableStatus(e.getStatus()) ? ErrorKind.TRANSIENT : ErrorKind.CONFIG;
                throw new HearkenException(kind, "schema registry refused the schema for " + subject
                        + " (HTTP " + e.getStatus() + "): " + e.getMessage(), e);
            }
        }
    }
}
