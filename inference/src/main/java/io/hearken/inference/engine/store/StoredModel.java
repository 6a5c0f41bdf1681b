package io.hearken.inference.engine.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One model as {@link ModelStore#list()} sees it, without hashing or opening the model (that is
 * {@link ModelStore#verify}).
 *
 * @param id          the manifest's id (the directory name for a directory without a manifest)
 * @param version     the manifest's version ("-" when it has none)
 * @param dir         the package directory (where the manifest is)
 * @param filesDir    where its files were found, empty when they were not
 * @param hasManifest false for a directory laid out before manifests (model.onnx + labels.csv)
 * @param problem     why it cannot be used as found (unreadable manifest, files not found), empty when none
 */
public record StoredModel(String id, String version, Path dir, Optional<Path> filesDir, boolean hasManifest,
                          Optional<String> problem) {
}
