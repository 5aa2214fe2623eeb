package org.clusterdrill.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * One difference between two cluster states: a resource that is missing, one that was added, or
 * one whose attributes changed.
 *
 * @param type what kind of difference this is
 * @param kind the resource's kind
 * @param name the resource's name
 * @param changes for {@link Type#CHANGED}, each attribute that differs; empty otherwise
 */
public record StateDifference(Type type, String kind, String name, List<AttributeChange> changes) {

    /** The kind of a difference. */
    public enum Type {
        MISSING, ADDED, CHANGED
    }

    /**
     * One attribute whose value differs; a null value means the attribute is absent on that side.
     */
    public record AttributeChange(String attribute, String before, String after) {
    }

    public StateDifference {
        changes = List.copyOf(changes);
    }

    /** Lists every difference from {@code before} to {@code after}, ordered by kind and name. */
    public static List<StateDifference> between(ClusterState before, ClusterState after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        TreeSet<String> kinds = new TreeSet<>(before.kinds());
        kinds.addAll(after.kinds());

        List<StateDifference> differences = new ArrayList<>();
        for (String kind : kinds) {
            SortedMap<String, Resource> expected = before.resources(kind);
            SortedMap<String, Resource> actual = after.resources(kind);
            TreeSet<String> names = new TreeSet<>(expected.keySet());
            names.addAll(actual.keySet());
            for (String name : names) {
                Resource was = expected.get(name);
                Resource is = actual.get(name);
                if (is == null) {
                    differences.add(new StateDifference(Type.MISSING, kind, name, List.of()));
                } else if (was == null) {
                    differences.add(new StateDifference(Type.ADDED, kind, name, List.of()));
                } else {
                    List<AttributeChange> changes = compareAttributes(was.attributes(), is.attributes());
                    if (!changes.isEmpty()) {
                        differences.add(new StateDifference(Type.CHANGED, kind, name, changes));
                    }
                }
            }
        }
        return differences;
    }

    private static List<AttributeChange> compareAttributes(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<AttributeChange> changes = new ArrayList<>();
        for (String key : keys) {
            String was = before.get(key);
            String is = after.get(key);
            if (!Objects.equals(was, is)) {
                changes.add(new AttributeChange(key, was, is));
            }
        }
        return changes;
    }

    /** Describes this difference in one or more lines, for assertion messages and reports. */
    public String describe() {
        return switch (type) {
            case MISSING -> "missing " + kind + " '" + name + "'";
            case ADDED -> "added " + kind + " '" + name + "'";
            case CHANGED -> {
                StringBuilder text = new StringBuilder("changed " + kind + " '" + name + "':");
                for (AttributeChange change : changes) {
                    text.append("\n      ").append(change.attribute()).append(": ")
                            .append(quoteOrAbsent(change.before())).append(" -> ").append(quoteOrAbsent(change.after()));
                }
                yield text.toString();
            }
        };
    }

    private static String quoteOrAbsent(String value) {
        return value == null ? "(absent)" : "\"" + value + "\"";
    }
}
