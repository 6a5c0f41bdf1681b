package io.hearken.inference.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Which windows a finite stream of {@code total} frames yields — the rule {@link StreamWindower} follows
 * incrementally, written once for whole signals (offline tagging and tests): regular windows every hop while
 * frames remain beyond their end, then exactly one final window ending at the last frame.
 */
public final class WindowPlan {
    private WindowPlan() {
    }

    public record Span(long start, long end, boolean last) {
    }

    public static List<Span> spans(long total, int window, int hop) {
        List<Span> spans = new ArrayList<>();
        long k = 0;
        while (k * hop + window < total) {
            spans.add(new Span(k * hop, k * hop + window, false));
            k++;
        }
        long nextStart = k * hop;
        long start = nextStart + window == total ? nextStart : Math.max(0, total - window);
        spans.add(new Span(start, total, true));
        return spans;
    }
}
