package io.hearken.inference.engine.store;

import java.nio.file.Path;

/**
 * The outcome of {@link ModelStore#install}: a verified package now at {@code dir}.
 *
 * @param replaced whether a package of the same id was there before (and was replaced atomically)
 */
public record Installed(String id, String version, String sha256, Path dir, boolean replaced) {
}
