package io.hearken.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a long-running role command ({@code platform}, {@code cluster}, {@code sinks}, {@code ingest},
 * {@code events}): it announces its machine-readable lines on stdout, runs until SIGTERM / Ctrl-C (or until the role
 * itself calls {@link #stop()}), then closes what it {@link #own owns} in reverse order before the JVM exits.
 *
 * <p>Why a latch in the shutdown hook: the JVM exits as soon as its hooks return, so the hook waits for the command's
 * own thread to have closed everything (sinks close their Kafka Streams applications, ingest flushes its producer).
 */
final class RoleProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleProcess.class);
    /** How long SIGTERM waits for a clean close; Kubernetes' default grace period is 30 s. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(25);

    private final String role;
    private final PrintStream out;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    RoleProcess(String role, PrintStream out) {
        this.role = role;
        this.out = out;
        this.hook = new Thread(this::onSignal, "hearken-" + role + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Closes {@code resource} when the role stops, before everything owned earlier. */
    synchronized <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Prints one line on stdout at once (tests and scripts wait for these lines). */
    void announce(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Blocks until SIGTERM / Ctrl-C or {@link #stop()}. */
    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Blocks until a stop is requested or {@code timeout} passes; true if a stop was requested. */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Asks the role to stop, as SIGTERM does. */
    void stop() {
        stopRequested.countDown();
    }

    private void onSignal() {
        LOG.info("{}: stopping", role);
        stop();
        try {
            if (!closed.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: not closed after {} s; exiting anyway", role, CLOSE_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes everything owned, newest first; a failure to close one is logged and the others still close. */
    @Override
    public void close() {
        try {
            AutoCloseable next;
            while ((next = pop()) != null) {
                try {
                    next.close();
                } catch (Exception e) {
                    LOG.warn("{}: closing {}: {}", role, next, e.toString());
                }
            }
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (this close runs because of the signal): the hook is running.
            }
        }
    }

    private synchronized AutoCloseable pop() {
        return owned.poll();
    }
}
