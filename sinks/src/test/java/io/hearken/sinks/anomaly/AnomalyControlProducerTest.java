package io.hearken.sinks.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.schemas.AnomalyAction;
import io.hearken.schemas.AnomalyControl;
import io.hearken.schemas.serde.RegistryClients;
import io.hearken.schemas.topics.HearkenTopics;
import io.hearken.schemas.topics.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AnomalyControlProducerTest {
    private static final String REGISTRY_URL = "mock://AnomalyControlProducerTest";
    private static final Topic<String, AnomalyControl> TOPIC =
            new HearkenTopics(RegistryClients.create(REGISTRY_URL)).anomalyControl;

    @AfterAll
    static void dropRegistry() {
        RegistryClients.dropMockScope(REGISTRY_URL);
    }

    private static AnomalyControl control(String stream, AnomalyAction action) {
        return AnomalyControl.newBuilder().setControlId(stream + "-" + action).setStreamId(stream).setGroup(null)
                .setAction(action).setFeatureName("mid").setModelId("m").setVectors(List.of())
                .setIssuedAtMicros(1).build();
    }

    private static MockProducer<String, AnomalyControl> mock(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, TOPIC.keySerde().serializer(), TOPIC.valueSerde().serializer());
    }

    @Test
    void recordsGoInOrderKeyedByStream() {
        MockProducer<String, AnomalyControl> mock = mock(true);
        try (AnomalyControlProducer producer = new AnomalyControlProducer(mock, TOPIC, "kafka:9092", Duration.ofSeconds(5))) {
            producer.publish(List.of(control("pump-3", AnomalyAction.ENROL), control("pump-3", AnomalyAction.FINISH_ENROLMENT),
                    control("fan-1", AnomalyAction.RESET)));
            assertThat(producer.topicName()).isEqualTo("hearken.control.anomaly");
        }
        assertThat(mock.history()).extracting(ProducerRecord::topic).containsOnly(TOPIC.name());
        assertThat(mock.history()).extracting(ProducerRecord::key).containsExactly("pump-3", "pump-3", "fan-1");
        assertThat(mock.history()).extracting(r -> r.value().getAction()).containsExactly(AnomalyAction.ENROL,
                AnomalyAction.FINISH_ENROLMENT, AnomalyAction.RESET);
        assertThat(mock.closed()).isTrue();
    }

    @Test
    void noAcknowledgementInTimeIsTransientNamingTheBroker() {
        // Never completed: the wait for the acknowledgement runs into the timeout.
        try (AnomalyControlProducer producer = new AnomalyControlProducer(mock(false), TOPIC, "kafka:9092",
                Duration.ofMillis(50))) {
            assertThatThrownBy(() -> producer.publish(List.of(control("pump-3", AnomalyAction.RESET))))
                    .isInstanceOfSatisfying(HearkenException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT))
                    .hasMessageStartingWith("cannot publish to hearken.control.anomaly at kafka:9092: ");
        }
    }

    @Test
    void unusableBootstrapServersAreAConfigError() {
        assertThatThrownBy(() -> AnomalyControlProducer.create("no port here", TOPIC, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(HearkenException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("bootstrap servers 'no port here': ");
    }
}
