package io.hearken.sinks.alerts;

import io.hearken.schemas.DeadLetter;
import java.util.concurrent.CompletableFuture;

/** Where undeliverable events go (hearken.dlq). The future completes once the dead letter is durably written. */
@FunctionalInterface
public interface DeadLetterSink {
    CompletableFuture<Void> publish(EventOrigin origin, DeadLetter letter);
}
