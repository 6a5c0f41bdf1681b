package io.hearken.ingest;

import io.hearken.featurizer.decode.AudioDecoders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands the paths a user gives into the audio files to ingest: files as given, folders to their audio files. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Files in a stable order; a folder contributes every file below it with an audio extension
     * ({@link AudioDecoders#EXTENSIONS}: WAV, FLAC, MP3, Ogg/Opus, AAC), sorted. Missing paths are kept, to fail on
     * decode with a clear message.
     */
    public static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile)
                            .filter(AudioDecoders::hasAudioExtension)
                            .sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list folder " + input + ": " + e.getMessage(), e);
                }
            } else {
                files.add(input);
            }
        }
        return files;
    }

    /** A stream id from a file name: its base name without extension, restricted to [A-Za-z0-9._-]. */
    public static String streamIdFor(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String id = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return id.isEmpty() ? "stream" : id;
    }
}
