package io.hearken.inference.job;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.WindowResult;
import io.hearken.schemas.serde.ConfluentAvroSerde;
import io.hearken.schemas.serde.RegistryClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** WindowScores → WindowResult (Confluent Avro) on hearken.audio.windows, keyed by stream id, timestamped at window end. */
public final class WindowResultSerializer implements KafkaRecordSerializationSchema<WindowScores> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String registryUrl;
    private transient ConfluentAvroSerde<WindowResult> serde;

    public WindowResultSerializer(String topic, String registryUrl) {
        this.topic = topic;
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = ConfluentAvroSerde.forValues(RegistryClients.create(registryUrl), WindowResult.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(WindowScores w, KafkaSinkContext context, Long timestamp) {
        byte[] value = serde.serialize(topic, toAvro(w));
        return new ProducerRecord<>(topic, null, w.endMicros / 1000, w.streamId.getBytes(StandardCharsets.UTF_8), value);
    }

    public static WindowResult toAvro(WindowScores w) {
        List<ClassScore> classes = new ArrayList<>(w.classIndices.length);
        for (int i = 0; i < w.classIndices.length; i++) {
            classes.add(new ClassScore(w.classIndices[i], w.classLabels[i], w.classScores[i]));
        }
        Map<String, List<Float>> features = new LinkedHashMap<>();
        for (int i = 0; i < w.featureNames.length; i++) {
            float[] values = w.featureValues[i];
            List<Float> list = new ArrayList<>(values.length);
            for (float v : values) {
                list.add(v);
            }
            features.put(w.featureNames[i], list);
        }
        return WindowResult.newBuilder()
                .setStreamId(w.streamId).setWindowId(w.windowId).setWindowIndex(w.windowIndex)
                .setWindowStartMicros(w.startMicros).setWindowEndMicros(w.endMicros).setProfile(w.profile)
                .setModelId(w.modelId).setModelVersion(w.modelVersion).setScoreFloor(w.scoreFloor)
                .setClassScores(classes).setFeatures(features).setLoudnessDbfs(w.loudnessDbfs)
                .setEndOfStream(w.endOfStream).setSource(w.source.toAvro())
                .build();
    }
}
