package io.hearken.job;

import io.hearken.schemas.DeadLetter;
import java.nio.ByteBuffer;

/** A record the job rejected, and why (Flink POJO); becomes a {@link DeadLetter} on hearken.dlq. */
public class DeadLetterEvent {
    public String originalTopic;
    public int originalPartition;
    public long originalOffset;
    public byte[] originalKey;
    public byte[] originalValue;
    public String stage;
    public String errorClass;
    public String errorMessage;
    public long failedAtMicros;

    public DeadLetterEvent() {
    }

    public static DeadLetterEvent of(String topic, int partition, long offset, byte[] key, byte[] value, String stage,
                                     Throwable error) {
        DeadLetterEvent e = new DeadLetterEvent();
        e.originalTopic = topic;
        e.originalPartition = partition;
        e.originalOffset = offset;
        e.originalKey = key;
        e.originalValue = value;
        e.stage = stage;
        e.errorClass = error.getClass().getName();
        e.errorMessage = String.valueOf(error.getMessage());
        e.failedAtMicros = System.currentTimeMillis() * 1000;
        return e;
    }

    public DeadLetter toAvro() {
        return DeadLetter.newBuilder()
                .setOriginalTopic(originalTopic).setOriginalPartition(originalPartition).setOriginalOffset(originalOffset)
                .setOriginalKey(originalKey == null ? null : ByteBuffer.wrap(originalKey))
                .setOriginalValue(originalValue == null ? null : ByteBuffer.wrap(originalValue))
                .setStage(stage).setErrorClass(errorClass).setErrorMessage(errorMessage).setFailedAtMicros(failedAtMicros)
                .build();
    }
}
