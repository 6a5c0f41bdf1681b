package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/hearken tag on the labelled recordings of ../shared/audio. */
class TagEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** manifest.csv rows that name expected AudioSet classes: path → classes (any one must be in the top 5). */
    static Map<String, Set<String>> expectedTop5() throws Exception {
        List<String> lines = Files.readAllLines(HearkenProcess.SHARED.resolve("audio/manifest.csv"));
        Map<String, Set<String>> expected = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = csv(line);
            if (fields.size() > 3 && !fields.get(3).isBlank()) {
                // Classes are separated by ';' when there are several; a class name may itself contain commas.
                expected.put(fields.get(0), Set.of(fields.get(3).split(";")));
            }
        }
        return expected;
    }

    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    @Test
    void wholeClipTop5ContainsAnExpectedClassForEveryLabelledClip() throws Exception {
        Map<String, Set<String>> expected = expectedTop5();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(10);
        List<String> args = new ArrayList<>(List.of("tag", "--whole", "--json"));
        expected.keySet().stream().sorted().forEach(p -> args.add(HearkenProcess.SHARED.resolve("audio").resolve(p).toString()));

        HearkenProcess.Result result = HearkenProcess.run(300, args.toArray(String[]::new));

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isZero();
        assertThat(result.stdout()).hasSize(expected.size());
        for (String line : result.stdout()) {
            JsonNode window = JSON.readTree(line);
            String clip = HearkenProcess.SHARED.resolve("audio").relativize(Path.of(window.get("file").asText())).toString();
            List<String> top5 = StreamSupport.stream(window.get("top").spliterator(), false)
                    .map(t -> t.get("label").asText()).toList();
            assertThat(top5).as("top 5 of %s", clip).hasSize(5).containsAnyElementsOf(expected.get(clip));
            assertThat(window.get("start_s").asDouble()).isZero();
        }
    }

    @Test
    void slidingWindowsCarryRequestedOutputs() throws Exception {
        HearkenProcess.Result result = HearkenProcess.run(300, "tag", "--json", "--outputs", "embedding,mid",
                HearkenProcess.SHARED.resolve("audio/esc50/cat_3-95694-A-5.wav").toString());

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isZero();
        // 5 s clip, 2 s windows with 1 s hop: 0-2, 1-3, 2-4, 3-5.
        assertThat(result.stdout()).hasSize(4);
        JsonNode last = JSON.readTree(result.stdout().get(3));
        assertThat(last.get("start_s").asDouble()).isEqualTo(3.0);
        assertThat(last.get("end_s").asDouble()).isEqualTo(5.0);
        assertThat(last.get("embedding").size()).isEqualTo(384);
        assertThat(last.get("mid").size()).isEqualTo(256);
    }

    @Test
    void badFilesAreNamedAndTheOthersStillTagged(@TempDir Path dir) throws Exception {
        Path cat = HearkenProcess.SHARED.resolve("audio/esc50/cat_3-95694-A-5.wav");
        Path text = Files.writeString(dir.resolve("readme.wav"), "plain text");
        byte[] wav = Files.readAllBytes(cat);
        Path truncated = Files.write(dir.resolve("cut.wav"), java.util.Arrays.copyOf(wav, 3000));

        HearkenProcess.Result result = HearkenProcess.run(300, "tag", "--whole", "--json",
                dir.resolve("absent.wav").toString(), text.toString(), truncated.toString(), cat.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("absent.wav").contains("readme.wav").contains("cut.wav");
        assertThat(result.stdout()).hasSize(1);
        assertThat(result.stdout().get(0)).contains("\"Cat\"");
        Set<String> errors = result.stderr().lines().filter(l -> l.startsWith("error:")).collect(Collectors.toSet());
        assertThat(errors).hasSize(3);
    }
}
