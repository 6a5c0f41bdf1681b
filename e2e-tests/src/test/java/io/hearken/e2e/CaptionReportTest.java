package io.hearken.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearken.schemas.ClassScore;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import io.hearken.sinks.captions.CaptionTracker;
import io.hearken.sinks.captions.GrammarCaptioner;
import io.hearken.sinks.captions.TagTimeline;
import io.hearken.sinks.captions.TimelineTag;
import io.hearken.sinks.tags.TagRules;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/**
 * Caption report on the Clotho clips of ../shared/audio/clotho: bin/hearken tag --json (2 s windows, 1 s hop) gives
 * each clip's windows, the tag lifecycle (default rules) turns them into a timeline, and {@link GrammarCaptioner}
 * into one sentence, printed next to the five human captions (target/caption-report.txt and stdout). Nothing derived
 * from the clips is stored in the repository: the timelines are computed here, when the clips and model are present.
 * Only structure is asserted: one non-empty sentence per clip that speaks of a label the windows scored >= 0.3.
 */
class CaptionReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = 1_000_000L;
    private static final float MENTION_SCORE = 0.3f;

    @Test
    void captionsForTheClothoClips() throws Exception {
        Path clotho = HearkenProcess.SHARED.resolve("audio/clotho");
        assumeTrue(Files.isRegularFile(clotho.resolve("captions.csv")), "no Clotho clips in " + clotho);
        assumeTrue(Files.isDirectory(HearkenProcess.SHARED.resolve("models/efficientat-mn04")), "no model");

        Map<String, List<String>> human = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(clotho.resolve("captions.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = TagEndToEndTest.csv(line);
            if (!fields.get(0).isBlank() && Files.isRegularFile(clotho.resolve(fields.get(0)))) {
                human.put(fields.get(0), fields.subList(1, fields.size()));
            }
        }
        assertThat(human).isNotEmpty();

        List<String> args = new ArrayList<>(List.of("tag", "--json"));
        human.keySet().forEach(f -> args.add(clotho.resolve(f).toString()));
        HearkenProcess.Result result = HearkenProcess.run(300, args.toArray(String[]::new));
        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isZero();

        Map<String, List<JsonNode>> windowsByClip = new LinkedHashMap<>();
        for (String line : result.stdout()) {
            JsonNode w = JSON.readTree(line);
            windowsByClip.computeIfAbsent(Path.of(w.get("file").asText()).getFileName().toString(), k -> new ArrayList<>()).add(w);
        }

        GrammarCaptioner captioner = new GrammarCaptioner();
        StringBuilder report = new StringBuilder("Generated captions (" + GrammarCaptioner.NAME + ", default tag rules, "
                + "2 s windows, 1 s hop) vs the five human Clotho captions\n\n");
        for (Map.Entry<String, List<String>> clip : human.entrySet()) {
            List<JsonNode> json = windowsByClip.get(clip.getKey());
            assertThat(json).as("windows of %s", clip.getKey()).isNotEmpty();
            float[][] audio = monoSamples(clotho.resolve(clip.getKey()).toFile());
            List<WindowResult> windows = new ArrayList<>();
            Set<String> scoredHigh = new HashSet<>();
            for (int i = 0; i < json.size(); i++) {
                JsonNode w = json.get(i);
                List<ClassScore> scores = new ArrayList<>();
                for (JsonNode t : w.get("top")) {
                    scores.add(new ClassScore(t.get("index").asInt(), t.get("label").asText(), (float) t.get("score").asDouble()));
                    if (t.get("score").asDouble() >= MENTION_SCORE) {
                        scoredHigh.add(t.get("label").asText());
                    }
                }
                long start = Math.round(w.get("start_s").asDouble() * SECOND);
                long end = Math.round(w.get("end_s").asDouble() * SECOND);
                windows.add(WindowResult.newBuilder()
                        .setStreamId(clip.getKey()).setWindowId(clip.getKey() + "@" + start).setWindowIndex(i)
                        .setWindowStartMicros(start).setWindowEndMicros(end)
                        .setModelId("efficientat-mn04").setModelVersion("offline").setScoreFloor(0f)
                        .setClassScores(scores)
                        .setLoudnessDbfs(dbfs(audio, w.get("start_s").asDouble(), w.get("end_s").asDouble()))
                        .setEndOfStream(i == json.size() - 1)
                        .setSource(SourceMetadata.newBuilder().setDevice("clotho").build())
                        .build());
            }
            TagTimeline timeline = CaptionTracker.wholeTimeline(TagRules.defaults(), windows);
            GrammarCaptioner.Caption caption = captioner.describe(timeline);

            report.append("== ").append(clip.getKey()).append(String.format(Locale.ROOT, " (%.1f s)%n",
                    timeline.durationMicros() / (double) SECOND));
            report.append("   timeline:  ");
            for (TimelineTag t : timeline.tags()) {
                report.append(String.format(Locale.ROOT, "%s %.0f-%.0f s (peak %.2f, %.0f dBFS); ", t.label(),
                        t.onsetMicros() / (double) SECOND, t.offsetMicros() / (double) SECOND, t.peakScore(), t.loudnessDbfs()));
            }
            report.append("\n   generated: ").append(caption.text()).append('\n');
            for (String h : clip.getValue()) {
                report.append("   human:     ").append(h).append('\n');
            }
            report.append('\n');

            assertThat(caption.text()).as("caption of %s", clip.getKey()).isNotBlank().endsWith(".")
                    .doesNotContain("\n").matches("[A-Z].*");
            assertThat(caption.labels()).as("%s: caption '%s' speaks of a label scored >= %s (%s)", clip.getKey(),
                    caption.text(), MENTION_SCORE, scoredHigh).containsAnyElementsOf(scoredHigh);
        }
        Path out = Path.of("target", "caption-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    /** The clip as float samples per channel, in [-1, 1]. */
    private static float[][] monoSamples(File wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav)) {
            AudioFormat f = in.getFormat();
            assumeTrue(f.getEncoding() == AudioFormat.Encoding.PCM_SIGNED && f.getSampleSizeInBits() == 16,
                    "16-bit PCM expected: " + wav);
            byte[] bytes = in.readAllBytes();
            int channels = f.getChannels();
            int frames = bytes.length / (2 * channels);
            float[] mono = new float[frames];
            for (int i = 0; i < frames; i++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = (i * channels + c) * 2;
                    int v = f.isBigEndian() ? (bytes[at] << 8) | (bytes[at + 1] & 0xff) : (bytes[at + 1] << 8) | (bytes[at] & 0xff);
                    sum += v / 32768f;
                }
                mono[i] = sum / channels;
            }
            return new float[][] {mono, {f.getSampleRate()}};
        }
    }

    /** RMS level of [from, to) seconds in dBFS, as the streaming job computes a window's loudness. */
    private static float dbfs(float[][] audio, double from, double to) {
        float[] x = audio[0];
        float rate = audio[1][0];
        int a = (int) Math.max(0, Math.round(from * rate));
        int b = (int) Math.min(x.length, Math.round(to * rate));
        double energy = 0;
        for (int i = a; i < b; i++) {
            energy += (double) x[i] * x[i];
        }
        return b <= a || energy <= 0 ? -120f : (float) Math.max(-120, 10 * Math.log10(energy / (b - a)));
    }
}
