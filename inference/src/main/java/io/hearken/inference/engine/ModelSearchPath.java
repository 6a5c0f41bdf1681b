package io.hearken.inference.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where model packages are looked for, in order. Each root holds one directory per model, named by its id
 * ({@code <root>/efficientat-mn04/}). The defaults, in order:
 * <ol>
 *   <li>the entries of {@code $HEARKEN_MODEL_PATH} ({@code :}-separated, blanks skipped);</li>
 *   <li>{@code ~/.hearken/models} (where {@code hearken models install} puts packages);</li>
 *   <li>{@code <project>/models}: the manifests the project ships (manifest-only directories);</li>
 *   <li>{@code <project>/../shared/models}: the fixture location (model files, no manifests).</li>
 * </ol>
 * A manifest-only directory takes its files from the first root whose directory of the same id holds them.
 *
 * @param roots directories searched, in order (absolute, normalised, without duplicates; they need not exist)
 */
public record ModelSearchPath(List<Path> roots) {
    public static final String ENV_VAR = "HEARKEN_MODEL_PATH";

    public ModelSearchPath {
        Set<Path> unique = new LinkedHashSet<>();
        for (Path r : roots) {
            unique.add(r.toAbsolutePath().normalize());
        }
        roots = List.copyOf(unique);
    }

    public static ModelSearchPath of(Path... roots) {
        return new ModelSearchPath(List.of(roots));
    }

    /** The default search path of this process (environment, home directory, {@link ModelLocator#projectRoot()}). */
    public static ModelSearchPath defaults() {
        return defaults(System.getenv(), Paths.get(System.getProperty("user.home", ".")), ModelLocator.projectRoot());
    }

    public static ModelSearchPath defaults(Map<String, String> env, Path userHome, Path projectRoot) {
        List<Path> roots = new ArrayList<>();
        String value = env.get(ENV_VAR);
        if (value != null) {
            for (String entry : value.split(":")) {
                if (!entry.isBlank()) {
                    roots.add(Paths.get(entry.trim()));
                }
            }
        }
        roots.add(userDir(userHome));
        roots.add(bundledDir(projectRoot));
        roots.add(fixtureDir(projectRoot));
        return new ModelSearchPath(roots);
    }

    /** {@code ~/.hearken/models}. */
    public static Path userDir(Path userHome) {
        return userHome.resolve(".hearken").resolve("models");
    }

    /** The project's shipped manifests, {@code <project>/models}. */
    public static Path bundledDir(Path projectRoot) {
        return projectRoot.toAbsolutePath().resolve("models").normalize();
    }

    /** The fixture location, {@code <project>/../shared/models}. */
    public static Path fixtureDir(Path projectRoot) {
        return projectRoot.toAbsolutePath().resolve("..").resolve("shared").resolve("models").normalize();
    }

    /** {@code <root>/<id>} for every root, in order (whether or not they exist). */
    public List<Path> candidates(String id) {
        return roots.stream().map(r -> r.resolve(id)).toList();
    }

    /** The first {@code <root>/<id>} holding the regular file {@code fileName}. */
    public Optional<Path> findFile(String id, String fileName) {
        return candidates(id).stream().filter(d -> Files.isRegularFile(d.resolve(fileName))).findFirst();
    }

    /** The first {@code <root>/<id>} holding a manifest. */
    public Optional<Path> findManifestDir(String id) {
        return findFile(id, ModelManifest.FILE_NAME);
    }

    @Override
    public String toString() {
        return roots.toString();
    }
}
