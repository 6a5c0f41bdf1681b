package io.hearken.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class RetryTransientFailuresTest {
    private final AtomicLong now = new AtomicLong(1_000_000L);

    private RetryTransientFailures.Backoff backoff(Duration initial, Duration max) {
        return new RetryTransientFailures.Backoff(initial, max, Duration.ofMinutes(1), now::get);
    }

    @Test
    void aRetriableFailureReplacesTheThreadAnyOtherShutsTheSinkDown() {
        RetryTransientFailures handler = new RetryTransientFailures("hearken-sinks-tags", backoff(Duration.ZERO, Duration.ZERO));
        // What Kafka Streams hands over when the deserialization handler answered FAIL.
        StreamsException registryDown = new StreamsException("Deserialization exception handler is set to fail",
                new HearkenException(ErrorKind.TRANSIENT, "schema registry unavailable"));

        assertThat(handler.handle(registryDown)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(new StreamsException("x", new HearkenException(ErrorKind.CONFIG, "refused"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.handle(new SerializationException("cannot serialize"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.handle(new IllegalStateException("bug"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void theBackoffDoublesOverConsecutiveFailuresUpToItsCapAndStartsOverAfterAQuietMinute() {
        RetryTransientFailures.Backoff backoff = backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
        now.addAndGet(600);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        now.addAndGet(1100);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        now.addAndGet(2100);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(3));
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }
}
