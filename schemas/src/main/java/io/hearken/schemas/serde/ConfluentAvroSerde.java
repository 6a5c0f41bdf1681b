package io.hearken.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro specific records in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then Avro
 * binary. Subjects follow TopicNameStrategy ({@code <topic>-value} / {@code <topic>-key}).
 *
 * <p>Failures say what went wrong ({@link RegistryFailures}): bytes that are not a record, or a schema id the
 * registry does not know, are a {@link SerializationException} (bad input); the registry being unreachable is a
 * TRANSIENT {@code HearkenException}, so that no valid record is dead-lettered because of an outage.
 *
 * <p>The registry client is the Confluent one that flink-sql-avro-confluent-registry ships shaded (with its own
 * shaded Avro), so schemas cross that boundary as JSON text and records are encoded with the project's Avro.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private final SchemaRegistryClient registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final boolean isKey;
    private final boolean autoRegister;
    private final SpecificDatumWriter<T> writer;
    /** Subject -> id of the reader schema, resolved once per subject. */
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    /** Writer schema id -> reader for data written with it. */
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    public ConfluentAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey, boolean autoRegister) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.isKey = isKey;
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(SchemaRegistryClient registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, type, false, true);
    }

    public Schema schema() {
        return readerSchema;
    }

    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = schemaId(subject(topic, isKey));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            synchronized (writer) { // SpecificDatumWriter is not documented as thread-safe
                writer.write(record, encoder);
            }
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize " + type.getSimpleName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_BYTES) {
            throw new SerializationException("topic " + topic + ": record of " + data.length
                    + " bytes is too short for the Confluent wire format (magic byte + 4-byte schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException("topic " + topic + ": unknown magic byte " + data[0]
                    + " (expected 0: Confluent Avro wire format)");
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        // Only a schema the registry gave is cached: a failed fetch (outage) is tried again with the next record.
        SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, unknown -> readerFor(topic, unknown));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, null);
            T result = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("topic " + topic + ": " + type.getSimpleName() + " with schema id " + id
                        + " has trailing bytes after the record");
            }
            return result;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("topic " + topic + ": cannot decode " + type.getSimpleName()
                    + " written with schema id " + id + ": " + e, e);
        }
    }

    private int schemaId(String subject) {
        Integer cached = idBySubject.get(subject);
        if (cached != null) {
            return cached;
        }
        AvroSchema schema = new AvroSchema(readerSchema.toString());
        try {
            int id = autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
            idBySubject.put(subject, id);
            return id;
        } catch (IOException | RestClientException e) {
            throw RegistryFailures.subjectUnavailable(subject, type.getSimpleName(), autoRegister, e);
        }
    }

    private SpecificDatumReader<T> readerFor(String topic, int id) {
        ParsedSchema writerSchema;
        try {
            writerSchema = registry.getSchemaById(id);
        } catch (IOException | RestClientException e) {
            throw RegistryFailures.writerSchemaUnavailable(topic, id, e);
        }
        if (!AvroSchema.TYPE.equals(writerSchema.schemaType())) {
            throw new SerializationException("topic " + topic + ": schema id " + id + " is " + writerSchema.schemaType()
                    + ", not AVRO");
        }
        Schema parsed = new Schema.Parser().parse(writerSchema.canonicalString());
        return new SpecificDatumReader<>(parsed, readerSchema);
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }
}
