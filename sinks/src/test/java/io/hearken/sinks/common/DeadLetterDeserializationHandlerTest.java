package io.hearken.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.DeadLetter;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {
    private static final String REGISTRY_URL = "mock://DeadLetterDeserializationHandlerTest";

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    @Test
    void resumesAndDeadLettersTheOriginalBytesWithTheReason() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of("schema.registry.url", REGISTRY_URL, "application.id", "hearken-sinks-tags"));
        byte[] key = "mic-7".getBytes(StandardCharsets.UTF_8);
        byte[] value = "garbage".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hearken.audio.windows", 2, 41L, key, value);

        DeserializationExceptionHandler.Response response = handler.handleError(null, record,
                new SerializationException("unknown magic byte 103"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> out = response.deadLetterQueueRecords().get(0);
        assertThat(out.topic()).isEqualTo("hearken.dlq");
        assertThat(out.key()).isEqualTo(key);
        DeadLetter letter = new HearkenTopics(RegistryClients.create(REGISTRY_URL)).deadLetters.valueSerde()
                .deserializer().deserialize(out.topic(), out.value());
        assertThat(letter.getOriginalTopic()).isEqualTo("hearken.audio.windows");
        assertThat(letter.getOriginalPartition()).isEqualTo(2);
        assertThat(letter.getOriginalOffset()).isEqualTo(41L);
        assertThat(letter.getOriginalValue().array()).isEqualTo(value);
        assertThat(letter.getStage()).isEqualTo("hearken-sinks-tags");
        assertThat(letter.getErrorMessage()).contains("unknown magic byte 103");
        assertThat(letter.getErrorClass()).isEqualTo(SerializationException.class.getName());
    }

    @Test
    void failsWithoutADeadLetterWhenTheRecordIsFineButCannotBeReadNow() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of("schema.registry.url", REGISTRY_URL, "application.id", "hearken-sinks-tags"));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("hearken.audio.windows", 0, 7L, null, new byte[] {0, 0, 0, 0, 9});
        List<Exception> notTheRecordsFault = List.of(
                new HearkenException(ErrorKind.TRANSIENT, "schema registry unavailable: cannot fetch writer schema id 9"),
                new SerializationException("error retrieving schema 9", new ConnectException("Connection refused")),
                new HearkenException(ErrorKind.CONFIG, "schema registry refused to give writer schema id 9"));

        for (Exception e : notTheRecordsFault) {
            DeserializationExceptionHandler.Response response = handler.handleError(null, record, e);

            assertThat(response.result()).as("%s", e).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).as("%s", e).isEmpty();
        }
    }
}
