package io.hearken.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Settings shaped like Hearken's own, for the tests. */
final class SampleSettings {
    private static final Pattern CUDA = Pattern.compile("cuda(:\\d+)?");

    static final Field<Duration> CHECKPOINT_INTERVAL = Field.duration("job.checkpoint.interval")
            .withDefault(Duration.ofSeconds(1))
            .withDescription("How often the job checkpoints; exactly-once output becomes visible at each.")
            .withValidator(Validators.atLeast(Duration.ofMillis(100)));
    static final Field<Integer> PARALLELISM = Field.integer("job.parallelism").withDefault(1)
            .withDescription("Parallel instances of each operator.").withValidator(Validators.range(1, 1024));
    static final Field<String> DELIVERY = Field.enumeration("job.delivery.guarantee", "exactly-once", "at-least-once")
            .withDefault("exactly-once").withDescription("Kafka delivery guarantee of the job's output.");
    static final Field<Duration> PROFILE_WINDOW = Field.duration("job.profile.<name>.window")
            .withDefault(Duration.ofSeconds(2)).withDescription("Window length of a named profile.");

    static final Field<String> DEVICE = Field.string("inference.device").withDefault("cpu")
            .withAllowed("cpu, cuda, cuda:N, auto").withDescription("Where the model runs.")
            .withParser(s -> {
                if (s.equals("cpu") || s.equals("auto") || CUDA.matcher(s).matches()) {
                    return s;
                }
                throw new IllegalArgumentException("is not allowed");
            });
    static final Field<Integer> CAPACITY = Field.integer("inference.capacity").withDefault(16).withUnit("windows")
            .withDescription("Windows in flight to the model | per task.").withValidator(Validators.atLeast(1));
    static final Field<List<String>> OUTPUTS = Field.list("inference.outputs").withDefault(List.of("logits", "embedding"))
            .withDescription("Model outputs to publish.");

    static final Field<Long> ENROL = Field.longInteger("sinks.anomaly.enrol.duration.ms").withDefault(5000L).withUnit("ms")
            .withDescription("How long a stream is learnt before it is monitored.");
    static final Field<Double> LEVEL = Field.number("sinks.anomaly.min.level").withDefault(-60.0).withUnit("dBFS")
            .withDescription("Quieter windows are not scored.");
    static final Field<Boolean> ENABLED = Field.bool("sinks.anomaly.enabled").withDefault(true).withDescription("Run the anomaly sink.");
    static final Field<String> GROUP = Field.string("sinks.anomaly.group.<stream>")
            .withDescription("Streams in one group share one model of normal.");

    static final ConfigGroup JOB = ConfigGroup.of("job", "The streaming job.", CHECKPOINT_INTERVAL, PARALLELISM, DELIVERY, PROFILE_WINDOW);
    static final ConfigGroup INFERENCE = ConfigGroup.of("inference", "Model inference.", DEVICE, CAPACITY, OUTPUTS);
    static final ConfigGroup ANOMALY = ConfigGroup.of("sinks.anomaly", "The anomaly sink.", ENROL, LEVEL, ENABLED, GROUP);

    static final List<ConfigGroup> ALL = List.of(JOB, INFERENCE, ANOMALY);

    private SampleSettings() {
    }
}
