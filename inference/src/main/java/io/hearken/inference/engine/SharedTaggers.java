package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link AudioTagger} per model directory per JVM, shared by every operator instance (Flink runs many subtasks
 * in one task manager; one session each would multiply the model memory and oversubscribe the cores). Reference
 * counted: each {@link #acquire} must be paired with one {@link #release}; the last release closes the session.
 * Thread-safe (all state under one lock; loading is rare, so a load blocking other acquirers is acceptable).
 */
public final class SharedTaggers {
    private static final Map<Path, Entry> TAGGERS = new HashMap<>();

    private SharedTaggers() {
    }

    private static final class Entry {
        final AudioTagger tagger;
        int refs;

        Entry(AudioTagger tagger) {
            this.tagger = tagger;
        }
    }

    /**
     * Returns the shared tagger for {@code modelDir}, loading it on first use with {@code threads} intra-op threads.
     * Later acquirers get the existing session whatever {@code threads} they pass.
     */
    public static AudioTagger acquire(Path modelDir, int threads) {
        Path key = key(modelDir);
        synchronized (TAGGERS) {
            Entry e = TAGGERS.get(key);
            if (e == null) {
                e = new Entry(AudioTagger.load(key, threads)); // a failed load registers nothing
                TAGGERS.put(key, e);
            }
            e.refs++;
            return e.tagger;
        }
    }

    /** Drops one reference; closes the session when it was the last. */
    public static void release(Path modelDir) {
        Path key = key(modelDir);
        synchronized (TAGGERS) {
            Entry e = TAGGERS.get(key);
            if (e == null) {
                throw new HearkenException(ErrorKind.INTERNAL, "release of " + key + " without a matching acquire");
            }
            if (--e.refs == 0) {
                TAGGERS.remove(key);
                e.tagger.close();
            }
        }
    }

    /** Current reference count (0 when not loaded); for tests and diagnostics. */
    public static int references(Path modelDir) {
        synchronized (TAGGERS) {
            Entry e = TAGGERS.get(key(modelDir));
            return e == null ? 0 : e.refs;
        }
    }

    /** The same directory named through a symlink or a relative path must map to the same session. */
    private static Path key(Path modelDir) {
        Path abs = modelDir.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs; // missing directory: load() reports it properly
        }
    }
}
