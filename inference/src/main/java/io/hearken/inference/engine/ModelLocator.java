package io.hearken.inference.engine;

import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which model package directory to load. Order: {@code --model DIR} (for the commands) or the setting
 * {@code model.dir} (for the job, {@link #resolve(HearkenConfig)}), then the environment variable {@value #ENV_VAR},
 * then the checkout's default {@code <projectRoot>/../shared/models/efficientat-mn04}.
 * An explicitly named directory that does not exist is a CONFIG error (never silently fall through to the default:
 * the user asked for something specific). A directory that exists but is not a complete package is a MODEL error.
 * A package is a directory with a {@value ModelManifest#FILE_NAME} (see {@link ModelPackage}) or, without one,
 * with {@value #MODEL_FILE} and {@value #LABELS_FILE}.
 */
public final class ModelLocator {
    public static final String ENV_VAR = "HEARKEN_MODEL_DIR";
    public static final String DEFAULT_MODEL_NAME = "efficientat-mn04";
    public static final String MODEL_FILE = "model.onnx";
    public static final String LABELS_FILE = "labels.csv";
    public static final String HOME_PROPERTY = "hearken.home";

    private ModelLocator() {
    }

    /**
     * The model directory of a configuration: {@link EngineSettings#MODEL_DIR} (which {@value #ENV_VAR} sets through
     * the loader) when set, else the checkout's default under {@link #projectRoot()}. Errors as for
     * {@link #resolve(Optional, Map, Path)}, naming the setting and where its value came from.
     */
    public static Path resolve(HearkenConfig config) {
        return resolve(config, projectRoot());
    }

    static Path resolve(HearkenConfig config, Path projectRoot) {
        Optional<Path> named = config.find(EngineSettings.MODEL_DIR);
        if (named.isEmpty()) {
            return resolve(Optional.empty(), Map.of(), projectRoot);
        }
        Path dir = named.get().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            String key = EngineSettings.MODEL_DIR.key();
            throw new HearkenException(ErrorKind.CONFIG, key + "=" + named.get()
                    + config.origin(key).map(o -> " (" + o + ")").orElse("") + ": no such directory (" + dir + ")");
        }
        checkPackage(dir);
        return dir;
    }

    public static Path resolve(Optional<Path> cliModelDir, Map<String, String> env, Path projectRoot) {
        Path dir;
        if (cliModelDir.isPresent()) {
            dir = cliModelDir.get().toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new HearkenException(ErrorKind.CONFIG,
                        "--model " + cliModelDir.get() + ": no such directory (" + dir + ")");
            }
        } else if (env.get(ENV_VAR) != null && !env.get(ENV_VAR).isBlank()) {
            String value = env.get(ENV_VAR).trim();
            dir = Paths.get(value).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new HearkenException(ErrorKind.CONFIG,
                        ENV_VAR + "=" + value + ": no such directory (" + dir + ")");
            }
        } else {
            Path fallback = defaultLocation(projectRoot);
            if (!Files.isDirectory(fallback)) {
                throw new HearkenException(ErrorKind.CONFIG, "no model found. Put the model package (a directory with "
                        + MODEL_FILE + " and " + LABELS_FILE + ") at " + fallback
                        + ", or name its directory with --model DIR, the setting " + EngineSettings.MODEL_DIR.key()
                        + " or the environment variable " + ENV_VAR + ".");
            }
            dir = fallback;
        }
        checkPackage(dir);
        return dir;
    }

    /** The default location for a checkout rooted at {@code projectRoot}. */
    public static Path defaultLocation(Path projectRoot) {
        return projectRoot.toAbsolutePath().resolve("..").resolve("shared").resolve("models")
                .resolve(DEFAULT_MODEL_NAME).normalize();
    }

    /** Best effort: system property {@value #HOME_PROPERTY} if set, else the current working directory. */
    public static Path projectRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Paths.get(home).toAbsolutePath().normalize();
        }
        return Paths.get("").toAbsolutePath();
    }

    /**
     * Fails with a MODEL error naming the first missing file of a manifest-less package. A directory with a
     * {@value ModelManifest#FILE_NAME} passes: {@link ModelPackage} finds and checks the files it names.
     */
    static void checkPackage(Path dir) {
        if (Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
            return;
        }
        for (String name : new String[] {MODEL_FILE, LABELS_FILE}) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new HearkenException(ErrorKind.MODEL,
                        "model directory " + dir + " is incomplete: missing " + name + " (" + f + ")");
            }
        }
    }
}
