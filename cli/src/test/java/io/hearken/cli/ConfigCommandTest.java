package io.hearken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearken.config.ConfigGroup;
import io.hearken.config.ConfigReference;
import io.hearken.config.Field;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code config reference|check} over {@link SettingsCatalog#ALL}. Once the job, engine and sinks groups are
 * catalogued, {@link #checkNamesUnknownKeysAndBadValues} also covers {@code job.chekpoint.interval=1s} (names
 * {@code job.checkpoint.interval}) and {@code inference.device=tpu} (names the key and its allowed values).
 */
class ConfigCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HearkenCli.withConventions(new CommandLine(new HearkenCli()), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
    }

    @Test
    void referenceShowsEverySettingOfEveryGroup() {
        assertThat(run("config", "reference")).isZero();
        for (ConfigGroup group : SettingsCatalog.ALL) {
            assertThat(out.toString()).contains("\n" + group.name() + " - " + group.description() + "\n");
            for (Field<?> field : group.fields()) {
                assertThat(out.toString()).contains("  " + field.key() + "  " + field.type().label());
                // Pattern keys (job.profile.<name>.window) come from files and --set only: no variable.
                field.envName().ifPresent(env -> assertThat(out.toString()).contains(env));
            }
        }
        assertThat(out.toString()).contains("ingest.chunk.duration  duration, default 500ms, allowed: between 10ms and 10s")
                .contains("platform.data.dir  path, no default")
                .contains("platform.metrics.port  string, default 9249-9299, allowed: a port, a range such as 9249-9299, or none");
    }

    @Test
    void markdownReferenceIsTheWholeCatalogue() {
        assertThat(run("config", "reference", "--markdown")).isZero();
        assertThat(out.toString()).isEqualTo(ConfigReference.markdown(SettingsCatalog.ALL));
    }

    @Test
    void committedReferenceIsCurrent() throws Exception {
        Path committed = Paths.get("").toAbsolutePath().getParent().resolve("docs/CONFIGURATION.md");
        String stale = "docs/CONFIGURATION.md is not the current reference; regenerate it from the project root with "
                + ConfigCommand.REGENERATE + " (after mvn -DskipTests package, HEARKEN_SKIP_BUILD=1 skips the rebuild)";
        assertThat(committed).as(stale).isRegularFile();
        assertThat(Files.readString(committed)).as(stale).isEqualTo(ConfigReference.markdown(SettingsCatalog.ALL));
    }

    @Test
    void checkAcceptsAValidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.properties"),
                "# the demo on fixed ports\ningest.profile=machine\nplatform.kafka.port=19092\nplatform.metrics.port=none\n");
        assertThat(run("config", "check", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(file + ": ok (3 settings)\n");
    }

    @Test
    void checkNamesUnknownKeysAndBadValues() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"),
                "platform.partitons=3\nplatform.metrics.port=abc\ningest.chunk.duration=2\ningest.profile=machine\n");
        assertThat(run("config", "check", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "error: " + file + ":1: unknown setting 'platform.partitons' (did you mean 'platform.partitions'?)",
                "error: " + file + ":2: platform.metrics.port: 'abc' is not a port or a port range "
                        + "(allowed: a port, a range such as 9249-9299, or none)",
                "error: " + file + ":3: ingest.chunk.duration: '2' needs a unit "
                        + "(e.g. 500ms, 2s, 1.5s, 10m, 1h, 250us, 0 or ISO-8601 PT2S) (allowed: between 10ms and 10s)");
        assertThat(out.toString()).doesNotContain("ok");
    }

    @Test
    void checkNamesTheNearestJobKeyAndTheDevicesAllowed() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "job.chekpoint.interval=1s\n");
        assertThat(run("config", "check", typo.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting 'job.chekpoint.interval'", "'job.checkpoint.interval'");

        err.getBuffer().setLength(0);
        Path device = Files.writeString(dir.resolve("device.properties"), "inference.device=tpu\n");
        assertThat(run("config", "check", device.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("inference.device", "'tpu'", "cpu", "cuda", "cuda:N", "auto");
    }

    @Test
    void theReferenceListsEveryModulesSettings() {
        assertThat(run("config", "reference")).isZero();
        assertThat(out.toString()).contains("inference.device", "job.checkpoint.interval", "kafka.bootstrap.servers",
                "HEARKEN_JOB_CHECKPOINT_INTERVAL", "sinks.anomaly.enrol.duration", "sinks.streams.replication.factor",
                "ingest.chunk.duration", "platform.kafka.port");
    }

    @Test
    void checkOfAMissingFileIsAConfigError() {
        Path missing = dir.resolve("missing.properties");
        assertThat(run("config", "check", missing.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: " + missing + ": config file does not exist\n");
    }
}
