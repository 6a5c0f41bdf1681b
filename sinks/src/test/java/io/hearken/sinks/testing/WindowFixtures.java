package io.hearken.sinks.testing;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.SourceMetadata;
import io.hearken.schemas.WindowResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.TestInputTopic;

/** Window results as the inference job writes them, for the sink topology tests. */
public final class WindowFixtures {
    public static final long SECOND = 1_000_000L;
    /** Event times in micros, well after epoch 0 where the drivers' clocks start. */
    public static final long T0 = 1_700_000_000L * SECOND;

    private WindowFixtures() {
    }

    /** Label and score pairs, kept in the order given: {@code scores("Cat", 0.9, "Dog", 0.4)}. */
    public static Map<String, Float> scores(Object... labelScore) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < labelScore.length; i += 2) {
            m.put((String) labelScore[i], ((Number) labelScore[i + 1]).floatValue());
        }
        return m;
    }

    /** Class scores best first, as the inference job sorts them; {@code classIndex} gives each label's index. */
    public static List<ClassScore> classScores(Map<String, Float> scores, ToIntFunction<String> classIndex) {
        List<ClassScore> classScores = new ArrayList<>();
        scores.forEach((label, score) -> classScores.add(new ClassScore(classIndex.applyAsInt(label), label, score)));
        classScores.sort((a, b) -> Float.compare(b.getScore(), a.getScore()));
        return classScores;
    }

    /** A 2 s window of {@code stream} starting {@code second} s after T0: one window per second of audio. */
    public static WindowResult twoSecondWindow(String stream, int second, float dbfs, boolean last,
                                               List<ClassScore> classScores, SourceMetadata source) {
        long start = T0 + second * SECOND;
        return WindowResult.newBuilder()
                .setStreamId(stream).setWindowId(stream + "@" + start).setWindowIndex(second)
                .setWindowStartMicros(start).setWindowEndMicros(start + 2 * SECOND)
                .setModelId("m").setModelVersion("v").setScoreFloor(0.05f).setClassScores(classScores)
                .setLoudnessDbfs(dbfs).setEndOfStream(last)
                .setSource(source)
                .build();
    }

    /** Keyed by stream id and stamped with the window's end, when the inference job can first emit it. */
    public static void pipeAtWindowEnd(TestInputTopic<String, WindowResult> windows, WindowResult w) {
        windows.pipeInput(w.getStreamId(), w, Instant.ofEpochMilli(w.getWindowEndMicros() / 1000));
    }
}
