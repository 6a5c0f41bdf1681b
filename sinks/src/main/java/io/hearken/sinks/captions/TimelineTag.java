package io.hearken.sinks.captions;

/**
 * One tag on a stream's timeline, clipped to the span being captioned.
 *
 * @param label         AudioSet label or group name, as on the tag events
 * @param classIndex    model class index (for a group: the member that scored highest)
 * @param onsetMicros   start, epoch microseconds (not before the span's start)
 * @param offsetMicros  end (not after the span's end)
 * @param peakScore     highest score of the windows that heard it
 * @param meanScore     mean score of those windows
 * @param loudnessDbfs  mean loudness of those windows, dBFS
 * @param windows       how many windows heard it
 * @param ongoing       still sounding when the span ended
 */
public record TimelineTag(String label, int classIndex, long onsetMicros, long offsetMicros, float peakScore,
                          float meanScore, float loudnessDbfs, int windows, boolean ongoing) {
    public long durationMicros() {
        return offsetMicros - onsetMicros;
    }
}
