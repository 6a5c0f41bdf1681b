package io.hearken.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.AudioEncoding;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.errors.ErrorClassifier;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.TopicNames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
    private static final String REGISTRY_URL = "mock://ConfluentAvroSerdeTest";
    private static SchemaRegistryClient registry;
    private static HearkenTopics topics;

    @BeforeAll
    static void setUp() {
        registry = RegistryClients.create(REGISTRY_URL);
        topics = new HearkenTopics(registry);
    }

    @AfterAll
    static void tearDown() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    static AudioChunk chunk() {
        return AudioChunk.newBuilder()
                .setStreamId("mic-1").setSequenceNumber(7).setCaptureTimeMicros(1_700_000_000_000_000L)
                .setSampleRate(16000).setChannels(1).setEncoding(AudioEncoding.PCM_S16LE)
                .setSamples(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .setSource(SourceMetadata.newBuilder().setDevice("dev").setLocation("hall").setAttributes(Map.of("line", "3")).build())
                .build();
    }

    @Test
    void roundTripsInConfluentWireFormat() throws Exception {
        byte[] bytes = topics.chunks.valueSerde().serializer().serialize(TopicNames.AUDIO_CHUNKS, chunk());

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(registry.getId(TopicNames.AUDIO_CHUNKS + "-value", new AvroSchema(AudioChunk.getClassSchema().toString())))
                .isEqualTo(id);
        AudioChunk back = topics.chunks.valueSerde().deserializer().deserialize(TopicNames.AUDIO_CHUNKS, bytes);
        assertThat(back).isEqualTo(chunk());
    }

    @Test
    void rejectsWrongMagicByteAndShortRecordsWithReason() {
        var deserializer = topics.chunks.valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 1");
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> deserializer.deserialize("t", "hello, not avro".getBytes()))
                .isInstanceOf(SerializationException.class)
                .satisfies(e -> assertThat(ErrorClassifier.classify(e)).isEqualTo(ErrorKind.BAD_INPUT));
    }

    @Test
    void rejectsUnknownSchemaId() {
        byte[] bytes = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(0).array();
        assertThatThrownBy(() -> topics.chunks.valueSerde().deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown schema id 987654")
                .satisfies(e -> assertThat(ErrorClassifier.classify(e)).isEqualTo(ErrorKind.BAD_INPUT));
    }

    @Test
    void readsDataWrittenWithAnOlderSchemaVersion() throws Exception {
        // Version 1 of AudioChunk had neither endOfStream nor profile: today's reader fills their defaults.
        Schema source = AudioChunk.getClassSchema().getField("source").schema();
        Schema v1 = SchemaBuilder.record("AudioChunk").namespace("io.hearken.schemas").fields()
                .requiredString("streamId").requiredLong("sequenceNumber").requiredLong("captureTimeMicros")
                .requiredInt("sampleRate").requiredInt("channels")
                .name("encoding").type(AudioChunk.getClassSchema().getField("encoding").schema()).noDefault()
                .requiredBytes("samples")
                .name("source").type(source).noDefault()
                .endRecord();
        int id = registry.register("legacy-chunks-value", new AvroSchema(v1.toString()));
        GenericRecord old = new GenericData.Record(v1);
        old.put("streamId", "old-mic");
        old.put("sequenceNumber", 3L);
        old.put("captureTimeMicros", 5L);
        old.put("sampleRate", 8000);
        old.put("channels", 2);
        old.put("encoding", new GenericData.EnumSymbol(v1.getField("encoding").schema(), "PCM_S16LE"));
        old.put("samples", ByteBuffer.wrap(new byte[] {9, 9}));
        GenericRecord meta = new GenericData.Record(source);
        meta.put("device", "d");
        meta.put("location", "l");
        meta.put("attributes", Map.of());
        old.put("source", meta);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        AudioChunk read = topics.chunks.valueSerde().deserializer().deserialize("legacy-chunks", out.toByteArray());

        assertThat(read.getStreamId()).isEqualTo("old-mic");
        assertThat(read.getProfile()).isEqualTo("default");
        assertThat(read.getEndOfStream()).isFalse();
    }

    @Test
    void registersEverySchemaWithBackwardCompatibilityEnforced() throws Exception {
        topics.registerSchemas(registry);

        for (String topic : TopicNames.ALL) {
            assertThat(registry.getCompatibility(topic + "-value")).isEqualTo("BACKWARD");
            assertThat(registry.getLatestSchemaMetadata(topic + "-value").getVersion()).isPositive();
        }
        // A new required field without a default cannot read old data: the registry must refuse it.
        Schema breaking = SchemaBuilder.record("CaptionEvent").namespace("io.hearken.schemas").fields()
                .requiredString("eventId").requiredString("mandatoryNewField").endRecord();
        assertThat(registry.testCompatibility(TopicNames.CAPTION_EVENTS + "-value", new AvroSchema(breaking.toString())))
                .isFalse();
    }
}
