package org.clusterdrill.core;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One named object of a cluster's state, such as a network, a service or a secret, with the
 * attributes that a recovery must preserve.
 *
 * <p>Attributes are plain strings so that every platform can describe its objects the same way
 * and differences can be listed field by field. Ids, versions and timestamps are left out by the
 * platform that captures the state, because they change on every restore.
 *
 * @param kind the object's kind, for example {@code "network"} or {@code "secret"}
 * @param name the object's name, unique within its kind
 * @param attributes the compared attributes, sorted by name
 */
public record Resource(String kind, String name, SortedMap<String, String> attributes) {

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    /** Creates a resource from any map of attributes; null values are stored as empty strings. */
    public static Resource of(String kind, String name, Map<String, String> attributes) {
        SortedMap<String, String> copy = new TreeMap<>();
        attributes.forEach((key, value) -> copy.put(key, value == null ? "" : value));
        return new Resource(kind, name, copy);
    }

    /** Returns the attribute's value, or null when the resource has no such attribute. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    @Override
    public String toString() {
        return kind + " " + name + " " + attributes;
    }
}
