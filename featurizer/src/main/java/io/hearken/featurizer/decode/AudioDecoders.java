package io.hearken.featurizer.decode;

import io.hearken.error.HearkenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Decodes an audio file of any format: RIFF/WAVE (recognised by its magic bytes, not its name) with the built-in
 * {@link WavDecoder}, which needs nothing installed; everything else (FLAC, MP3, Ogg/Opus, AAC, RF64, ...) with
 * {@link FfmpegDecoder}, which needs ffmpeg installed. Errors are {@link HearkenException}s whose message starts
 * with the file's name; without ffmpeg a non-WAV file is a CONFIG error saying to install it.
 */
public final class AudioDecoders {
    /**
     * File name extensions (lower case, no dot) of the formats Hearken reads, for picking audio files out of a
     * folder: WAV natively, the others through ffmpeg.
     */
    public static final List<String> EXTENSIONS = List.of("wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac");

    private static final FfmpegDecoder DEFAULT_FFMPEG = new FfmpegDecoder();

    private AudioDecoders() {}

    /** Decodes a file at its own rate and channel count, using ffmpeg from the PATH for non-WAV files. */
    public static DecodedAudio decode(Path file) {
        return decode(file, DEFAULT_FFMPEG);
    }

    /** Decodes a file, using the given ffmpeg decoder for non-WAV files. */
    public static DecodedAudio decode(Path file, FfmpegDecoder ffmpeg) {
        if (file == null) {
            throw HearkenException.badInput("AudioDecoders: file must not be null");
        }
        if (ffmpeg == null) {
            throw HearkenException.config("AudioDecoders: ffmpeg decoder must not be null");
        }
        if (isWav(file)) {
            return WavDecoder.decode(file);
        }
        return ffmpeg.decode(file);
    }

    /** Whether the file's name ends with one of {@link #EXTENSIONS} (any case). */
    public static boolean hasAudioExtension(Path file) {
        Path fn = file.getFileName();
        String name = fn == null ? "" : fn.toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** Whether the file starts with a RIFF/WAVE header ("RIFF" at byte 0, "WAVE" at byte 8). */
    public static boolean isWav(Path file) {
        Path fn = file.getFileName();
        String name = fn == null ? file.toString() : fn.toString();
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(12);
        } catch (NoSuchFileException e) {
            throw HearkenException.badInput(name + ": no such file", e);
        } catch (IOException e) {
            throw HearkenException.badInput(name + ": cannot read file (" + e + ")", e);
        }
        return isWav(head);
    }

    static boolean isWav(byte[] head) {
        return head.length >= 12
                && new String(head, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
                && new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE");
    }
}
