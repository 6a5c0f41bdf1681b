package io.hearken.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real CLI jar in its own JVM, as bin/hearken does, and captures what a user would see. */
final class HearkenProcess {
    static final Path SHARED = Path.of(System.getProperty("hearken.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path PROJECT = Path.of(System.getProperty("hearken.project.dir", "..")).toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("hearken.cli.jar",
            PROJECT.resolve("cli/target/hearken-cli-0.1.0-SNAPSHOT-all.jar").toString()));

    record Result(int exitCode, List<String> stdout, String stderr) {
    }

    static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(Map.of(), timeoutSeconds, args);
    }

    /** As {@link #run(long, String...)}, with {@code environment} set in the CLI's environment (e.g. its PATH). */
    static Result run(Map<String, String> environment, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("CLI jar " + JAR + " is missing: run mvn verify from the project root");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
                "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
                "-Dhearken.home=" + PROJECT, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("hearken-out", ".txt");
        Path err = Files.createTempFile("hearken-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("hearken " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                    + " s; stderr:\n" + Files.readString(err));
        }
        Result result = new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
