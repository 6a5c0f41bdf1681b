package io.hearken.cli;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    @Test
    void aMinimalInferenceBenchRuns() {
        String shared = System.getProperty("hearken.shared.dir", "../../shared");
        String model = Paths.get(shared, "models", "efficientat-mn04").toString();
        int rc = new CommandLine(new InferenceBenchCommand()).execute("--model", model, "--threads", "1",
                "--batches", "1,2", "--seconds", "0", "--producers", "0");
        assertThat(rc).isZero();
    }
}
