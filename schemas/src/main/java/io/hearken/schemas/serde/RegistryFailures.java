package io.hearken.schemas.serde;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.IOException;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What a failed Schema Registry call means. Only the registry answering that a record's schema id does not exist
 * is about the record (bad input, dead-lettered). The registry being unreachable, timing out or failing (5xx, 408,
 * 429) says nothing about the record and passes (transient: retried, never dead-lettered). Any other refusal
 * (authorisation, an incompatible or unregistered schema of our own) is a deployment problem (configuration).
 */
public final class RegistryFailures {
    /** Confluent error code of "no schema with this id". */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private RegistryFailures() {
    }

    /** True if the registry could not answer at all, or failed in a way that may pass. */
    public static boolean isUnavailable(Exception e) {
        if (e instanceof RestClientException rest) {
            return isRetriableStatus(rest.getStatus());
        }
        return e instanceof IOException; // connection refused or reset, timeouts, a proxy's non-JSON page
    }

    public static boolean isRetriableStatus(int httpStatus) {
        return httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    }

    /**
     * The registry itself says it has no such schema: HTTP 404 with one of its own "not found" error codes (404xx:
     * 40403 from the Confluent registry; its mock client answers 40401). A 404 without one (a page of some other
     * server at schema.registry.url) is not an answer about the record.
     */
    static boolean isNotFound(RestClientException e) {
        return e.getStatus() == 404 && e.getErrorCode() / 100 == 404;
    }

    /** The writer schema of a record read from {@code topic} could not be fetched by its id. */
    static RuntimeException writerSchemaUnavailable(String topic, int id, Exception e) {
        if (isUnavailable(e)) {
            return new HearkenException(ErrorKind.TRANSIENT, "schema registry unavailable: cannot fetch writer schema id "
                    + id + " of a record on " + topic + " (" + e + "); the record is retried once the registry is back", e);
        }
        if (e instanceof RestClientException rest && isNotFound(rest)) {
            return new SerializationException("topic " + topic + ": unknown schema id " + id
                    + " (the schema registry has no schema with this id: " + e.getMessage() + ")", e);
        }
        return new HearkenException(ErrorKind.CONFIG, "schema registry refused to give writer schema id " + id
                + " for topic " + topic + ": " + e + " (check schema.registry.url and its credentials)", e);
    }

    /** Registering ({@code register}) or looking up our own schema under {@code subject} failed. */
    static RuntimeException subjectUnavailable(String subject, String typeName, boolean register, Exception e) {
        String action = register ? "register" : "look up";
        if (isUnavailable(e)) {
            return new HearkenException(ErrorKind.TRANSIENT, "schema registry unavailable: cannot " + action + " the "
                    + typeName + " schema under subject " + subject + " (" + e + "); retried once it is back", e);
        }
        return new HearkenException(ErrorKind.CONFIG, "schema registry refused to " + action + " the " + typeName
                + " schema under subject " + subject + ": " + e, e);
    }
}
