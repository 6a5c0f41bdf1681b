package io.hearken.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void transactionalProduceIsSeenExactlyOnceByReadCommittedConsumer() throws Exception {
        String topic = "embedded-test";
        Path dataDir;
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.printf("embedded Kafka started in %d ms at %s%n",
                    Duration.ofNanos(System.nanoTime() - t0).toMillis(), broker.bootstrapServers());
            dataDir = broker.dataDir();
            assertThat(dataDir).isDirectory();

            broker.createTopics(Map.of(topic, 2));
            broker.createTopic(topic, 2, Map.of("retention.ms", "600000")); // idempotent: exists already

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
                assertThat(description.partitions()).hasSize(2);
            }

            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-test-tx");
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
                producer.initTransactions();

                producer.beginTransaction();
                for (int i = 0; i < 4; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "committed-" + i));
                }
                producer.commitTransaction();

                producer.beginTransaction();
                for (int i = 0; i < 4; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "aborted-" + i));
                }
                producer.flush();
                producer.abortTransaction();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, 0, "k-last", "committed-last"));
                producer.commitTransaction();
            }

            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-test-group");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < 5 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                // Nothing more arrives: the aborted records stay invisible.
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).containsExactlyInAnyOrder(
                    "committed-0", "committed-1", "committed-2", "committed-3", "committed-last");
        }
        assertThat(Files.exists(dataDir)).as("temporary data directory deleted on close").isFalse();
    }

    @Test
    void givenDataDirIsKeptAndReusedAcrossRestarts(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("kafka");
        Properties overrides = new Properties();
        overrides.setProperty("num.partitions", "3");
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, overrides)) {
            clusterId = broker.clusterId();
            broker.createTopics(Map.of("kept", 1));
        }
        assertThat(dataDir).isDirectory();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).overrides(overrides).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            assertThat(admin.listTopics().names().get()).contains("kept");
        }
        assertThat(dataDir).isDirectory();
    }

    @Test
    void notReadyWithinTheStartupTimeoutIsATransientFailureAndCleansUp(@TempDir Path dir) {
        HearkenException e = catchThrowableOfType(HearkenException.class,
                () -> EmbeddedKafkaBroker.builder().dataDir(dir.resolve("slow")).startupTimeout(Duration.ofMillis(1)).start());
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).contains("did not answer describeCluster");
    }

    @Test
    void invalidOverrideIsAConfigError() {
        HearkenException e = catchThrowableOfType(HearkenException.class,
                () -> EmbeddedKafkaBroker.builder().override("num.io.threads", "many").start());
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("num.io.threads");
    }
}
