package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hearken demo on real recordings: real KRaft broker, schema registry, the Flink job on a MiniCluster, the real
 * model, the Kafka Streams sinks and ingest, in one process.
 */
class DemoEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 600;

    /** The printed events of one type ("tag", "caption"). */
    private static List<JsonNode> events(HearkenProcess.Result result, String type) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.stdout()) {
            JsonNode event = JSON.readTree(line);
            if (event.get("type").asText().equals(type)) {
                events.add(event);
            }
        }
        return events;
    }

    private static List<String> labelsOf(List<JsonNode> events, String stream, String kind) {
        return events.stream().filter(e -> e.get("stream").asText().equals(stream) && e.get("kind").asText().equals(kind))
                .map(e -> e.get("label").asText()).collect(Collectors.toList());
    }

    @Test
    void esc50FolderYieldsCatAndAlarmClockEventsAndExitsZero() throws Exception {
        HearkenProcess.Result result = HearkenProcess.run(TIMEOUT_SECONDS, "demo", "--input",
                HearkenProcess.SHARED.resolve("audio/esc50").toString(), "--exit-when-done", "--json");

        assertThat(result.exitCode()).as("exit code; stderr:\n%s", result.stderr()).isZero();
        List<JsonNode> events = events(result, "tag");
        assertThat(labelsOf(events, "cat_3-95694-A-5", "ONSET")).contains("Cat");
        assertThat(labelsOf(events, "alarm_clock_3-120526-B-37", "ONSET")).contains("Alarm clock");
        // Every onset is closed by exactly one offset, and nothing is printed twice.
        for (JsonNode onset : events.stream().filter(e -> e.get("kind").asText().equals("ONSET")).toList()) {
            long offsets = events.stream().filter(e -> e.get("kind").asText().equals("OFFSET")
                    && e.get("stream").equals(onset.get("stream")) && e.get("label").equals(onset.get("label"))
                    && e.get("onset_micros").equals(onset.get("onset_micros"))).count();
            assertThat(offsets).as("offsets closing %s", onset).isEqualTo(1);
        }
        assertThat(events.stream().map(e -> e.get("event_id").asText()).distinct().count()).isEqualTo(events.size());
        // Captions describe the same tag timeline: the cat clip's mentions a cat.
        assertThat(events(result, "caption")).filteredOn(c -> c.get("stream").asText().equals("cat_3-95694-A-5"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.get("caption").asText().toLowerCase()).contains("cat"));
    }

    /**
     * One machine that turns anomalous: the DCASE fan's normal clip followed by its anomalous clip as one stream
     * (machine profile, enrolment on its first 5 s). The anomaly sink runs inside the demo; its events start only
     * once the anomalous sound does, and each is closed exactly once.
     */
    @Test
    void aMachineTurningAnomalousRaisesAnAnomalyEventOnlyAfterTheChange(@TempDir Path dir) throws Exception {
        Path fan = HearkenProcess.SHARED.resolve("audio/dcase2020t2/fan");
        Path stream = dir.resolve("fan-line-1.wav");
        long switchFrames = concatenate(List.of(fan.resolve("normal_id_00_00000000.wav"),
                fan.resolve("anomaly_id_00_00000000.wav")), stream);
        double switchSeconds = switchFrames / 16000.0;
        Path settings = Files.writeString(dir.resolve("anomaly.properties"), "sinks.anomaly.enrol.duration=5s\n");

        HearkenProcess.Result result = HearkenProcess.run(TIMEOUT_SECONDS, "demo", "--input", stream.toString(),
                "--profile", "machine", "--anomaly-settings", settings.toString(), "--exit-when-done", "--json");

        assertThat(result.exitCode()).as("exit code; stderr:\n%s", result.stderr()).isZero();
        List<JsonNode> anomalies = events(result, "anomaly");
        List<JsonNode> onsets = anomalies.stream().filter(e -> e.get("kind").asText().equals("ONSET")).toList();
        assertThat(onsets).as("anomaly events %s; stdout:\n%s\nstderr:\n%s", anomalies, String.join("\n", result.stdout()),
                result.stderr()).isNotEmpty();
        // A 1 s window overlaps the anomalous part from switch - 1 s on; nothing may fire on the normal part before.
        assertThat(onsets).allSatisfy(o -> assertThat(o.get("onset_s").asDouble()).isGreaterThanOrEqualTo(switchSeconds - 1));
        for (JsonNode onset : onsets) {
            assertThat(anomalies.stream().filter(e -> e.get("kind").asText().equals("OFFSET")
                    && e.get("onset_s").equals(onset.get("onset_s"))).count()).as("offsets closing %s", onset).isEqualTo(1);
        }
    }

    /** Writes the clips (same format) one after another as one WAV; returns the frame count of the first. */
    private static long concatenate(List<Path> clips, Path target) throws Exception {
        List<javax.sound.sampled.AudioInputStream> parts = new ArrayList<>();
        for (Path clip : clips) {
            parts.add(javax.sound.sampled.AudioSystem.getAudioInputStream(clip.toFile()));
        }
        long first = parts.get(0).getFrameLength();
        long frames = parts.stream().mapToLong(javax.sound.sampled.AudioInputStream::getFrameLength).sum();
        java.io.InputStream joined = new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(joined, parts.get(0).getFormat(), frames),
                javax.sound.sampled.AudioFileFormat.Type.WAVE, target.toFile());
        for (javax.sound.sampled.AudioInputStream part : parts) {
            part.close();
        }
        return first;
    }

    @Test
    void unreadableInputsAreNamedAndTheOthersStillProcessed(@TempDir Path dir) throws Exception {
        Path cat = HearkenProcess.SHARED.resolve("audio/esc50/cat_3-95694-A-5.wav");
        Path text = Files.writeString(dir.resolve("notes.wav"), "not audio at all");
        byte[] wav = Files.readAllBytes(cat);
        Path truncated = Files.write(dir.resolve("truncated.wav"), Arrays.copyOf(wav, wav.length / 3));
        Path missing = dir.resolve("missing.wav");

        HearkenProcess.Result result = HearkenProcess.run(TIMEOUT_SECONDS, "demo", "--input", missing.toString(),
                text.toString(), truncated.toString(), cat.toString(), "--exit-when-done", "--json");

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains("missing.wav").contains("notes.wav").contains("truncated.wav");
        assertThat(labelsOf(events(result, "tag"), "cat_3-95694-A-5", "ONSET")).contains("Cat");
    }
}
