package io.hearken.featurizer.decode;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Decodes audio files the {@code ffmpeg} command-line tool reads (FLAC, MP3, Ogg/Opus, Ogg/Vorbis, AAC/M4A, ...) by
 * running it as a child process that writes 32-bit float little-endian PCM to its standard output:
 *
 * <pre>ffmpeg -nostdin -hide_banner -loglevel error -i file:PATH -map 0:a:0 -f f32le -acodec pcm_f32le -ar R -ac C -</pre>
 *
 * <p>The sample rate and channel count are the file's own unless asked for: the first audio stream's values are
 * learned with {@code ffprobe} first (and then passed to ffmpeg explicitly, so the PCM is known to have exactly
 * that shape); when both a rate and a channel count are given, ffprobe is not run. Same rate and channel count as
 * the source means no resampling or remixing: integer sources come out as {@code value / 2^(bits-1)}, bit-identical
 * to {@link WavDecoder} on the same PCM (a FLAC of a WAV decodes to the WAV's exact samples).
 *
 * <p>Errors are {@link HearkenException}s whose message starts with the file's name, as in {@link WavDecoder}:
 * <ul>
 *   <li>ffmpeg/ffprobe not installed (or the configured binary missing): CONFIG, saying to install ffmpeg;</li>
 *   <li>non-zero exit (corrupt or unsupported data, no audio stream), a missing file, or non-finite samples:
 *       BAD_INPUT quoting ffmpeg's first error line;</li>
 *   <li>the timeout (default {@link #DEFAULT_TIMEOUT}, per child process) passing: the process and its
 *       descendants are killed; BAD_INPUT.</li>
 * </ul>
 * Standard error is drained on its own thread (into a bounded buffer), so a chatty ffmpeg cannot deadlock the
 * pipe. Instances are immutable and thread-safe; each call runs its own process.
 */
public final class FfmpegDecoder {
    /** Per-process time limit of the no-argument constructor: long enough for hours of audio from a local file. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    static final String INSTALL_HINT = "install ffmpeg (apt-get install ffmpeg)";

    /** Largest float array the decoder builds (a little under the JVM's array limit). */
    static final int MAX_SAMPLES = Integer.MAX_VALUE - 64;

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Duration timeout;

    /** {@code ffmpeg} and {@code ffprobe} from the PATH, {@link #DEFAULT_TIMEOUT}. */
    public FfmpegDecoder() {
        this(Path.of("ffmpeg"), Path.of("ffprobe"), DEFAULT_TIMEOUT);
    }

    /**
     * @param ffmpegBinary  the ffmpeg executable: a bare name ({@code ffmpeg}) is looked up on the PATH
     * @param ffprobeBinary the ffprobe executable, likewise
     * @param timeout       wall-clock limit for each child process, &gt; 0
     */
    public FfmpegDecoder(Path ffmpegBinary, Path ffprobeBinary, Duration timeout) {
        if (ffmpegBinary == null || ffprobeBinary == null) {
            throw HearkenException.config("FfmpegDecoder: ffmpeg and ffprobe binaries must not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw HearkenException.config("FfmpegDecoder: timeout must be > 0, got " + timeout);
        }
        this.ffmpeg = ffmpegBinary;
        this.ffprobe = ffprobeBinary;
        this.timeout = timeout;
    }

    /** Whether {@code ffmpeg} and {@code ffprobe} can be started from the PATH (runs both with {@code -version}). */
    public static boolean isAvailable() {
        return new FfmpegDecoder().canRun();
    }

    /** Whether this decoder's ffmpeg and ffprobe binaries can be started (runs both with {@code -version}). */
    public boolean canRun() {
        for (Path bin : List.of(ffmpeg, ffprobe)) {
            try {
                Process p = new ProcessBuilder(bin.toString(), "-version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    kill(p);
                    return false;
                }
                if (p.exitValue() != 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Decodes a file at its own rate and channel count; errors name the file. */
    public DecodedAudio decode(Path file) {
        return decode(file, OptionalInt.empty(), OptionalInt.empty());
    }

    /** Decodes a file, converted to {@code targetRate} / {@code targetChannels} where given. */
    public DecodedAudio decode(Path file, OptionalInt targetRate, OptionalInt targetChannels) {
        if (file == null) {
            throw HearkenException.badInput("FfmpegDecoder: file must not be null");
        }
        Source in = Source.of(file);
        checkTargets(in, targetRate, targetChannels);
        in.checkExists();
        int rate;
        int channels;
        if (targetRate.isPresent() && targetChannels.isPresent()) {
            rate = targetRate.getAsInt();
            channels = targetChannels.getAsInt();
        } else {
            int[] probed = probe(in);
            rate = targetRate.orElse(probed[0]);
            channels = targetChannels.orElse(probed[1]);
        }
        return run(in, rate, channels);
    }

    // ---- the child processes ----

    private DecodedAudio run(Source in, int rate, int channels) {
        Process p = start(ffmpegCommand(in, rate, channels), ffmpeg, in);
        StderrDrain err = StderrDrain.start(p, in.name());
        Watchdog dog = Watchdog.start(p, timeout, in.name());
        FloatSink out = new FloatSink(in.name(), channels);
        try {
            readF32(p.getInputStream(), out);
            int exit = waitFor(p, in);
            dog.cancel();
            err.join();
            if (dog.fired()) {
                throw timedOut(in, "ffmpeg");
            }
            if (exit != 0) {
                throw failed(in, "ffmpeg", exit, err);
            }
            out.finish();
            return new DecodedAudio(rate, channels, out.toArray());
        } catch (IOException e) {
            if (dog.fired()) {
                throw timedOut(in, "ffmpeg");
            }
            throw HearkenException.badInput(in.name() + ": reading ffmpeg's output failed (" + e + ")", e);
        } catch (HearkenException e) {
            if (dog.fired() && e.kind() != ErrorKind.CONFIG) {
                throw timedOut(in, "ffmpeg");
            }
            throw e;
        } finally {
            dog.cancel();
            kill(p);
        }
    }

    /** The first audio stream's {sampleRate, channels}, from ffprobe. */
    private int[] probe(Source in) {
        List<String> cmd = List.of(ffprobe.toString(), "-v", "error", "-select_streams", "a:0",
                "-show_entries", "stream=sample_rate,channels", "-of", "default=noprint_wrappers=1", in.arg());
        Process p = start(cmd, ffprobe, in);
        StderrDrain err = StderrDrain.start(p, in.name());
        Watchdog dog = Watchdog.start(p, timeout, in.name());
        try {
            byte[] stdout = readBounded(p.getInputStream(), 1 << 16);
            int exit = waitFor(p, in);
            dog.cancel();
            err.join();
            if (dog.fired()) {
                throw timedOut(in, "ffprobe");
            }
            if (exit != 0) {
                throw failed(in, "ffprobe", exit, err);
            }
            int rate = -1;
            int channels = -1;
            for (String line : new String(stdout, StandardCharsets.UTF_8).split("\\R")) {
                String l = line.trim();
                if (l.startsWith("sample_rate=") && rate < 0) {
                    rate = parsePositive(l.substring("sample_rate=".length()));
                } else if (l.startsWith("channels=") && channels < 0) {
                    channels = parsePositive(l.substring("channels=".length()));
                }
            }
            if (rate <= 0 && channels <= 0) {
                throw HearkenException.badInput(in.name() + ": no audio stream found (ffprobe)");
            }
            if (rate <= 0 || channels <= 0) {
                throw HearkenException.badInput(in.name() + ": ffprobe reports an audio stream without a usable "
                        + "sample rate or channel count (sample_rate " + rate + ", channels " + channels
                        + "); ask for a target rate and channel count");
            }
            return new int[] {rate, channels};
        } catch (IOException e) {
            if (dog.fired()) {
                throw timedOut(in, "ffprobe");
            }
            throw HearkenException.badInput(in.name() + ": reading ffprobe's output failed (" + e + ")", e);
        } finally {
            dog.cancel();
            kill(p);
        }
    }

    private List<String> ffmpegCommand(Source in, int rate, int channels) {
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error",
                "-i", in.arg(), "-map", "0:a:0", "-vn", "-f", "f32le", "-acodec", "pcm_f32le",
                "-ar", Integer.toString(rate), "-ac", Integer.toString(channels), "-");
    }

    private static void checkTargets(Source in, OptionalInt rate, OptionalInt channels) {
        Objects.requireNonNull(rate, "targetRate");
        Objects.requireNonNull(channels, "targetChannels");
        if (rate.isPresent() && (rate.getAsInt() < WavDecoder.MIN_RATE || rate.getAsInt() > WavDecoder.MAX_RATE)) {
            throw HearkenException.config(in.name() + ": target sample rate must be in " + WavDecoder.MIN_RATE + ".."
                    + WavDecoder.MAX_RATE + " Hz, got " + rate.getAsInt());
        }
        if (channels.isPresent() && (channels.getAsInt() < 1 || channels.getAsInt() > WavDecoder.MAX_CHANNELS)) {
            throw HearkenException.config(in.name() + ": target channel count must be in 1.." + WavDecoder.MAX_CHANNELS
                    + ", got " + channels.getAsInt());
        }
    }

    private static int parsePositive(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1; // "N/A"
        }
    }

    // ---- process plumbing ----

    /** Starts a child process; a binary that cannot be started is a CONFIG error saying how to install it. */
    private static Process start(List<String> cmd, Path binary, Source in) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            Process p = pb.start();
            p.getOutputStream().close(); // -nostdin as well: nothing will ever be written to it
            return p;
        } catch (IOException e) {
            String tool = binary.getFileName() == null ? binary.toString() : binary.getFileName().toString();
            String where = binary.getNameCount() == 1 && !binary.isAbsolute() ? "on PATH" : "at " + binary;
            if (!Files.exists(binary) || binary.getNameCount() == 1) {
                throw new HearkenException(ErrorKind.CONFIG, in.name() + ": decoding it needs ffmpeg, which is not "
                        + "installed (" + tool + " not found " + where + "): " + INSTALL_HINT, e);
            }
            throw new HearkenException(ErrorKind.CONFIG, in.name() + ": decoding it needs ffmpeg, but " + binary
                    + " cannot be started (" + e.getMessage() + "): " + INSTALL_HINT, e);
        }
    }

    /** Kills a process and its descendants (a wrapper script's children would otherwise keep our pipes open). */
    static void kill(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static int waitFor(Process p, Source in) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            throw new HearkenException(ErrorKind.TRANSIENT, in.name() + ": interrupted while decoding with ffmpeg", e);
        }
    }

    private HearkenException timedOut(Source in, String tool) {
        return HearkenException.badInput(in.name() + ": " + tool + " did not finish within " + timeout + "; killed it");
    }

    private static HearkenException failed(Source in, String tool, int exit, StderrDrain err) {
        String line = err.errorLine();
        return HearkenException.badInput(in.name() + ": " + tool + " failed (exit " + exit + ")"
                + (line.isEmpty() ? "" : ": " + line));
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] all = in.readNBytes(max);
        in.transferTo(OutputStreamSink.INSTANCE); // discard anything beyond (keeps the child from blocking)
        return all;
    }

    /** Reads f32le from a stream into a sink until EOF. */
    static void readF32(InputStream in, FloatSink sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        int have = 0;
        while (true) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) {
                break;
            }
            have += n;
            int whole = have & ~3;
            if (whole > 0) {
                sink.accept(buf, whole);
                System.arraycopy(buf, whole, buf, 0, have - whole);
                have -= whole;
            }
        }
        if (have != 0) {
            sink.trailingBytes(have);
        }
    }

    /** Growable float buffer fed with little-endian float bytes; rejects non-finite samples and absurd lengths. */
    static final class FloatSink {
        private final String name;
        private final int channels;
        private float[] data = new float[1 << 16];
        private int size;
        private long offsetBytes;
        private int trailing;

        FloatSink(String name, int channels) {
            this.name = name;
            this.channels = channels;
        }

        void accept(byte[] b, int len) {
            int n = len / 4;
            if (size + (long) n > MAX_SAMPLES) {
                throw HearkenException.badInput(name + ": decoded audio too long for one array (more than "
                        + MAX_SAMPLES + " samples); decode it as a stream");
            }
            if (size + n > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(MAX_SAMPLES, Math.max(size + (long) n, data.length * 2L)));
            }
            ByteBuffer bb = ByteBuffer.wrap(b, 0, len).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                float v = bb.getFloat(i * 4);
                if (!Float.isFinite(v)) {
                    throw HearkenException.badInput(name + ": non-finite sample (" + v + ") at output byte "
                            + (offsetBytes + i * 4L));
                }
                data[size + i] = v;
            }
            size += n;
            offsetBytes += len;
        }

        void trailingBytes(int n) {
            trailing = n;
        }

        void finish() {
            if (trailing != 0) {
                throw HearkenException.badInput(name + ": ffmpeg's output ends with a partial sample (" + trailing
                        + " stray bytes)");
            }
            if (size % channels != 0) {
                // Cannot happen with a well-behaved ffmpeg; drop the partial frame rather than misalign channels.
                size -= size % channels;
            }
        }

        float[] toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /**
     * Drains a process's standard error on a daemon thread, keeping its first non-blank line, its last non-blank
     * line and how many there were (each line cut to 300 characters), so memory stays bounded however much
     * ffmpeg writes.
     */
    static final class StderrDrain {
        private static final int MAX_LINE = 300;
        private final Thread thread;
        private final StringBuilder line = new StringBuilder();
        private boolean lineCut;
        private String first = "";
        private String last = "";
        private int count;

        private StderrDrain(Process p, String name) {
            Reader err = new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8);
            thread = new Thread(() -> {
                char[] buf = new char[8192];
                try {
                    int n;
                    while ((n = err.read(buf)) >= 0) {
                        synchronized (this) {
                            for (int i = 0; i < n; i++) {
                                char c = buf[i];
                                if (c == '\n' || c == '\r') {
                                    endLine();
                                } else if (line.length() < MAX_LINE) {
                                    line.append(c);
                                } else {
                                    lineCut = true;
                                }
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // The process was killed or the stream closed: nothing more to drain.
                }
                synchronized (this) {
                    endLine();
                }
            }, "ffmpeg-stderr " + name);
            thread.setDaemon(true);
        }

        private void endLine() {
            String l = line.toString().strip();
            if (!l.isEmpty()) {
                if (lineCut) {
                    l += "...";
                }
                if (count++ == 0) {
                    first = l;
                }
                last = l;
            }
            line.setLength(0);
            lineCut = false;
        }

        static StderrDrain start(Process p, String name) {
            StderrDrain d = new StderrDrain(p, name);
            d.thread.start();
            return d;
        }

        void join() {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * ffmpeg's error for a message: the first non-blank line (usually the specific cause) and, if there were
         * more, the last one (usually the summary), joined by " / " (two lines) or " ... " (more); "" if none.
         */
        synchronized String errorLine() {
            if (count <= 1) {
                return first;
            }
            return first + (count > 2 ? " ... " : " / ") + last;
        }
    }

    /** Kills a process once a deadline passes; one daemon thread per process. */
    static final class Watchdog {
        private final Thread thread;
        private volatile boolean fired;
        private volatile boolean cancelled;

        private Watchdog(Process p, Duration limit, String name) {
            thread = new Thread(() -> {
                try {
                    if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS) && !cancelled) {
                        fired = true;
                        kill(p);
                    }
                } catch (InterruptedException e) {
                    // cancelled
                }
            }, "ffmpeg-watchdog " + name);
            thread.setDaemon(true);
        }

        static Watchdog start(Process p, Duration limit, String name) {
            Watchdog w = new Watchdog(p, limit, name);
            w.thread.start();
            return w;
        }

        boolean fired() {
            return fired;
        }

        void cancel() {
            cancelled = true;
            thread.interrupt();
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    /** A file to decode: what ffmpeg gets ({@code arg}) and what errors call it ({@code name}). */
    record Source(Path file, String arg, String name) {
        static Source of(Path file) {
            Path fn = file.getFileName();
            // "file:" keeps ffmpeg from reading a name like "a:b.mp3" as a protocol or "-x.mp3" as an option.
            return new Source(file, "file:" + file.toAbsolutePath(), fn == null ? file.toString() : fn.toString());
        }

        void checkExists() {
            if (!Files.isRegularFile(file)) {
                throw HearkenException.badInput(name + (Files.exists(file) ? ": not a regular file" : ": no such file"));
            }
        }
    }
}
