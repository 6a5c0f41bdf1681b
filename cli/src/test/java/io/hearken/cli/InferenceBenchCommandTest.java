package io.hearken.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code bench inference}: its options reach the benchmark, and bad ones are usage errors before anything runs. */
class InferenceBenchCommandTest {
    private static final String MODEL = Path.of(System.getProperty("hearken.shared.dir", "../../shared"))
            .resolve("models/efficientat-mn04").toString();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code bench inference ARGS} with the CLI's error convention (CONFIG exits 2, other HearkenExceptions 3). */
    private int run(String... args) {
        return HearkenCli.withConventions(new CommandLine(new InferenceBenchCommand()), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
    }

    /** The table's rows, each split into its columns (mode, threads, batch, runs, ..., audio-s/s, vs ref). */
    private List<String[]> rows() {
        return out.toString().lines().filter(l -> l.startsWith("batch ") || l.startsWith("dynamic "))
                .map(l -> l.split("\\s+")).toList();
    }

    @Test
    void measuresExactlyTheCasesAsked() {
        assertThat(run("--model", MODEL, "--threads", "1", "--batches", "2,1", "--frames", "200", "--seconds", "0",
                "--producers", "0")).as(err.toString()).isZero();

        // One thread count, batches in the order given, no dynamic row (no producers).
        assertThat(rows()).extracting(r -> r[0] + " " + r[1] + " " + r[2]).containsExactly("batch 1 2", "batch 1 1");
        assertThat(out.toString()).doesNotContain("dynamic").contains("windows of 200 frames (2.00 s of audio)",
                "stage timings (1 threads)");
        // --frames 200: each window is 2 s of audio, so audio-s/s is twice windows/s (to the printed digit).
        for (String[] row : rows()) {
            assertThat(Double.parseDouble(row[8])).isCloseTo(2 * Double.parseDouble(row[7]), within(0.15));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--batches|0|threads, batches and frames must be >= 1",
            "--threads|0|threads, batches and frames must be >= 1",
            "--frames|0|threads, batches and frames must be >= 1",
            "--seconds|-1|seconds and producers >= 0",
            "--producers|-1|seconds and producers >= 0",
            "--seconds|NaN|--seconds must be a number",
            "--device|tpu|inference.device: 'tpu' is not allowed (allowed: cpu, cuda, cuda:N, auto)",
            "--model|/no/such/model|no such directory"})
    void aBadOptionIsAUsageErrorAndNothingIsMeasured(String option, String value, String message) {
        String[] args = option.equals("--model") ? new String[] {option, value}
                : new String[] {"--model", MODEL, "--threads", "1", "--batches", "1", option, value};

        assertThat(run(args)).isEqualTo(HearkenCli.EXIT_USAGE);
        assertThat(err.toString()).startsWith("error: ").contains(message);
        assertThat(out.toString()).doesNotContain("inference benchmark");
    }

    @Test
    void aValueThatIsNotANumberIsAUsageError() {
        assertThat(run("--model", MODEL, "--batches", "1,x")).isEqualTo(HearkenCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--batches");
        assertThat(out.toString()).doesNotContain("inference benchmark");
    }
}
