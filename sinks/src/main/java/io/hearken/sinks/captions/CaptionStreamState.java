package io.hearken.sinks.captions;

import io.hearken.sinks.tags.StreamTagState;
import java.util.ArrayList;
import java.util.List;

/** Per-stream state of the caption sink, stored as JSON (public fields). */
public final class CaptionStreamState {
    /** The stream's tag lifecycle, run with the same rules as the tag sink. */
    public StreamTagState tags = new StreamTagState();
    public boolean started;
    /** Start of the span the next caption describes. */
    public long spanStartMicros;
    /** Tags closed since the span started (still-open ones are read from {@link #tags}). */
    public List<TimelineTag> closed = new ArrayList<>();
    public double loudnessSum;
    public int windows;

    public CaptionStreamState() {
    }
}
