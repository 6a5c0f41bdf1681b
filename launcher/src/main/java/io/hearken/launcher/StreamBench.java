package io.hearken.launcher;

import com.sun.management.OperatingSystemMXBean;
import io.hearken.featurizer.DecodedAudio;
import io.hearken.featurizer.WavDecoder;
import io.hearken.ingest.AudioChunker;
import io.hearken.ingest.IngestOptions;
import io.hearken.ingest.IngestProducers;
import io.hearken.ingest.InputFiles;
import io.hearken.inference.job.JobSettings;
import io.hearken.schemas.AudioChunk;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.topics.Topic;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * N simulated microphones playing real recordings (looped; stream i starts i/N of a hop later, as independently
 * started microphones would) at real-time pace through
 * the embedded stack; measures how far behind the job runs. Lag of a window = wall-clock time it is seen on
 * hearken.audio.windows minus its end (capture time): seen uncommitted (processing lag) and committed (what
 * read_committed consumers see: adds up to one checkpoint interval).
 */
final class StreamBench {
    /** A stream stays real time if the p99 of its windows' processing lag stays within this. */
    static final long REALTIME_P99_MS = 1000;
    static final long TIMELINE_PERIOD_MICROS = 10_000_000L;

    record Result(int streams, double seconds, long windows, double windowsPerSecond, double p50Ms, double p99Ms,
                  double committedP50Ms, double committedP99Ms, int realtimeStreams, double cpuCores,
                  List<Double> p99ByPeriodMs, double warmupSeconds) {
    }

    private final JobSettings settings;
    private final String profile;
    private final Duration chunkDuration;
    private final PrintStream out;

    StreamBench(JobSettings settings, String profile, Duration chunkDuration, PrintStream out) {
        this.settings = settings;
        this.profile = profile;
        this.chunkDuration = chunkDuration;
        this.out = out;
    }

