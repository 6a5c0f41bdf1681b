package io.hearken.sinks.captions;

import java.util.List;

/**
 * What a {@link Captioner} describes: a stretch of one stream and the tags heard in it, in onset order.
 *
 * @param meanLoudnessDbfs mean loudness of the span's windows (NaN when none was seen)
 */
public record TagTimeline(String streamId, long startMicros, long endMicros, List<TimelineTag> tags,
                          float meanLoudnessDbfs) {
    public TagTimeline {
        tags = List.copyOf(tags);
    }

    public long durationMicros() {
        return endMicros - startMicros;
    }
}
