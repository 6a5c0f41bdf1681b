package io.hearken.sinks.tags;

import io.hearken.schemas.ClassScore;
import io.hearken.schemas.WindowResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link TagRules} resolved for one stream: which names produce events and the rule of each. Immutable. */
public final class StreamRules {
    private final String override;
    private final LabelRule base;
    private final Map<String, LabelRule> byLabel;
    private final Map<String, List<String>> groupsOfMember = new HashMap<>();
    private final Set<String> groupKeys = new HashSet<>();
    private final Set<String> listen = new HashSet<>();
    private final Duration inactivityTimeout;

    /** A name that may produce events, with its score in one window. */
    public record Candidate(String label, float score, int classIndex) {
    }

    StreamRules(String override, LabelRule base, Map<String, LabelRule> byLabel, Collection<TagRules.Group> groups,
                List<String> listen, Duration inactivityTimeout) {
        this.override = override;
        this.base = base;
        this.byLabel = Map.copyOf(byLabel);
        for (TagRules.Group g : groups) {
            groupKeys.add(TagRules.lower(g.name()));
            for (String member : g.members()) {
                groupsOfMember.computeIfAbsent(TagRules.lower(member), k -> new ArrayList<>()).add(g.name());
            }
        }
        listen.forEach(l -> this.listen.add(TagRules.lower(l)));
        this.inactivityTimeout = inactivityTimeout;
    }

    /** The {@code streams} key that applied, or null. */
    public String override() {
        return override;
    }

    /** The rule of an event label (an AudioSet label or a group name). */
    public LabelRule rule(String label) {
        return byLabel.getOrDefault(TagRules.lower(label), base);
    }

    public Duration inactivityTimeout() {
        return inactivityTimeout;
    }

    /** Whether a label or group name may produce events on this stream. */
    public boolean listensTo(String name) {
        return listen.isEmpty() || listen.contains(TagRules.lower(name));
    }

    /**
     * The window's scores as event names: each group scores the maximum of its members; a grouped label stands for
     * itself only when {@code listen} names it; names {@code listen} leaves out are dropped. Sorted by name
     * (lower case), so that events come out in a stable order.
     */
    public Map<String, Candidate> candidates(WindowResult window) {
        Map<String, Candidate> out = new TreeMap<>();
        for (ClassScore score : window.getClassScores()) {
            String key = TagRules.lower(score.getLabel());
            List<String> groups = groupsOfMember.get(key);
            if (groups != null) {
                for (String group : groups) {
                    if (listensTo(group)) {
                        offer(out, group, score);
                    }
                }
            }
            boolean standsForItself = groups == null || listen.contains(key);
            if (standsForItself && listensTo(key)) {
                offer(out, score.getLabel(), score);
            }
        }
        return out;
    }

    private static void offer(Map<String, Candidate> out, String label, ClassScore score) {
        String key = TagRules.lower(label);
        Candidate current = out.get(key);
        if (current == null || score.getScore() > current.score()) {
            // A group keeps the name it was configured with, whichever member scored.
            String name = current != null ? current.label() : label;
            out.put(key, new Candidate(name, score.getScore(), score.getIndex()));
        }
    }

    boolean isGroup(String name) {
        return groupKeys.contains(TagRules.lower(name));
    }
}
