package io.hearken.sinks.alerts;

/**
 * How one event's delivery to one endpoint ended. Both outcomes are final: the event may be acknowledged.
 *
 * @param endpoint  the endpoint's name
 * @param eventId   the event (and idempotency key)
 * @param origin    where it was read
 * @param status    DELIVERED (2xx) or DEAD_LETTERED (written to hearken.dlq)
 * @param attempts  HTTP attempts made
 * @param detail    the final status line or error, never secrets
 */
public record DeliveryOutcome(String endpoint, String eventId, EventOrigin origin, Status status, int attempts,
                              String detail) {
    public enum Status { DELIVERED, DEAD_LETTERED }

    /** Told once per accepted delivery, from an I/O or timer thread: must be quick and must not block. */
    @FunctionalInterface
    public interface Listener {
        void onComplete(DeliveryOutcome outcome);
    }
}
