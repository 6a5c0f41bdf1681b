package io.hearken.job;

import io.hearken.schemas.errors.ErrorClassifier;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * How the job fails on an error it must not dead-letter. A retriable one (registry or broker outage) fails the task
 * as it is: the restart strategy ({@link HearkenStreamingJob#flinkConfiguration}) restarts the job from its last
 * checkpoint and the record is read again, for as long as the outage lasts. Any other kind would fail the same way
 * after every restart, so it stops the job with its reason instead of restarting it forever.
 */
final class JobFailures {
    private JobFailures() {
    }

    static RuntimeException escalate(RuntimeException e) {
        return ErrorClassifier.isRetriable(e) ? e : new SuppressRestartsException(e);
    }
}
