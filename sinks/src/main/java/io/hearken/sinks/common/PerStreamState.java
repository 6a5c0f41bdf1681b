package io.hearken.sinks.common;

import io.hearken.schemas.WindowResult;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.KeyValueStore;

/** The per-stream state of a processor of windows, keyed by stream id in a state store. */
public final class PerStreamState {
    private PerStreamState() {
    }

    /**
     * Loads the window's stream state (or a fresh one), lets {@code step} update it, then stores it, or deletes it
     * when the window ends its stream: a finished stream leaves no state behind.
     */
    public static <S> void update(KeyValueStore<String, S> store, WindowResult window, Supplier<S> fresh,
                                  Consumer<S> step) {
        String streamId = window.getStreamId();
        S state = store.get(streamId);
        if (state == null) {
            state = fresh.get();
        }
        step.accept(state);
        if (window.getEndOfStream()) {
            store.delete(streamId);
        } else {
            store.put(streamId, state);
        }
    }
}
