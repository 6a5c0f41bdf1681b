package io.hearken.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.hearken.config.HearkenConfig;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.inference.engine.AudioTagger;
import io.hearken.inference.engine.EngineSettings;
import io.hearken.inference.engine.InferenceDevice;
import io.hearken.inference.engine.Prediction;
import io.hearken.inference.engine.SharedTaggers;
import io.hearken.inference.engine.WindowAnalyzer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The inference operator alone, on golden log-mel windows and the real model. */
class BatchedWindowInferenceTest {
    private static final Path SHARED = Path.of(System.getProperty("hearken.shared.dir", "../../shared"));
    private static final Path MODEL = SHARED.resolve("models/efficientat-mn04").toAbsolutePath().normalize();
    private static final Path GOLDEN = SHARED.resolve("golden/efficientat-mn04");
    private static final int BINS = 128;

    private static JobSettings settings(Map<String, String> raw) {
        Map<String, String> all = new HashMap<>(raw);
        all.put("model.dir", MODEL.toString());
        return JobSettings.from(HearkenConfig.fromRaw(JobSettings.GROUPS, all));
    }

    private static OneInputStreamOperatorTestHarness<AudioWindow, WindowScores> harness(JobSettings settings) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<>(new BatchedWindowInference(settings),
                60_000, settings.inFlightWindows(), AsyncDataStream.OutputMode.ORDERED),
                TypeInformation.of(AudioWindow.class).createSerializer(new SerializerConfigImpl()));
    }

    /** Golden mel [128][frames] of {@code clip}, little-endian float32 as the file holds it. */
    private static float[] goldenMel(String clip) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(GOLDEN.resolve(clip + ".mel.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private static AudioWindow window(String stream, long index, float[] mel, int totalFrames, int start, int frames) {
        AudioWindow w = new AudioWindow();
        w.streamId = stream;
        w.windowIndex = index;
        w.startMicros = start * 10_000L;
        w.endMicros = (start + frames) * 10_000L;
        w.frames = frames;
        w.profile = "default";
        w.source = new SourceInfo();
        w.loudnessDbfs = -20f;
        ByteBuffer b = ByteBuffer.allocate(BINS * frames * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (frames > 0) {
            for (float v : StreamWindowerTest.slice(mel, totalFrames, start, start + frames)) {
                b.putFloat(v);
            }
        }
        w.mel = b.array();
        return w;
    }

    @Test
    void scoresWindowsInOrderOnTheConfiguredEngine() throws Exception {
        JobSettings settings = settings(Map.of("inference.device", "auto", "inference.intra.op.threads", "2",
                "job.feature.outputs", "embedding,late"));
        float[] cat = goldenMel("cat_3-95694-A-5");
        float[] alarm = goldenMel("alarm_clock_3-120526-B-37");
        List<AudioWindow> in = List.of(window("cat", 0, cat, 500, 0, 200), window("alarm", 0, alarm, 500, 100, 200),
                window("cat", 1, cat, 500, 100, 200), window("cat", 2, cat, 500, 300, 150), window("empty", 0, cat, 500, 0, 0));
        List<WindowScores> out;
        var harness = harness(settings);
        try {
            harness.open();
            assertThat(SharedTaggers.references(MODEL)).isEqualTo(1);
            AudioTagger shared = SharedTaggers.acquire(MODEL, EngineSettings.cpu(1));
            try {
                // auto without a CUDA provider falls back to the CPU, with the job's thread count.
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    assertThat(shared.device()).isEqualTo(InferenceDevice.CPU);
                }
                assertThat(shared.settings().intraOpThreads()).isEqualTo(2);
            } finally {
                SharedTaggers.release(MODEL);
            }
            for (int i = 0; i < in.size(); i++) {
                harness.processElement(in.get(i), i);
            }
            harness.endInput();
            out = new ArrayList<>(harness.extractOutputValues());
        } finally {
            harness.close();
        }
        assertThat(SharedTaggers.references(MODEL)).isZero();

        assertThat(out).extracting(w -> w.windowId).containsExactlyElementsOf(in.stream().map(AudioWindow::windowId).toList());
        try (AudioTagger tagger = AudioTagger.load(MODEL, EngineSettings.cpu(1))) {
            for (int i = 0; i < 4; i++) {
                AudioWindow w = in.get(i);
                WindowScores s = out.get(i);
                Prediction expected = tagger.predict(w.melValues(), w.frames);
                int[] classes = WindowAnalyzer.reportedClasses(expected.probabilities(), settings.scoreFloor(), settings.minTopClasses());
                assertThat(s.classIndices).as("window %d", i).containsExactly(classes);
                for (int c = 0; c < classes.length; c++) {
                    assertThat(s.classScores[c]).isCloseTo(expected.probabilities()[classes[c]], within(1e-5f));
                    assertThat(s.classLabels[c]).isEqualTo(tagger.labels().label(classes[c]));
                }
                assertThat(s.featureNames).containsExactly("embedding", "late");
                assertThat(s.featureValues[1]).hasSize(expected.feature("late").length);
                for (int k = 0; k < s.featureValues[1].length; k++) {
                    assertThat(s.featureValues[1][k]).isCloseTo(expected.feature("late")[k], within(1e-5f));
                }
                assertThat(s.modelId).isEqualTo(tagger.modelId());
            }
        }
        assertThat(out.get(4).classIndices).isEmpty();
        assertThat(out.get(4).featureValues).isEmpty();
    }

    /** A TaskManager whose ONNX Runtime lacks CUDA, for a job configured for it: the task fails at open, clearly. */
    @Test
    void cudaWithoutTheProviderFailsWhenTheOperatorOpens() throws Exception {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime has the CUDA provider");
        var harness = harness(settings(Map.of("inference.device", "cuda")));
        try {
            assertThatThrownBy(harness::open).satisfies(e -> {
                HearkenException cause = ExceptionUtils.findThrowable(e, HearkenException.class).orElseThrow();
                assertThat(cause.kind()).isEqualTo(ErrorKind.CONFIG);
                assertThat(cause.getMessage()).startsWith("inference.device=cuda:0 but this ONNX Runtime has no CUDA execution provider");
            });
        } finally {
            harness.close();
        }
        assertThat(SharedTaggers.references(MODEL)).isZero();
    }
}
