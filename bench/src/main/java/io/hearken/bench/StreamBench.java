package io.hearken.bench;

import io.hearken.config.Durations;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.platform.EmbeddedPlatform;
import io.hearken.platform.PlatformSettings;
import io.hearken.platform.TopicReaders;
import com.sun.management.OperatingSystemMXBean;
import io.hearken.featurizer.decode.AudioDecoders;
import io.hearken.featurizer.decode.DecodedAudio;
import io.hearken.ingest.AudioChunker;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.ingest.InputFiles;
import io.hearken.job.JobSettings;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.topics.Topic;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * N simulated microphones playing real recordings (looped; stream i starts i/N of a hop later, as independently
 * started microphones would) at real-time pace through the embedded stack; measures how far behind the job runs. Lag of a window = wall-clock time it is seen on
 * hearken.audio.windows minus its end (capture time): seen uncommitted (processing lag) and committed (what
 * read_committed consumers see: adds up to one checkpoint interval).
 */
public final class StreamBench {
    /** A stream stays real time if the p99 of its windows' processing lag stays within this. */
    static final long REALTIME_P99_MS = 1000;
    static final long TIMELINE_PERIOD_MICROS = 10_000_000L;
    /** Caught up: no window more than REALTIME_P99_MS late for this long. */
    static final long CAUGHT_UP_MILLIS = 10_000;
    static final long PUBLISHER_LATE_MICROS = 100_000;
    static final int CALIBRATION_BATCH = 8;
    /** {@code bench inference --frames 200 --batches 8} on the 2-core machine on which the README figures were taken. */
    static final double CALIBRATION_REFERENCE_MS = 11.6;
    /** Stream id of the readiness probe (not one of the measured streams; its windows are not counted). */
    static final String PROBE_STREAM = "bench-probe";
    /** Audio the probe stream plays: a few windows' worth. */
    static final Duration PROBE_AUDIO = Duration.ofSeconds(3);
    static final Duration PROBE_TIMEOUT = Duration.ofMinutes(3);

    /**
     * What one run measured. {@code seconds}: wall time from the start of measuring until every stream's last window
     * was committed (when the job falls behind, draining the backlog counts too); {@code windows}: the committed
     * windows of the measured streams ending after measuring began; lags in ms after window end, uncommitted
     * (processing) and committed; the timeline covers the warm-up too. The rates are derived from these.
     */
    public record Result(int streams, double seconds, long windows, LagPercentiles processing,
                         LagPercentiles committed, int realtimeStreams, double cpuSeconds, List<Double> p99ByPeriodMs,
                         double warmupSeconds, boolean caughtUp, double readySeconds, PublisherStats publisher) {
        public Result {
            p99ByPeriodMs = List.copyOf(p99ByPeriodMs);
        }

        public double windowsPerSecond() {
            return windows / seconds;
        }

        /** CPU time of the whole process per wall second while measuring. */
        public double cpuCores() {
            return cpuSeconds / seconds;
        }
    }

    /** p50 and p99 of a set of window lags, in ms (NaN when there were none). */
    public record LagPercentiles(double p50Ms, double p99Ms) {
    }

    /** One stream as published: {@code frames} frames of audio at {@code sampleRate}. */
    public record PublishedStream(String stream, int sampleRate, long frames) {
    }

    /**
     * The bench's own pacing: chunks handed to the producer more than {@value #PUBLISHER_LATE_MICROS} us after they
     * were captured (lag the job did not cause), the latest, and what each stream was sent.
     */
    public record PublisherStats(long lateChunks, long maxLateMicros, List<PublishedStream> streams) {
        public PublisherStats {
            streams = List.copyOf(streams);
        }
    }

    private final JobSettings settings;
    private final PlatformSettings platformSettings;
    private final String profile;
    private final Duration chunkDuration;
    private final PrintStream out;

    /** Streams join over this much time from the start (zero: all at once). */
    private final Duration ramp;

    /** On the default platform, without a metrics endpoint. */
    public StreamBench(JobSettings settings, String profile, Duration chunkDuration, Duration ramp, PrintStream out) {
        this(settings, PlatformSettings.defaults().withMetricsPorts(Optional.empty()), profile, chunkDuration, ramp, out);
    }

    public StreamBench(JobSettings settings, PlatformSettings platformSettings, String profile, Duration chunkDuration,
                       Duration ramp, PrintStream out) {
        this.ramp = ramp;
        this.settings = settings;
        this.platformSettings = platformSettings;
        this.profile = profile;
        this.chunkDuration = chunkDuration;
        this.out = out;
    }

