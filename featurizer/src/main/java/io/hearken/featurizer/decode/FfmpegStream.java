package io.hearken.featurizer.decode;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running ffmpeg that decodes a (typically live) source and hands its audio to a consumer in fixed-size chunks as
 * it arrives; made by {@link FfmpegDecoder#openStream}. Each chunk is a fresh array of
 * {@code chunkFrames * channels} interleaved floats at the requested rate (the last one, at the end of a finite
 * source, may be shorter), delivered on the stream's reader thread in order.
 *
 * <p>The stream ends when the source ends, when ffmpeg fails (non-zero exit: BAD_INPUT quoting its first error
 * line; the source name is a URL with any password hidden), when no audio arrives for the idle timeout
 * (TRANSIENT), when the consumer throws (a HearkenException it throws is the failure;
 * anything else is wrapped as INTERNAL), or when it is closed. Non-finite samples
 * are replaced by 0 rather than ending a live stream. {@link #close()} kills ffmpeg and waits for the reader
 * thread, so no chunk is delivered after it returns (unless called from the consumer itself). Reconnecting is
 * the caller's business: open a new stream.
 */
public final class FfmpegStream implements AutoCloseable {
    private final Process process;
    private final String name;
    private final boolean url;
    private final int sampleRate;
    private final int channels;
    private final int chunkSamples;
    private final long idleNanos;
    private final Consumer<float[]> sink;
    private final FfmpegDecoder.StderrDrain stderr;
    private final Thread reader;

    private volatile boolean closed;
    private volatile long lastDataNanos;
    private volatile HearkenException failure;
    private volatile long framesDelivered;

    FfmpegStream(Process process, String name, boolean url, int sampleRate, int channels, int chunkFrames,
                 Duration idleTimeout, Consumer<float[]> sink) {
        this.process = process;
        this.name = name;
        this.url = url;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.chunkSamples = Math.multiplyExact(chunkFrames, channels);
        this.idleNanos = idleTimeout.toNanos();
        this.sink = sink;
        this.lastDataNanos = System.nanoTime();
        this.stderr = FfmpegDecoder.StderrDrain.start(process, name);
        this.reader = new Thread(this::readLoop, "ffmpeg-stream " + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public String sourceName() {
        return name;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Sample frames handed to the consumer so far. */
    public long framesDelivered() {
        return framesDelivered;
    }

    /** Whether the reader is still running (ffmpeg alive or its last output not yet delivered). */
    public boolean isRunning() {
        return reader.isAlive();
    }

    /** Why the stream stopped, if it failed; empty while running, after a clean end, and after close(). */
    public Optional<HearkenException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Waits up to {@code limit} for the stream to end by itself; true if it has. Throws the stream's failure, if
     * it failed.
     */
    public boolean awaitEnd(Duration limit) {
        try {
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit.toNanos())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearkenException(ErrorKind.TRANSIENT, name + ": interrupted while waiting for ffmpeg", e);
        }
        if (reader.isAlive()) {
            return false;
        }
        HearkenException f = failure;
        if (f != null) {
            throw f;
        }
        return true;
    }

    /** Stops ffmpeg (and its descendants) and waits for the reader thread to finish. Idempotent. */
    @Override
    public void close() {
        closed = true;
        FfmpegDecoder.kill(process);
        if (Thread.currentThread() != reader) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop() {
        Thread idleWatch = new Thread(this::watchIdle, "ffmpeg-stream-idle " + name);
        idleWatch.setDaemon(true);
        idleWatch.start();
        float[] chunk = new float[chunkSamples];
        int filled = 0;
        byte[] buf = new byte[Math.max(4096, Math.min(1 << 16, chunkSamples * 4))];
        int have = 0;
        try (InputStream in = process.getInputStream()) {
            while (true) {
                int n = in.read(buf, have, buf.length - have);
                if (n < 0) {
                    break;
                }
                lastDataNanos = System.nanoTime();
                have += n;
                int whole = have & ~3;
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, whole).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < whole; i += 4) {
                    float v = bb.getFloat(i);
                    chunk[filled++] = Float.isFinite(v) ? v : 0f;
                    if (filled == chunkSamples) {
                        deliver(chunk);
                        chunk = new float[chunkSamples];
                        filled = 0;
                    }
                }
                System.arraycopy(buf, whole, buf, 0, have - whole);
                have -= whole;
            }
            int exit = process.waitFor();
            stderr.join();
            if (closed) {
                return;
            }
            if (failure != null) {
                return; // idle watchdog killed it
            }
            if (exit != 0) {
                String line = stderr.errorLine();
                failure = HearkenException.badInput(name + ": ffmpeg failed (exit " + exit + ")"
                        + (line.isEmpty() ? "" : ": " + FfmpegDecoder.redact(line)));
                return;
            }
            int whole = filled - filled % channels;
            if (whole > 0) {
                deliver(java.util.Arrays.copyOf(chunk, whole));
            }
        } catch (IOException e) {
            if (!closed && failure == null) {
                failure = new HearkenException(url ? ErrorKind.TRANSIENT : ErrorKind.BAD_INPUT,
                        name + ": reading ffmpeg's output failed (" + e + ")", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (HearkenException e) {
            if (!closed) {
                failure = e;
            }
        } catch (RuntimeException e) {
            if (!closed) {
                failure = new HearkenException(ErrorKind.INTERNAL, name + ": the audio consumer failed (" + e + ")", e);
            }
        } finally {
            FfmpegDecoder.kill(process);
            idleWatch.interrupt();
        }
    }

    private void deliver(float[] c) {
        if (closed) {
            throw new StreamClosed();
        }
        sink.accept(c);
        framesDelivered += c.length / channels;
    }

    private void watchIdle() {
        try {
            while (process.isAlive() && !closed) {
                long idle = System.nanoTime() - lastDataNanos;
                if (idle >= idleNanos) {
                    failure = new HearkenException(ErrorKind.TRANSIENT, name + ": no audio from ffmpeg for "
                            + Duration.ofNanos(idleNanos) + "; stopped it");
                    FfmpegDecoder.kill(process);
                    return;
                }
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(idleNanos - idle, 1_000_000_000L))));
            }
        } catch (InterruptedException e) {
            // the stream ended
        }
    }

    /** Thrown inside the reader to stop delivering after close(); never escapes. */
    private static final class StreamClosed extends HearkenException {
        private static final long serialVersionUID = 1L;

        StreamClosed() {
            super(ErrorKind.INTERNAL, "closed");
        }
    }
}
