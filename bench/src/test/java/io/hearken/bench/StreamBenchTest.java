package io.hearken.bench;

import io.hearken.job.JobSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream bench end to end at a tiny scale: the embedded stack, the probe stream, two measured streams. */
class StreamBenchTest {

    @Test
    void twoStreamsAreMeasuredOnceTheProbeStreamHasComeThrough() throws Exception {
        Path shared = Path.of(System.getProperty("hearken.shared.dir", "../../shared"));
        JobSettings settings = JobSettings.defaults(shared.resolve("models/efficientat-mn04").toString()).withParallelism(2);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StreamBench bench = new StreamBench(settings, "default", Duration.ofMillis(250), Duration.ZERO,
                new PrintStream(text, true, StandardCharsets.UTF_8));

        StreamBench.Result r = bench.run(List.of(shared.resolve("audio/esc50")), 2, Duration.ofSeconds(4),
                Duration.ZERO, Duration.ofSeconds(60), true);
        bench.print(r, Duration.ofSeconds(2), Duration.ofSeconds(1));

        assertThat(r.readySeconds()).isPositive();
        // Two streams, 4 s measured at one window per second each; the probe's windows are not among them.
        assertThat(r.windows()).isBetween(4L, 20L);
        assertThat(r.realtimeStreams()).isBetween(0, 2);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("pipeline ready").contains("of 2");
    }
}
