package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching over a shared {@link AudioTagger}: windows submitted from any thread (many streams, many operator
 * instances) are grouped by frame count and run together, one session run per group, as soon as a group holds
 * {@link BatchingConfig#maxBatchSize()} windows or its oldest window has waited {@link BatchingConfig#maxWait()}
 * (among groups that are due, the one with the oldest window runs first). Each future completes with its own row.
 *
 * <p>One dispatcher thread (a daemon) forms and runs the batches; ONNX Runtime's intra-op threads parallelise each
 * run. Futures are completed on that thread, so dependent stages that do real work should use the {@code *Async}
 * variants. Errors stay with the windows they concern: a malformed window fails its own future at submit; when a run
 * fails, its windows are retried one by one so only the culprit fails.
 *
 * <p>{@link #close()} stops accepting windows, runs everything pending without waiting for company, and joins the
 * dispatcher: no thread outlives it. Windows submitted after close fail.
 */
public final class BatchingPredictor implements AutoCloseable {
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final AudioTagger tagger;
    private final BatchingConfig config;
    private final long maxWaitNanos;
    private final Thread dispatcher;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, ArrayDeque<Request>> pending = new LinkedHashMap<>(); // by frames; guarded by lock
    private int pendingCount; // guarded by lock
    private boolean flushing; // guarded by lock: run every group whose oldest window is older than flushStamp
    private long flushStamp; // guarded by lock
    private boolean closing; // guarded by lock

    private final LongAdder batches = new LongAdder();
    private final LongAdder windows = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder queueNanos = new LongAdder();
    private final AtomicLongArray sizes;
    private final StageCounters counters = new StageCounters();

    private record Request(float[] mel, int frames, long enqueued, CompletableFuture<Prediction> future) {
    }

    public BatchingPredictor(AudioTagger tagger, BatchingConfig config) {
        if (tagger == null || config == null) {
            throw HearkenException.config("BatchingPredictor needs a tagger and a config");
        }
        this.tagger = tagger;
        this.config = config;
        this.maxWaitNanos = config.maxWait().toNanos();
        this.sizes = new AtomicLongArray(config.maxBatchSize() + 1);
        this.dispatcher = new Thread(this::dispatch, "hearken-batcher-" + tagger.modelId() + "-"
                + THREAD_IDS.incrementAndGet());
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    public AudioTagger tagger() {
        return tagger;
    }

    public BatchingConfig config() {
        return config;
    }

    /**
     * Queues one window ({@code mel} is [melBins][frames] row-major; not copied, do not modify it until the future
     * completes). Never blocks on inference. A malformed window gives an already failed future (BAD_INPUT); after
     * {@link #close()} the future fails with an INTERNAL error.
     */
    public CompletableFuture<Prediction> submit(float[] mel, int frames) {
        CompletableFuture<Prediction> future = new CompletableFuture<>();
        int perWindow;
        try {
            perWindow = tagger.checkWindow(frames);
        } catch (HearkenException e) {
            return fail(future, e);
        }
        if (mel == null || mel.length != perWindow) {
            return fail(future, HearkenException.badInput("window has " + (mel == null ? "no data" : mel.length
                    + " values") + ", expected " + tagger.melBins() + " x " + frames + " = " + perWindow));
        }
        lock.lock();
        try {
            if (closing) {
                return fail(future, new HearkenException(ErrorKind.INTERNAL, "BatchingPredictor for "
                        + tagger.modelId() + " is closed"));
            }
            ArrayDeque<Request> group = pending.computeIfAbsent(frames, f -> new ArrayDeque<>());
            group.addLast(new Request(mel, frames, System.nanoTime(), future));
            pendingCount++;
            // Wake the dispatcher when this can change its plan: first pending window (it may be idle) or a full group.
            if (pendingCount == 1 || group.size() >= config.maxBatchSize()) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    private CompletableFuture<Prediction> fail(CompletableFuture<Prediction> future, Throwable t) {
        if (future.completeExceptionally(t)) {
            failed.increment();
        }
        return future;
    }

    /** Runs every pending window now, without waiting for company (e.g. before a checkpoint). Does not block. */
    public void flush() {
        lock.lock();
        try {
            if (pendingCount > 0) {
                flushing = true;
                flushStamp = System.nanoTime();
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void dispatch() {
        try {
            while (true) {
                List<Request> batch = nextBatch();
                if (batch == null) {
                    return;
                }
                run(batch);
            }
        } catch (Error e) { // run() handles exceptions; an Error ends the dispatcher: nobody may wait forever
            lock.lock();
            try {
                closing = true;
            } finally {
                lock.unlock();
            }
            failPending(new HearkenException(ErrorKind.INTERNAL, "the batch dispatcher of " + tagger.modelId()
                    + " failed: " + e, e));
            throw e;
        }
    }

    /** Blocks until a group is due and takes (up to a full batch of) it; null when closed and drained. */
    private List<Request> nextBatch() {
        lock.lock();
        try {
            while (true) {
                if (pendingCount == 0) {
                    flushing = false;
                    if (closing) {
                        return null;
                    }
                    changed.awaitUninterruptibly();
                    continue;
                }
                long now = System.nanoTime();
                ArrayDeque<Request> chosen = null;
                long soonest = Long.MAX_VALUE;
                boolean flushDue = false;
                for (ArrayDeque<Request> group : pending.values()) {
                    long oldest = group.peekFirst().enqueued();
                    boolean flushed = flushing && oldest - flushStamp <= 0;
                    flushDue |= flushed;
                    boolean due = closing || flushed || group.size() >= config.maxBatchSize()
                            || now - oldest >= maxWaitNanos;
                    if (due) {
                        if (chosen == null || oldest - chosen.peekFirst().enqueued() < 0) {
                            chosen = group;
                        }
                    } else {
                        soonest = Math.min(soonest, oldest + maxWaitNanos - now);
                    }
                }
                flushing &= flushDue;
                if (chosen != null) {
                    int n = Math.min(chosen.size(), config.maxBatchSize());
                    List<Request> batch = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        batch.add(chosen.pollFirst());
                    }
                    if (chosen.isEmpty()) {
                        pending.remove(batch.get(0).frames());
                    }
                    pendingCount -= n;
                    return batch;
                }
                try {
                    changed.awaitNanos(soonest);
                } catch (InterruptedException e) {
                    // Nobody but close() should stop the dispatcher; an interrupt means shut down: drain and exit.
                    closing = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Request> batch) {
        try {
            runOrIsolate(batch);
        } catch (Error e) { // no future of this batch may be left hanging
            for (Request r : batch) {
                fail(r.future(), e);
            }
            throw e;
        }
    }

    private void runOrIsolate(List<Request> batch) {
        long start = System.nanoTime();
        List<float[]> mels = new ArrayList<>(batch.size());
        for (Request r : batch) {
            queueNanos.add(start - r.enqueued());
            mels.add(r.mel());
        }
        int frames = batch.get(0).frames();
        List<Prediction> out;
        try {
            out = tagger.predictBatch(mels, frames, counters);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                fail(batch.get(0).future(), e);
            } else {
                for (Request r : batch) { // isolate the culprit: only windows that fail alone fail
                    runOrIsolate(List.of(r));
                }
            }
            return;
        }
        count(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(out.get(i));
        }
    }

    private void count(int size) {
        batches.increment();
        windows.add(size);
        sizes.incrementAndGet(size);
    }

    public BatchingStats stats() {
        SortedMap<Integer, Long> hist = new TreeMap<>();
        for (int i = 1; i < sizes.length(); i++) {
            long c = sizes.get(i);
            if (c > 0) {
                hist.put(i, c);
            }
        }
        int waiting;
        lock.lock();
        try {
            waiting = pendingCount;
        } finally {
            lock.unlock();
        }
        return new BatchingStats(batches.sum(), windows.sum(), failed.sum(), hist, counters.snapshot(),
                queueNanos.sum(), waiting);
    }

    /** The dispatcher thread (for tests and diagnostics). */
    Thread dispatcherThread() {
        return dispatcher;
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting windows, runs the pending ones and waits for the dispatcher to end. Idempotent. If the waiting
     * thread is interrupted, the windows not yet run fail instead and the interrupt flag is kept.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == dispatcher) {
            return; // closed from a completion callback: the dispatcher drains and exits after it
        }
        try {
            dispatcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failPending(new HearkenException(ErrorKind.INTERNAL, "BatchingPredictor for " + tagger.modelId()
                    + " closed while the window waited"));
        }
    }

    private void failPending(HearkenException e) {
        List<Request> dropped = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<ArrayDeque<Request>> it = pending.values().iterator(); it.hasNext(); ) {
                dropped.addAll(it.next());
                it.remove();
            }
            pendingCount = 0;
        } finally {
            lock.unlock();
        }
        for (Request r : dropped) {
            fail(r.future(), e);
        }
    }

    @Override
    public String toString() {
        return "BatchingPredictor[" + tagger.modelId() + ", max " + config.maxBatchSize() + " windows / "
                + config.maxWait().toMillis() + " ms]";
    }
}
