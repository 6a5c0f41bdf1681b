package io.hearken.sinks.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Scans of per-stream state stores, collected first because a store must not be modified while iterated. */
public final class StoreScans {
    private StoreScans() {
    }

    public static <V> List<KeyValue<String, V>> matching(KeyValueStore<String, V> store, BiPredicate<String, V> test) {
        List<KeyValue<String, V>> found = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (test.test(entry.key, entry.value)) {
                    found.add(entry);
                }
            }
        }
        return found;
    }
}
