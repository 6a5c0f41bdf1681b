package io.hearken.bench;

import io.hearken.inference.engine.InferenceDevice;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny benchmark run: the harness works and reports every case; the figures themselves are not asserted. */
class InferenceBenchTest {

    @Test
    void runsEveryCaseAndPrintsTheReference() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<InferenceBench.Result> results = InferenceBench.run(new InferenceBench.Options(java.nio.file.Path.of(System.getProperty("hearken.shared.dir", "../../shared")).resolve("models/efficientat-mn04"),
                InferenceDevice.CPU, List.of(1), List.of(1, 4), 100, Duration.ZERO, 4),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(results).extracting(InferenceBench.Result::batch).containsExactly(1, 4, 0);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.runs()).isPositive();
            assertThat(r.audioSecondsPerSecond()).isPositive();
            assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
        });
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("54.5 ms = 587 audio-s/s", "p50 ms", "p99 ms", "dynamic");
    }
}
