package io.hearken.inference.engine;

/**
 * Cumulative per-stage timings of an {@link AudioTagger}: pre-process (tensor build), inference (session.run) and
 * post-process (copy-out). A snapshot; the three stages are read one after another, not atomically together.
 */
public record StageTimings(Stage preprocess, Stage inference, Stage postprocess) {

    /** {@code calls} batches holding {@code windows} windows in total took {@code totalNanos}. */
    public record Stage(long calls, long windows, long totalNanos) {
        public double meanMillisPerCall() {
            return calls == 0 ? 0.0 : totalNanos / 1e6 / calls;
        }

        public double meanMillisPerWindow() {
            return windows == 0 ? 0.0 : totalNanos / 1e6 / windows;
        }

        public double totalMillis() {
            return totalNanos / 1e6;
        }
    }

    public double totalMillis() {
        return preprocess.totalMillis() + inference.totalMillis() + postprocess.totalMillis();
    }

    @Override
    public String toString() {
        return String.format("pre %d calls %.3f ms/call, inference %d calls %.3f ms/call (%.3f ms/window), "
                        + "post %d calls %.3f ms/call",
                preprocess.calls, preprocess.meanMillisPerCall(), inference.calls, inference.meanMillisPerCall(),
                inference.meanMillisPerWindow(), postprocess.calls, postprocess.meanMillisPerCall());
    }
}