    /**
     * Measures the steady state: the figures cover {@code duration} of windows from the moment the job has caught up
     * after its cold start (no window more than {@value #REALTIME_P99_MS} ms late for {@value #CAUGHT_UP_MILLIS} ms),
     * but not before {@code warmup} nor after {@code maxWarmup} (then it is measured as it is, behind). Without a
     * ramp all streams start at once, and the JIT compilers' first ~90 s (up to half a core) put the job behind; how
     * far and for how long is in the printed timeline. The streams start once a probe stream has come through the
     * whole pipeline (see {@link #awaitPipelineReady}), as microphones meet a job that is already running.
     */
    public Result run(List<Path> inputs, int streams, Duration duration, Duration warmup, Duration maxWarmup, boolean realtime)
            throws Exception {
        calibrate();
        List<DecodedAudio> clips = new ArrayList<>();
        for (Path file : InputFiles.expand(inputs)) {
            clips.add(AudioDecoders.decode(file));
        }
        if (clips.isEmpty()) {
            throw HearkenException.config("bench stream: no WAV files in " + inputs);
        }
        long platformStart = System.nanoTime();
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(settings, Optional.empty(), platformSettings);
             KafkaConsumer<String, WindowResult> dirty = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().windows, "read_uncommitted");
             KafkaConsumer<String, WindowResult> clean = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().windows, "read_committed")) {
            awaitPipelineReady(platform, clips.get(0));
            double readySeconds = (System.nanoTime() - platformStart) / 1e9;
            // The streams' first capture time: 2 s ahead, so that the publisher and the readers are running by then
            // and measuring (with no warm-up) begins before the first window ends.
            long startMicros = nowMicros() + 2_000_000;
            AtomicBoolean publishing = new AtomicBoolean(true);
            // Each stream ends with its chunk that reaches this: set when the measurement starts.
            AtomicLong stopAtMicros = new AtomicLong(Long.MAX_VALUE);
            FutureTask<PublisherStats> published = new FutureTask<>(() -> publish(platform, clips, streams,
                    stopAtMicros, startMicros, realtime, publishing));
            Thread publisher = new Thread(published, "bench-publisher");
            OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
            WarmUp warmUp = new WarmUp(nowMicros(), startMicros + warmup.toNanos() / 1000,
                    startMicros + maxWarmup.toNanos() / 1000, REALTIME_P99_MS, CAUGHT_UP_MILLIS);
            long measureFromMicros = Long.MAX_VALUE;
            boolean caughtUp = false;
            long cpuBefore = -1;
            long wallBefore = 0;
            StreamLags processing = new StreamLags();
            StreamLags committed = new StreamLags();
            LagTimeline timeline = new LagTimeline(startMicros, TIMELINE_PERIOD_MICROS);
            publisher.start();
            int ends = 0;
            long deadline = System.nanoTime() + maxWarmup.plus(warmup).plus(duration).plusMinutes(5).toNanos();
            while (ends < streams && System.nanoTime() < deadline) {
                long now = nowMicros();
                if (measureFromMicros == Long.MAX_VALUE && warmUp.measuringStarts(now)) {
                    measureFromMicros = now;
                    caughtUp = warmUp.caughtUp(now);
                    stopAtMicros.set(now + duration.toNanos() / 1000);
                    cpuBefore = os.getProcessCpuTime();
                    wallBefore = System.nanoTime();
                }
                for (ConsumerRecord<String, WindowResult> r : dirty.poll(Duration.ofMillis(50))) {
                    if (PROBE_STREAM.equals(r.key())) {
                        continue;
                    }
                    long lag = lagMillis(now, r.value());
                    warmUp.windowSeen(now, lag);
                    timeline.add(r.value().getWindowEndMicros(), lag);
                    if (r.value().getWindowEndMicros() >= measureFromMicros) {
                        processing.add(r.key(), lag);
                    }
                }
                now = nowMicros();
                for (ConsumerRecord<String, WindowResult> r : clean.poll(Duration.ZERO)) {
                    if (PROBE_STREAM.equals(r.key())) {
                        continue;
                    }
                    if (r.value().getWindowEndMicros() >= measureFromMicros) {
                        committed.add(r.key(), lagMillis(now, r.value()));
                    }
                    if (r.value().getEndOfStream()) {
                        ends++;
                    }
                }
            }
            publishing.set(false);
            PublisherStats publisherStats = published.get();
            double wall = cpuBefore < 0 ? Double.NaN : (System.nanoTime() - wallBefore) / 1e9;
            double cpu = cpuBefore < 0 ? Double.NaN : (os.getProcessCpuTime() - cpuBefore) / 1e9;
            return new Result(streams, wall, committed.windows(), processing.percentiles(), committed.percentiles(),
                    processing.realtimeStreams(REALTIME_P99_MS), cpu, timeline.p99ByPeriod(),
                    measureFromMicros == Long.MAX_VALUE ? Double.NaN : (measureFromMicros - startMicros) / 1e6,
                    caughtUp, readySeconds, publisherStats);
        }
    }

    private static long lagMillis(long seenMicros, WindowResult window) {
        return seenMicros / 1000 - window.getWindowEndMicros() / 1000;
    }

    /**
     * Plays {@link #PROBE_AUDIO} of {@code clip} as one stream and waits until its end-of-stream window is committed
     * on the windows topic: then the job's source has its partitions, the model is loaded and the exactly-once sink
     * commits, so the measured streams start against a running job rather than one still deploying (whose start-up
     * seconds would otherwise count as lag of every stream).
     */
    private void awaitPipelineReady(EmbeddedPlatform platform, DecodedAudio clip) {
        int frames = (int) Math.min(clip.frames(), PROBE_AUDIO.toMillis() * clip.sampleRate() / 1000);
        DecodedAudio audio = new DecodedAudio(clip.sampleRate(), clip.channels(),
                Arrays.copyOf(clip.interleaved(), frames * clip.channels()));
        IngestOptions options = ingestOptions();
        Topic<String, AudioChunk> topic = platform.topics().chunks;
        try (Producer<String, AudioChunk> producer = IngestProducers.create(platform.bootstrapServers(), topic)) {
            for (AudioChunk c : AudioChunker.chunk(audio, PROBE_STREAM, nowMicros(), options, SourceMetadata.newBuilder().build())) {
                producer.send(new ProducerRecord<>(topic.name(), c.getStreamId(), c));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        try (KafkaConsumer<String, WindowResult> windows = TopicReaders.fromBeginning(platform.bootstrapServers(),
                platform.topics().windows, "read_committed")) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, WindowResult> r : windows.poll(Duration.ofMillis(100))) {
                    if (PROBE_STREAM.equals(r.key()) && r.value().getEndOfStream()) {
                        return;
                    }
                }
            }
        }
        throw new HearkenException(ErrorKind.TRANSIENT,
                "bench stream: the probe stream's last window was not committed on " + platform.topics().windows.name()
                        + " within " + PROBE_TIMEOUT.toSeconds() + " s of starting the job");
    }

    /**
     * How fast this machine is right now, before the run: a cloud VM's speed varies with its neighbours (the same
     * machine class ran this 1.25-1.9x slower at other times), and the stream figures scale with it.
     */
    private void calibrate() {
        InferenceBench.Options o = new InferenceBench.Options(Path.of(settings.modelDir()), InferenceDevice.CPU,
                List.of(1), List.of(CALIBRATION_BATCH), 200, Duration.ofSeconds(3), 0);
        InferenceBench.Result r = InferenceBench.run(o, new PrintWriter(Writer.nullWriter())).get(0);
        out.printf(Locale.ROOT, "machine speed: model on a batch of %d two-second windows, 1 thread: p50 %.1f ms "
                + "(reference, this machine class when quiet: %.1f ms; slower means fewer streams)%n",
                CALIBRATION_BATCH, r.p50Ms(), CALIBRATION_REFERENCE_MS);
    }

    private PublisherStats publish(EmbeddedPlatform platform, List<DecodedAudio> clips, int streams,
                                   AtomicLong stopAtMicros, long startMicros, boolean realtime, AtomicBoolean publishing) {
        Topic<String, AudioChunk> topic = platform.topics().chunks;
        IngestOptions options = ingestOptions();
        long chunkMicros = options.chunkDuration().toNanos() / 1000;
        // Stream i starts i/N of a hop after stream 0: independently started microphones have their window ends
        // spread over the hop, not all within one chunk (which would make every window of every stream due at once).
        // With a ramp, stream i also joins i/N of the ramp later (as microphones connecting one by one).
        long offsetMicros = (settings.profile(profile).hop().toNanos() + ramp.toNanos()) / 1000;
        // Each stream's chunk schedule: stream i plays clip i mod n, looped.
        PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        List<List<AudioChunk>> loops = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            DecodedAudio clip = clips.get(i % clips.size());
            loops.add(AudioChunker.chunk(clip, streamId(i), 0, options, SourceMetadata.newBuilder().build()));
            due.add(new long[] {startMicros + i * offsetMicros / streams, i, 0});
        }
        long[] framesSent = new long[streams];
        long lateChunks = 0;
        long maxLateMicros = 0;
        try (Producer<String, AudioChunk> producer = IngestProducers.create(platform.bootstrapServers(), topic)) {
            while (!due.isEmpty() && publishing.get()) {
                long[] next = due.poll();
                long captureMicros = next[0];
                int stream = (int) next[1];
                long seq = next[2];
                if (realtime) {
                    long waitMicros = captureMicros + chunkMicros - nowMicros(); // sent once captured
                    if (waitMicros > 0) {
                        LockSupport.parkNanos(waitMicros * 1000);
                    }
                }
                List<AudioChunk> loop = loops.get(stream);
                AudioChunk template = loop.get((int) (seq % loop.size()));
                long frames = template.getSamples().remaining() / (2L * template.getChannels());
                long chunkEnd = captureMicros + frames * 1_000_000L / template.getSampleRate();
                boolean last = chunkEnd >= stopAtMicros.get();
                // Field by field rather than newBuilder(template): that deep-copies the samples of every chunk.
                AudioChunk chunk = new AudioChunk(streamId(stream), seq, captureMicros, template.getSampleRate(),
                        template.getChannels(), template.getEncoding(), template.getSamples().duplicate(), last,
                        template.getProfile(), template.getSource());
                producer.send(new ProducerRecord<>(topic.name(), chunk.getStreamId(), chunk));
                framesSent[stream] += frames;
                if (realtime) {
                    // The bench's own pacing: a chunk handed to the producer late is lag the job did not cause.
                    long lateMicros = nowMicros() - (captureMicros + chunkMicros);
                    maxLateMicros = Math.max(maxLateMicros, lateMicros);
                    if (lateMicros > PUBLISHER_LATE_MICROS) {
                        lateChunks++;
                    }
                }
                if (!last) {
                    due.add(new long[] {chunkEnd, stream, seq + 1});
                }
            }
            producer.flush();
        }
        List<PublishedStream> sent = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            sent.add(new PublishedStream(streamId(i), clips.get(i % clips.size()).sampleRate(), framesSent[i]));
        }
        return new PublisherStats(lateChunks, maxLateMicros, sent);
    }

    private static String streamId(int stream) {
        return "bench-" + stream;
    }

    /** How the bench's streams (and its probe) are cut into chunks, as an ingest service would. */
    private IngestOptions ingestOptions() {
        return new IngestOptions(chunkDuration, IngestOptions.DEFAULT_MAX_CHUNK_BYTES, profile, Instant.EPOCH);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    public void print(Result r, Duration window, Duration hop) {
        out.printf(Locale.ROOT, "streams %d (window %s, hop %s, chunks %d ms, checkpoints every %d ms, %d windows in inference per task, %s), %.0f s measured after warm-up%n",
                r.streams(), Durations.format(window), Durations.format(hop), chunkDuration.toMillis(), settings.checkpointInterval().toMillis(), settings.inFlightWindows(),
                ramp.isZero() ? "all starting at once" : "joining over " + ramp.toSeconds() + " s", r.seconds());
        out.printf(Locale.ROOT, "pipeline ready %.1f s after start (a %d s probe stream's windows committed); streams started then%n",
                r.readySeconds(), PROBE_AUDIO.toSeconds());
        out.printf(Locale.ROOT, "windows %d, %.1f windows/s sustained%n", r.windows(), r.windowsPerSecond());
        out.printf(Locale.ROOT, "lag after window end: processing p50 %.0f ms p99 %.0f ms; committed (read_committed) p50 %.0f ms p99 %.0f ms%n",
                r.processing().p50Ms(), r.processing().p99Ms(), r.committed().p50Ms(), r.committed().p99Ms());
        long period = TIMELINE_PERIOD_MICROS / 1_000_000;
        out.printf(Locale.ROOT, "processing-lag p99 per %d s of window end from the start (| = end of warm-up): %s ms%n",
                period, LagTimeline.render(r.p99ByPeriodMs(), r.warmupSeconds(), period));
        out.printf(Locale.ROOT, r.caughtUp() ? "warm-up: caught up after %.0f s (no window more than %d ms late for %d s)%n"
                        : "warm-up: not caught up after %.0f s (a window more than %d ms late within the last %d s); measured from there%n",
                r.warmupSeconds(), REALTIME_P99_MS, CAUGHT_UP_MILLIS / 1000);
        out.printf(Locale.ROOT, "publisher: %d chunks sent more than %d ms after they were captured (latest: %d ms)%n",
                r.publisher().lateChunks(), PUBLISHER_LATE_MICROS / 1000, r.publisher().maxLateMicros() / 1000);
        out.printf(Locale.ROOT, "streams real time (processing-lag p99 <= %d ms): %d of %d%n", REALTIME_P99_MS, r.realtimeStreams(), r.streams());
        out.printf(Locale.ROOT, "CPU (whole process: broker, job, publisher, consumers): %.2f cores of %d%n", r.cpuCores(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "goal (2-core machine): >= 300 real-time streams at 2 s / 1 s, >= 150 at 1 s / 0.5 s, p99 lag <= 1 s%n");
    }
}