    /**
     * @param warmup  windows ending in the first {@code warmup} of the run and CPU used in it are left out of the
     *                figures: the JIT compiler alone takes most of a core for the first half minute
     */
    Result run(List<Path> inputs, int streams, Duration duration, Duration warmup, boolean realtime) throws Exception {
        List<DecodedAudio> clips = new ArrayList<>();
        for (Path file : InputFiles.expand(inputs)) {
            clips.add(WavDecoder.decode(file));
        }
        if (clips.isEmpty()) {
            throw io.hearken.error.HearkenException.config("bench stream: no WAV files in " + inputs);
        }
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(settings, Optional.empty(), Optional.empty())) {
            Instant start = Instant.now().plusSeconds(2);
            long startMicros = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> publish(platform, clips, streams, duration, startMicros, realtime, publishing),
                    "bench-publisher");
            OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
            long measureFromMicros = startMicros + warmup.toNanos() / 1000;
            long cpuBefore = -1;
            long wallBefore = 0;
            publisher.start();
            Map<String, List<Long>> committed = new HashMap<>();
            Map<String, List<Long>> uncommitted = new HashMap<>();
            // Processing lags by TIMELINE_PERIOD of window end, warm-up included: how a cold start falls behind and
            // catches up, and whether the lag afterwards is steady, drifts or spikes.
            java.util.TreeMap<Long, List<Long>> byPeriod = new java.util.TreeMap<>();
            int expectedEnds = streams;
            try (KafkaConsumer<String, WindowResult> dirty = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().windows, "read_uncommitted");
                 KafkaConsumer<String, WindowResult> clean = TopicReaders.fromBeginning(platform.bootstrapServers(), platform.topics().windows, "read_committed")) {
                int ends = 0;
                long deadline = System.nanoTime() + duration.plusMinutes(5).toNanos();
                while (ends < expectedEnds && System.nanoTime() < deadline) {
                    if (cpuBefore < 0 && nowMicros() >= measureFromMicros) {
                        cpuBefore = os.getProcessCpuTime();
                        wallBefore = System.nanoTime();
                    }
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<String, WindowResult> r : dirty.poll(Duration.ofMillis(50))) {
                        long lag = now - r.value().getWindowEndMicros() / 1000;
                        byPeriod.computeIfAbsent(Math.max(0, r.value().getWindowEndMicros() - startMicros) / TIMELINE_PERIOD_MICROS,
                                k -> new ArrayList<>()).add(lag);
                        if (r.value().getWindowEndMicros() >= measureFromMicros) {
                            uncommitted.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(lag);
                        }
                    }
                    now = System.currentTimeMillis();
                    for (ConsumerRecord<String, WindowResult> r : clean.poll(Duration.ZERO)) {
                        if (r.value().getWindowEndMicros() >= measureFromMicros) {
                            committed.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(now - r.value().getWindowEndMicros() / 1000);
                        }
                        if (r.value().getEndOfStream()) {
                            ends++;
                        }
                    }
                }
            }
            publishing.set(false);
            publisher.join();
            double wall = cpuBefore < 0 ? Double.NaN : (System.nanoTime() - wallBefore) / 1e9;
            double cpu = cpuBefore < 0 ? Double.NaN : (os.getProcessCpuTime() - cpuBefore) / 1e9;
            List<Long> allCommitted = new ArrayList<>();
            committed.values().forEach(allCommitted::addAll);
            List<Long> allUncommitted = new ArrayList<>();
            int realtimeStreams = 0;
            for (List<Long> lags : uncommitted.values()) {
                allUncommitted.addAll(lags);
                if (percentile(lags, 0.99) <= REALTIME_P99_MS) {
                    realtimeStreams++;
                }
            }
            long windows = allCommitted.size();
            // Over the wall time actually taken: when the job falls behind, draining the backlog counts too.
            return new Result(streams, wall, windows, windows / wall,
                    percentile(allUncommitted, 0.5), percentile(allUncommitted, 0.99), percentile(allCommitted, 0.5),
                    percentile(allCommitted, 0.99), realtimeStreams, cpu / wall,
                    java.util.stream.LongStream.rangeClosed(0, byPeriod.isEmpty() ? -1 : byPeriod.lastKey())
                            .mapToObj(i -> percentile(byPeriod.getOrDefault(i, List.of()), 0.99)).toList(),
                    warmup.toMillis() / 1000.0);
        }
    }

    private void publish(EmbeddedPlatform platform, List<DecodedAudio> clips, int streams, Duration duration,
                         long startMicros, boolean realtime, AtomicBoolean publishing) {
        Topic<String, AudioChunk> topic = platform.topics().chunks;
        IngestOptions options = new IngestOptions(chunkDuration, IngestOptions.DEFAULT_MAX_CHUNK_BYTES,
                profile, Instant.EPOCH);
        long chunkMicros = options.chunkDuration().toNanos() / 1000;
        // Stream i starts i/N of a hop after stream 0: independently started microphones have their window ends
        // spread over the hop, not all within one chunk (which would make every window of every stream due at once).
        long staggerMicros = settings.profile(profile).hop().toNanos() / 1000;
        long totalMicros = duration.toNanos() / 1000;
        // Each stream's chunk schedule: stream i plays clip i mod n, looped.
        PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        List<List<AudioChunk>> loops = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            DecodedAudio clip = clips.get(i % clips.size());
            loops.add(AudioChunker.chunk(clip, "bench-" + i, 0, options, SourceMetadata.newBuilder().build()));
            due.add(new long[] {startMicros + i * staggerMicros / streams, i, 0});
        }
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
                boolean last = chunkEnd - (startMicros + stream * staggerMicros / streams) >= totalMicros;
                // Field by field rather than newBuilder(template): that deep-copies the samples of every chunk.
                AudioChunk chunk = new AudioChunk("bench-" + stream, seq, captureMicros, template.getSampleRate(),
                        template.getChannels(), template.getEncoding(), template.getSamples().duplicate(), last,
                        template.getProfile(), template.getSource());
                producer.send(new ProducerRecord<>(topic.name(), chunk.getStreamId(), chunk));
                if (!last) {
                    due.add(new long[] {chunkEnd, stream, seq + 1});
                }
            }
            producer.flush();
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static double percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    void print(Result r, Duration window, Duration hop) {
        out.printf(Locale.ROOT, "streams %d (window %s, hop %s, chunks %d ms, checkpoints every %d ms), %.0f s measured after warm-up%n",
                r.streams(), window, hop, chunkDuration.toMillis(), settings.checkpointInterval().toMillis(), r.seconds());
        out.printf(Locale.ROOT, "windows %d, %.1f windows/s sustained%n", r.windows(), r.windowsPerSecond());
        out.printf(Locale.ROOT, "lag after window end: processing p50 %.0f ms p99 %.0f ms; committed (read_committed) p50 %.0f ms p99 %.0f ms%n",
                r.p50Ms(), r.p99Ms(), r.committedP50Ms(), r.committedP99Ms());
        StringBuilder timeline = new StringBuilder();
        long period = TIMELINE_PERIOD_MICROS / 1_000_000;
        for (int i = 0; i < r.p99ByPeriodMs().size(); i++) {
            if (i > 0) {
                timeline.append(i * period == Math.round(r.warmupSeconds()) ? " | " : " ");
            }
            timeline.append(String.format(Locale.ROOT, "%.0f", r.p99ByPeriodMs().get(i)));
        }
        out.printf(Locale.ROOT, "processing-lag p99 per %d s of window end from the start (| = end of warm-up): %s ms%n",
                period, timeline);
        out.printf(Locale.ROOT, "streams real time (processing-lag p99 <= %d ms): %d of %d%n", REALTIME_P99_MS, r.realtimeStreams(), r.streams());
        out.printf(Locale.ROOT, "CPU (whole process: broker, job, publisher, consumers): %.2f cores of %d%n", r.cpuCores(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "goal (2-core machine): >= 300 real-time streams at 2 s / 1 s, >= 150 at 1 s / 0.5 s, p99 lag <= 1 s%n");
    }
}
