package io.hearken.schemas.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
    @Test
    void ourOwnKindDecidesWhereverItSitsInTheChain() {
        for (ErrorKind kind : ErrorKind.values()) {
            HearkenException ours = new HearkenException(kind, "x");
            assertThat(ErrorClassifier.classify(ours)).isEqualTo(kind);
            // e.g. Kafka Streams' StreamsException around what a deserializer threw
            assertThat(ErrorClassifier.classify(new KafkaException("wrapped", ours))).isEqualTo(kind);
            assertThat(ErrorClassifier.classify(new SerializationException("wrapped", ours))).isEqualTo(kind);
        }
    }

    @Test
    void unreadableBytesAreBadInputButARefusedConnectionUnderneathIsTransient() {
        assertThat(ErrorClassifier.classify(new SerializationException("unknown magic byte 7"))).isEqualTo(ErrorKind.BAD_INPUT);
        // Avro reading past the end of truncated data: an IOException, but about the bytes, not the network.
        assertThat(ErrorClassifier.classify(new SerializationException("cannot decode", new EOFException())))
                .isEqualTo(ErrorKind.BAD_INPUT);
        assertThat(ErrorClassifier.classify(new SerializationException("registry", new ConnectException("Connection refused"))))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(ErrorClassifier.classify(new SerializationException("registry", new SocketTimeoutException("Read timed out"))))
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void registryServerErrorsPassButItsOtherAnswersDoNot() {
        assertThat(ErrorClassifier.classify(new SerializationException("x", new RestClientException("down", 503, 50005))))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(ErrorClassifier.classify(new RestClientException("busy", 429, 429))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(ErrorClassifier.classify(new SerializationException("x", new RestClientException("not found", 404, 40403))))
                .isEqualTo(ErrorKind.BAD_INPUT);
        assertThat(ErrorClassifier.classify(new RestClientException("unauthorised", 401, 40101))).isEqualTo(ErrorKind.INTERNAL);
    }

    @Test
    void kafkaRetriableErrorsAndPlainIoFailuresAreTransientOtherFailuresInternal() {
        assertThat(ErrorClassifier.classify(new TimeoutException("broker"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(ErrorClassifier.classify(new IOException("disk"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(ErrorClassifier.classify(new IllegalStateException("bug"))).isEqualTo(ErrorKind.INTERNAL);
        assertThat(ErrorClassifier.classify(new KafkaException("fenced"))).isEqualTo(ErrorKind.INTERNAL);
    }

    @Test
    void onlyBadInputIsDeadLettered() {
        for (ErrorKind kind : ErrorKind.values()) {
            HearkenException e = new HearkenException(kind, "x");
            assertThat(ErrorClassifier.isDeadLetter(e)).as("%s", kind).isEqualTo(kind == ErrorKind.BAD_INPUT);
            assertThat(ErrorClassifier.isRetriable(e)).as("%s", kind).isEqualTo(kind == ErrorKind.TRANSIENT);
        }
    }

    @Test
    void aCyclicCauseChainEnds() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);
        assertThat(ErrorClassifier.classify(a)).isEqualTo(ErrorKind.INTERNAL);
    }
}
