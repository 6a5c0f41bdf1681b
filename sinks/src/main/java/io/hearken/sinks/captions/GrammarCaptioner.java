package io.hearken.sinks.captions;

import io.hearken.error.HearkenException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One sentence per span from a small grammar over AudioSet labels, e.g. "A cat meows twice, then an alarm clock
 * rings over speech."
 *
 * <ul>
 *   <li>Each tag becomes a clause from a phrase table ({@code AudioSetPhrases}: "a cat" + "meows"; labels the table
 *       does not know read "&lt;label&gt; is heard"). Labels naming the same sound (Dog, Bark, Bow-wow, or a group
 *       name such as {@code dog}) merge into one sound; a generic label (Animal, Vehicle, Speech) gives way to the
 *       most salient specific one of its family heard in the same span, which takes over its occurrences (Vehicle
 *       and Train are one train); scene labels (Inside, small room) set the scene once
 *       ("In a small room, ..."); labels about the recording (Sound effect, Silence) are not described.</li>
 *   <li>Order: clauses follow the sounds' first onsets; a sound heard together with the previous one for more than
 *       half of the shorter one's time joins with "while", otherwise with "then".</li>
 *   <li>Background: a sound covering most of a long span while others happen is said last, "over &lt;it&gt;".</li>
 *   <li>Repetition: two occurrences read "twice", more "repeatedly". Duration: one short occurrence in a longer
 *       span reads "briefly", one covering most of it "throughout". Loudness (mean dBFS of the windows that heard the
 *       sound): "loudly" at or above {@link Style#loudDbfs()}, "faintly" at or below {@link Style#faintDbfs()}.</li>
 *   <li>At most {@link Style#maxClauses()} clauses, the most salient (peak score × √duration) kept.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class GrammarCaptioner implements Captioner {
    public static final String NAME = "grammar-v1";
    private static final long SECOND = 1_000_000L;

    private final Style style;

    /**
     * The wording; each parameter is a {@code sinks.captions.grammar.*} setting of {@link CaptionSettings}, which
     * holds its default.
     *
     * @param loudDbfs           mean window loudness at or above which a sound is "loud"
     * @param faintDbfs          at or below which it is "faint"
     * @param maxClauses         most sounds named in one sentence, background included
     * @param briefMicros        one occurrence this short (or shorter) in a span at least twice as long is "brief"
     * @param backgroundCoverage share of the span a sound must cover to be background or "throughout"
     */
    public record Style(float loudDbfs, float faintDbfs, int maxClauses, long briefMicros, double backgroundCoverage) {
        public Style {
            if (!(faintDbfs < loudDbfs)) {
                throw HearkenException.config(CaptionSettings.FAINT_DBFS.key() + " (" + faintDbfs + ") must be below "
                        + CaptionSettings.LOUD_DBFS.key() + " (" + loudDbfs + ")");
            }
            if (maxClauses < 1 || maxClauses > 10) {
                throw HearkenException.config(CaptionSettings.MAX_CLAUSES.key() + " must be in [1, 10], got " + maxClauses);
            }
            if (briefMicros < 0) {
                throw HearkenException.config(CaptionSettings.BRIEF.key() + " must be >= 0, got " + briefMicros + " µs");
            }
            if (!(backgroundCoverage > 0 && backgroundCoverage <= 1)) {
                throw HearkenException.config(CaptionSettings.BACKGROUND_COVERAGE.key() + " must be in (0, 1], got "
                        + backgroundCoverage);
            }
        }
    }

    /** The sentence and the timeline labels it speaks of. */
    public record Caption(String text, List<String> labels) {
    }

    /** With the default style of {@link CaptionSettings#defaults()}. */
    public GrammarCaptioner() {
        this(CaptionSettings.defaults().grammar());
    }

    public GrammarCaptioner(Style style) {
        this.style = style;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String caption(TagTimeline timeline) {
        return describe(timeline).text();
    }

    /** A sound of the span: all the tags that one phrase says. */
    private static final class Sound {
        final AudioSetPhrases.Phrase phrase;
        final List<long[]> occurrences = new ArrayList<>();
        final Set<String> labels = new LinkedHashSet<>();
        float peak;
        double loudnessSum;
        int windows;

        Sound(AudioSetPhrases.Phrase phrase) {
            this.phrase = phrase;
        }

        void add(TimelineTag tag) {
            labels.add(tag.label());
            occurrences.add(new long[] {tag.onsetMicros(), tag.offsetMicros()});
            peak = Math.max(peak, tag.peakScore());
            loudnessSum += (double) tag.loudnessDbfs() * tag.windows();
            windows += tag.windows();
        }

        void absorb(Sound other) {
            labels.addAll(other.labels);
            occurrences.addAll(other.occurrences);
            peak = Math.max(peak, other.peak);
            loudnessSum += other.loudnessSum;
            windows += other.windows;
            merge();
        }

        /** Overlapping or touching occurrences (Siren and Emergency vehicle together) are one. */
        void merge() {
            occurrences.sort(Comparator.comparingLong(o -> o[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] o : occurrences) {
                long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && o[0] <= last[1]) {
                    last[1] = Math.max(last[1], o[1]);
                } else {
                    merged.add(new long[] {o[0], o[1]});
                }
            }
            occurrences.clear();
            occurrences.addAll(merged);
        }

        long first() {
            return occurrences.get(0)[0];
        }

        long last() {
            return occurrences.stream().mapToLong(o -> o[1]).max().orElse(first());
        }

        long duration() {
            return occurrences.stream().mapToLong(o -> o[1] - o[0]).sum();
        }

        double salience() {
            return peak * Math.sqrt(Math.max(duration(), SECOND / 10) / (double) SECOND);
        }

        float loudness() {
            return windows == 0 ? Float.NaN : (float) (loudnessSum / windows);
        }
    }

    public Caption describe(TagTimeline timeline) {
        long span = Math.max(1, timeline.durationMicros());
        Map<AudioSetPhrases.Phrase, Sound> sounds = new LinkedHashMap<>();
        String setting = null;
        String settingLabel = null;
        float settingPeak = 0f;
        boolean silence = false;
        for (TimelineTag tag : timeline.tags()) {
            if (tag.durationMicros() <= 0) {
                continue;
            }
            String where = AudioSetPhrases.setting(tag.label());
            if (where != null) {
                if (tag.peakScore() > settingPeak) {
                    setting = where;
                    settingLabel = tag.label();
                    settingPeak = tag.peakScore();
                }
                continue;
            }
            if (AudioSetPhrases.silence(tag.label())) {
                silence = true;
                continue;
            }
            if (AudioSetPhrases.ignored(tag.label())) {
                continue;
            }
            AudioSetPhrases.Phrase phrase = AudioSetPhrases.phrase(tag.label());
            sounds.computeIfAbsent(phrase != null ? phrase : AudioSetPhrases.fallback(tag.label()), Sound::new).add(tag);
        }
        sounds.values().forEach(Sound::merge);

        // A generic sound (Animal, Vehicle, Speech) gives way to the most salient specific one of its family, which
        // takes over its occurrences: Vehicle 19-23 s and Train 21-23 s are one train passing from 19 s.
        List<Sound> kept = new ArrayList<>(sounds.values());
        List<Sound> generics = new ArrayList<>(kept.stream().filter(x -> x.phrase.generic()).toList());
        generics.sort(Comparator.comparingInt((Sound x) -> x.phrase.depth()).reversed());
        for (Sound g : generics) {
            Sound heir = null;
            for (Sound x : kept) {
                boolean narrower = !x.phrase.generic() || x.phrase.depth() > g.phrase.depth();
                if (x != g && narrower && x.phrase.within(g.phrase.family())
                        && (heir == null || x.salience() > heir.salience())) {
                    heir = x;
                }
            }
            if (heir != null) {
                heir.absorb(g);
                kept.remove(g);
            }
        }

        if (kept.isEmpty()) {
            boolean quiet = silence || timeline.meanLoudnessDbfs() <= style.faintDbfs();
            String text = (quiet ? "it is quiet" : "nothing distinct is heard") + (setting == null ? "" : " " + setting);
            return new Caption(sentence(text), settingLabel == null ? List.of() : List.of(settingLabel));
        }

        kept.sort(Comparator.comparingDouble(Sound::salience).reversed());
        if (kept.size() > style.maxClauses()) {
            kept = new ArrayList<>(kept.subList(0, style.maxClauses()));
        }
        Sound background = null;
        if (kept.size() >= 2 && span >= 4 * SECOND) {
            for (Sound s : kept) {
                if (s.occurrences.size() == 1 && s.duration() >= style.backgroundCoverage() * span) {
                    background = s; // the most salient of those covering the span
                    break;
                }
            }
        }
        List<Sound> foreground = new ArrayList<>(kept);
        foreground.remove(background);
        foreground.sort(Comparator.comparingLong(Sound::first).thenComparing(Comparator.comparingDouble(Sound::salience).reversed()));

        StringBuilder text = new StringBuilder();
        if (setting != null) {
            text.append(setting).append(", ");
        }
        List<String> labels = new ArrayList<>();
        Sound previous = null;
        boolean previousWhile = false;
        for (int i = 0; i < foreground.size(); i++) {
            Sound s = foreground.get(i);
            String verb = s.phrase.verb() + modifiers(s, span, background != null);
            if (previous == null) {
                text.append(s.phrase.subject()).append(' ').append(verb);
            } else if (overlaps(previous, s) && previous.phrase.subject().equals(s.phrase.subject())) {
                text.append(" and ").append(verb); // a dog barks and growls
            } else if (overlaps(previous, s)) {
                text.append(previousWhile ? " and " : " while ").append(s.phrase.clause()).append(modifiers(s, span, background != null));
                previousWhile = true;
            } else {
                boolean last = i == foreground.size() - 1;
                text.append(last && i >= 2 ? ", and then " : ", then ").append(s.phrase.clause()).append(modifiers(s, span, background != null));
                previousWhile = false;
            }
            labels.addAll(s.labels);
            previous = s;
        }
        if (background != null) {
            text.append(" over ").append(background.phrase.background());
            labels.addAll(background.labels);
        }
        if (settingLabel != null) {
            labels.add(settingLabel);
        }
        return new Caption(sentence(text.toString()), List.copyOf(labels));
    }

    /** " loudly twice", " briefly and faintly", " repeatedly", ... */
    private String modifiers(Sound s, long span, boolean hasBackground) {
        String loudness = null;
        if (s.loudness() >= style.loudDbfs()) {
            loudness = "loudly";
        } else if (s.loudness() <= style.faintDbfs()) {
            loudness = "faintly";
        }
        String how = null;
        int times = s.occurrences.size();
        if (times == 2) {
            how = "twice";
        } else if (times > 2) {
            how = "repeatedly";
        } else if (s.duration() <= style.briefMicros() && span >= 2 * s.duration()) {
            how = "briefly";
        } else if (!hasBackground && span >= 4 * SECOND && s.duration() >= style.backgroundCoverage() * span) {
            how = "throughout";
        }
        if (loudness == null) {
            return how == null ? "" : " " + how;
        }
        if (how == null) {
            return " " + loudness;
        }
        // "loudly twice", "faintly throughout", but "briefly and faintly", "loudly and repeatedly"
        return switch (how) {
            case "twice", "throughout" -> " " + loudness + " " + how;
            case "briefly" -> " briefly and " + loudness;
            default -> " " + loudness + " and " + how;
        };
    }

    /** Whether two sounds are heard together for more than half of the shorter one's time. */
    private static boolean overlaps(Sound a, Sound b) {
        long together = 0;
        for (long[] x : a.occurrences) {
            for (long[] y : b.occurrences) {
                together += Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
            }
        }
        return together > 0 && together * 2 > Math.min(a.duration(), b.duration());
    }

    private static String sentence(String text) {
        String t = text.strip();
        return t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1) + ".";
    }
}
