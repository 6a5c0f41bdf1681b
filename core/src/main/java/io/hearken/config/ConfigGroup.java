package io.hearken.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one component ({@code job}, {@code inference}, {@code sinks.anomaly}), with a one-line description
 * for the reference. Fields keep their declaration order. A bad declaration (bad name, duplicate key, a default its
 * own field rejects) is a bug and throws {@link IllegalArgumentException}.
 */
public record ConfigGroup(String name, String description, List<Field<?>> fields) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

    public ConfigGroup {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad group name '" + name + "': use lower-case dotted segments");
        }
        Objects.requireNonNull(description, "description");
        fields = List.copyOf(fields);
        Set<String> keys = new HashSet<>();
        for (Field<?> field : fields) {
            if (!keys.add(field.key())) {
                throw new IllegalArgumentException("group " + name + " declares " + field.key() + " twice");
            }
            field.checkDeclaration();
        }
    }

    public static ConfigGroup of(String name, String description, Field<?>... fields) {
        return new ConfigGroup(name, description, List.of(fields));
    }
}
