package io.hearken.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The known settings of a list of groups, indexed for lookup; rejects a key declared twice. */
final class Catalog {
    /** A key resolved to its field; {@code placeholder} is what a pattern key's {@code <name>} stands for, else null. */
    record Match(Field<?> field, String placeholder) {
    }

    private final List<ConfigGroup> groups;
    private final Map<String, Field<?>> exact = new LinkedHashMap<>();
    private final List<Field<?>> patterns = new ArrayList<>();
    private final Set<Field<?>> declared = Collections.newSetFromMap(new IdentityHashMap<>());

    Catalog(List<ConfigGroup> groups) {
        this.groups = List.copyOf(groups);
        Map<String, String> groupOfKey = new LinkedHashMap<>();
        Map<String, String> groupNames = new LinkedHashMap<>();
        for (ConfigGroup group : this.groups) {
            if (groupNames.put(group.name(), group.name()) != null) {
                throw new IllegalArgumentException("group " + group.name() + " is given twice");
            }
            for (Field<?> field : group.fields()) {
                // Pattern keys conflict when their fixed parts agree: a<x>b and a<y>b match the same keys.
                String identity = field.isPattern() ? field.keyFor("<>") : field.key();
                String previous = groupOfKey.put(identity, group.name());
                if (previous != null) {
                    throw new IllegalArgumentException("setting " + field.key() + " is declared in both " + previous
                            + " and " + group.name());
                }
                if (field.isPattern()) {
                    patterns.add(field);
                } else {
                    exact.put(field.key(), field);
                }
                declared.add(field);
            }
        }
        // Most specific pattern first, so lookup can take the first match.
        patterns.sort(Comparator.comparingInt((Field<?> f) -> f.fixedLength()).reversed());
    }

    List<ConfigGroup> groups() {
        return groups;
    }

    Iterable<Field<?>> exactFields() {
        return exact.values();
    }

    /** An exact key wins over a pattern; among patterns the one with the most fixed text wins. */
    Optional<Match> lookup(String key) {
        Field<?> field = exact.get(key);
        if (field != null) {
            return Optional.of(new Match(field, null));
        }
        for (Field<?> pattern : patterns) {
            Optional<String> name = pattern.match(key);
            if (name.isPresent()) {
                return Optional.of(new Match(pattern, name.get()));
            }
        }
        return Optional.empty();
    }

    void requireDeclared(Field<?> field) {
        if (!declared.contains(field)) {
            throw new IllegalArgumentException("setting " + field.key() + " is not declared in this configuration's groups");
        }
    }

    /** The message for a key nobody declared: the nearest known key, else the keys of its group, else the groups. */
    String unknown(String key) {
        // A pattern is compared with its placeholder filled from the key, but judged on its fixed part alone, so
        // that a long placeholder value cannot make an unrelated pattern look close.
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Field<?> field : fields()) {
            String candidate = field.closestInstance(key);
            int length = field.isPattern() ? field.fixedLength() : key.length();
            int distance = Texts.levenshtein(key, candidate);
            if (distance <= Math.max(3, length / 3) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        String head = "unknown setting " + Texts.quote(key);
        if (best != null) {
            return head + " (did you mean " + Texts.quote(best) + "?)";
        }
        Optional<ConfigGroup> group = groups.stream().filter(g -> key.startsWith(g.name() + "."))
                .max(Comparator.comparingInt(g -> g.name().length()));
        if (group.isPresent()) {
            return head + " (" + group.get().name() + " settings: "
                    + group.get().fields().stream().map(Field::key).collect(Collectors.joining(", ")) + ")";
        }
        return head + " (known groups: " + groups.stream().map(ConfigGroup::name).collect(Collectors.joining(", ")) + ")";
    }

    private List<Field<?>> fields() {
        return groups.stream().flatMap(g -> g.fields().stream()).collect(Collectors.toList());
    }
}
