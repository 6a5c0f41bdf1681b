package io.hearken.sinks.common;

import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.errors.ErrorClassifier;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the sinks cannot read goes to the dead-letter topic with the reason, and processing resumes: one poison
 * message must never stop the event streams of every other source. Only bad input is dead-lettered (the
 * {@link ErrorClassifier} decides): a record that cannot be read because the schema registry is unavailable is
 * valid, so the handler fails instead and the record is read again once the registry is back.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private HearkenTopics topics;
    private String stage = "sinks";

    @Override
    public void configure(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL_CONFIG);
        topics = new HearkenTopics(RegistryClients.create(url == null ? null : url.toString()));
        Object appId = configs.get("application.id");
        if (appId != null) {
            stage = appId.toString();
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!ErrorClassifier.isDeadLetter(exception)) {
            // Not the record's fault (e.g. the registry is down): fail the thread; RetryTransientFailures replaces
            // it and the record is read again from the last commit.
            LOG.warn("cannot read {}-{}@{} now, not dead-lettering it ({}): {}", record.topic(), record.partition(),
                    record.offset(), ErrorClassifier.classify(exception), exception.toString());
            return Response.fail();
        }
        LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), exception.toString());
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(record.topic())
                .setOriginalPartition(record.partition())
                .setOriginalOffset(record.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setStage(stage)
                .setErrorClass(exception.getClass().getName())
                .setErrorMessage(String.valueOf(exception.getMessage()))
                .setFailedAtMicros(System.currentTimeMillis() * 1000)
                .build();
        byte[] value = topics.deadLetters.valueSerde().serializer().serialize(topics.deadLetters.name(), letter);
        // A record without a timestamp (-1) must not make the dead letter itself unsendable.
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        return Response.resume(List.of(new ProducerRecord<>(topics.deadLetters.name(), null, timestamp, record.key(), value)));
    }
}
