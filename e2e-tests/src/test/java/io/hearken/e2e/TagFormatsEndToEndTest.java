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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hearken tag on compressed copies of real recordings, made here with ffmpeg: FLAC, MP3, Ogg/Opus and AAC decode
 * through ffmpeg to the same tags as the WAV; without ffmpeg the CLI says so, naming the file.
 */
class TagFormatsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clips whose best class leads the second by a clear margin (logits 0.5 or more apart). */
    private static final List<String> CLIPS = List.of("esc50/cat_3-95694-A-5.wav", "esc50/car_horn_1-24074-A-43.wav",
            "esc50/alarm_clock_3-120526-B-37.wav");
    private static final Map<String, String[]> CODECS = Map.of(
            "flac", new String[] {"-c:a", "flac"},
            "mp3", new String[] {"-c:a", "libmp3lame", "-b:a", "192k"},
            "opus", new String[] {"-c:a", "libopus", "-b:a", "128k"},
            "m4a", new String[] {"-c:a", "aac", "-b:a", "192k"});

    private static String base(String name) {
        return name.substring(0, name.lastIndexOf('.'));
    }

    @Test
    void compressedCopiesGetTheTopLabelOfTheWavAndFlacItsExactScores(@TempDir Path dir) throws Exception {
        Ffmpeg.require();
        List<String> args = new ArrayList<>(List.of("tag", "--whole", "--json"));
        for (String clip : CLIPS) {
            Path wav = HearkenProcess.SHARED.resolve("audio").resolve(clip);
            args.add(wav.toString());
            for (Map.Entry<String, String[]> codec : CODECS.entrySet()) {
                String name = base(wav.getFileName().toString()) + "." + codec.getKey();
                args.add(Ffmpeg.encode(wav, dir.resolve(name), codec.getValue()).toString());
            }
        }

        HearkenProcess.Result result = HearkenProcess.run(300, args.toArray(String[]::new));

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isZero();
        assertThat(result.stdout()).hasSize(CLIPS.size() * (1 + CODECS.size()));
        Map<String, JsonNode> byFile = new HashMap<>();
        for (String line : result.stdout()) {
            JsonNode window = JSON.readTree(line);
            byFile.put(Path.of(window.get("file").asText()).getFileName().toString(), window);
        }
        for (String clip : CLIPS) {
            String wavName = Path.of(clip).getFileName().toString();
            JsonNode wav = byFile.get(wavName);
            assertThat(wav).as(wavName).isNotNull();
            // FLAC is lossless: the same samples, so the same numbers.
            JsonNode flac = byFile.get(base(wavName) + ".flac");
            assertThat(flac.get("top")).as("%s top 5 from FLAC", wavName).isEqualTo(wav.get("top"));
            assertThat(flac.get("end_s")).isEqualTo(wav.get("end_s"));
            for (String format : CODECS.keySet()) {
                JsonNode copy = byFile.get(base(wavName) + "." + format);
                assertThat(copy.get("top").get(0).get("label").asText()).as("%s top label from %s", wavName, format)
                        .isEqualTo(wav.get("top").get(0).get("label").asText());
            }
        }
    }

    @Test
    void withoutFfmpegANonWavFileIsNamedWithHowToInstallItAndTheWavIsStillTagged(@TempDir Path dir) throws Exception {
        Ffmpeg.require(); // to make the FLAC; the CLI then runs with a PATH where ffmpeg is not found
        Path cat = HearkenProcess.SHARED.resolve("audio/esc50/cat_3-95694-A-5.wav");
        Path flac = Ffmpeg.encode(cat, dir.resolve("cat.flac"), "-c:a", "flac");
        Path emptyPath = Files.createDirectory(dir.resolve("no-tools"));

        HearkenProcess.Result result = HearkenProcess.run(Map.of("PATH", emptyPath.toString()), 300,
                "tag", "--whole", "--json", flac.toString(), cat.toString());

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isEqualTo(1);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error:")).toList()).containsExactly(
                "error: cat.flac: decoding it needs ffmpeg, which is not installed (ffprobe not found on PATH): "
                        + "install ffmpeg (apt-get install ffmpeg)");
        assertThat(result.stdout()).singleElement().satisfies(line -> assertThat(line).contains("\"Cat\""));
    }
}
