package io.hearken.job;

/** What the Kafka source yields per record: a good chunk, or the dead letter explaining why it is not one. */
public class ChunkEnvelope {
    public ChunkEvent chunk;
    public DeadLetterEvent deadLetter;

    public ChunkEnvelope() {
    }

    static ChunkEnvelope good(ChunkEvent chunk) {
        ChunkEnvelope e = new ChunkEnvelope();
        e.chunk = chunk;
        return e;
    }

    static ChunkEnvelope bad(DeadLetterEvent letter) {
        ChunkEnvelope e = new ChunkEnvelope();
        e.deadLetter = letter;
        return e;
    }
}
