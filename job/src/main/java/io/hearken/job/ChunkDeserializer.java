package io.hearken.job;

import io.hearken.error.HearkenException;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.AudioEncoding;
import io.hearken.schemas.errors.ErrorClassifier;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads hearken.audio.chunks. Anything that is not a valid chunk (not Avro, unknown schema id, impossible field
 * values, unknown profile) becomes a dead letter with the original bytes and the reason; the job never fails on it.
 * Whether an error is the record's fault is the {@link ErrorClassifier}'s decision: a retriable one (the schema
 * registry unreachable) fails the job instead, which restarts from its checkpoint and reads the record again.
 */
public final class ChunkDeserializer implements KafkaRecordDeserializationSchema<ChunkEnvelope> {
    private static final long serialVersionUID = 1L;
    static final String STAGE = "job.deserialize";
    static final int MAX_STREAM_ID_LENGTH = 256;
    static final int MAX_SAMPLE_BYTES = 8 * 1024 * 1024;

    private final String registryUrl;
    private final Set<String> profiles;
    private transient ConfluentAvroSerde<AudioChunk> serde;

    public ChunkDeserializer(String registryUrl, Set<String> profiles) {
        this.registryUrl = registryUrl;
        this.profiles = Set.copyOf(profiles);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        serde = ConfluentAvroSerde.forValues(RegistryClients.create(registryUrl), AudioChunk.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChunkEnvelope> out) {
        ChunkEvent event;
        try {
            event = read(record);
        } catch (RuntimeException e) {
            if (!ErrorClassifier.isDeadLetter(e)) {
                throw JobFailures.escalate(e); // e.g. the registry is down: the record is fine, read it again later
            }
            out.collect(ChunkEnvelope.bad(DeadLetterEvent.of(record.topic(), record.partition(), record.offset(),
                    record.key(), record.value(), STAGE, e)));
            return;
        }
        out.collect(ChunkEnvelope.good(event)); // outside the try: a failure downstream is not this record's fault
    }

    private ChunkEvent read(ConsumerRecord<byte[], byte[]> record) {
        AudioChunk chunk = serde.deserialize(record.topic(), record.value());
        if (chunk == null) {
            throw HearkenException.badInput("empty (tombstone) record");
        }
        ChunkEvent event = toEvent(chunk, record.key());
        event.kafkaTopic = record.topic();
        event.kafkaPartition = record.partition();
        event.kafkaOffset = record.offset();
        return event;
    }

    ChunkEvent toEvent(AudioChunk chunk, byte[] key) {
        String id = chunk.getStreamId();
        if (id == null || id.isBlank() || id.length() > MAX_STREAM_ID_LENGTH) {
            throw HearkenException.badInput("streamId must be 1.." + MAX_STREAM_ID_LENGTH + " characters, got '" + id + "'");
        }
        if (key != null && !id.equals(new String(key, StandardCharsets.UTF_8))) {
            throw HearkenException.badInput("stream " + id + ": record key '" + new String(key, StandardCharsets.UTF_8)
                    + "' differs from streamId (chunks of a stream must share its partition)");
        }
        if (chunk.getSequenceNumber() < 0) {
            throw HearkenException.badInput("stream " + id + ": negative sequenceNumber " + chunk.getSequenceNumber());
        }
        if (chunk.getSampleRate() < 8000 || chunk.getSampleRate() > 192000) {
            throw HearkenException.badInput("stream " + id + ": sampleRate " + chunk.getSampleRate() + " Hz outside 8000..192000");
        }
        if (chunk.getChannels() < 1 || chunk.getChannels() > 8) {
            throw HearkenException.badInput("stream " + id + ": channels " + chunk.getChannels() + " outside 1..8");
        }
        if (chunk.getEncoding() != AudioEncoding.PCM_S16LE) {
            throw HearkenException.badInput("stream " + id + ": encoding " + chunk.getEncoding() + " is not supported (PCM_S16LE)");
        }
        byte[] samples = new byte[chunk.getSamples().remaining()];
        chunk.getSamples().duplicate().get(samples);
        int frameBytes = 2 * chunk.getChannels();
        if (samples.length > MAX_SAMPLE_BYTES || samples.length % frameBytes != 0) {
            throw HearkenException.badInput("stream " + id + ": " + samples.length + " sample bytes is not a whole number of "
                    + chunk.getChannels() + "-channel PCM16 frames (or exceeds " + MAX_SAMPLE_BYTES + ")");
        }
        if (!profiles.contains(chunk.getProfile())) {
            throw HearkenException.badInput("stream " + id + ": unknown stream profile '" + chunk.getProfile()
                    + "' (known: " + profiles + ")");
        }
        ChunkEvent e = new ChunkEvent();
        e.streamId = id;
        e.sequenceNumber = chunk.getSequenceNumber();
        e.captureTimeMicros = chunk.getCaptureTimeMicros();
        e.sampleRate = chunk.getSampleRate();
        e.channels = chunk.getChannels();
        e.pcm16 = samples;
        e.endOfStream = chunk.getEndOfStream();
        e.profile = chunk.getProfile();
        e.source = SourceInfo.from(chunk.getSource());
        return e;
    }

    @Override
    public TypeInformation<ChunkEnvelope> getProducedType() {
        return TypeInformation.of(ChunkEnvelope.class);
    }
}
