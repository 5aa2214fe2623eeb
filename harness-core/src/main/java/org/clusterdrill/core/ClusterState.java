package org.clusterdrill.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of what a cluster contains that a disaster recovery must preserve: networks, services,
 * users, secrets, configs and nodes, each as a {@link Resource} grouped by kind.
 *
 * <p>Instances are immutable. Compare two of them with
 * {@code ClusterDrillAssertions.assertThat(after).preserves(before)}.
 */
public final class ClusterState {

    private final String platform;
    private final Instant capturedAt;
    private final SortedMap<String, SortedMap<String, Resource>> resourcesByKind;

    private ClusterState(String platform, Instant capturedAt, SortedMap<String, SortedMap<String, Resource>> resourcesByKind) {
        this.platform = platform;
        this.capturedAt = capturedAt;
        this.resourcesByKind = resourcesByKind;
    }

    /** Starts a state for the named platform, such as {@code "swarm"} or {@code "kubernetes"}. */
    public static Builder builder(String platform) {
        return new Builder(platform);
    }

    public String platform() {
        return platform;
    }

    public Instant capturedAt() {
        return capturedAt;
    }

    /** Returns the kinds present in this state, sorted. */
    public List<String> kinds() {
        return List.copyOf(resourcesByKind.keySet());
    }

    /** Returns the resources of one kind by name, or an empty map when the state has none. */
    public SortedMap<String, Resource> resources(String kind) {
        SortedMap<String, Resource> resources = resourcesByKind.get(kind);
        return resources == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(resources);
    }

    /** Returns every resource, ordered by kind and then by name. */
    public List<Resource> allResources() {
        List<Resource> all = new ArrayList<>();
        resourcesByKind.values().forEach(byName -> all.addAll(byName.values()));
        return all;
    }

    /** Returns one resource, or null when the state has none of that kind and name. */
    public Resource resource(String kind, String name) {
        return resources(kind).get(name);
    }

    /** Returns the names of the resources of one kind. */
    public List<String> names(String kind) {
        return List.copyOf(resources(kind).keySet());
    }

    /** Lists this state one resource a line, as shown in assertion messages and reports. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Resource resource : allResources()) {
            text.append("  ").append(resource.kind()).append(' ').append(resource.name());
            resource.attributes().forEach((key, value) -> text.append("\n      ").append(key).append(": ").append(value));
            text.append('\n');
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterState state && state.resourcesByKind.equals(resourcesByKind);
    }

    @Override
    public int hashCode() {
        return resourcesByKind.hashCode();
    }

    @Override
    public String toString() {
        return platform + " state with " + allResources().size() + " resources:\n" + describe();
    }

    /** Collects resources for a {@link ClusterState}. */
    public static final class Builder {

        private final String platform;
        private final SortedMap<String, SortedMap<String, Resource>> resourcesByKind = new TreeMap<>();

        private Builder(String platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
        }

        /** Adds a resource; a second resource with the same kind and name is rejected. */
        public Builder add(Resource resource) {
            SortedMap<String, Resource> byName = resourcesByKind.computeIfAbsent(resource.kind(), kind -> new TreeMap<>());
            if (byName.putIfAbsent(resource.name(), resource) != null) {
                throw new IllegalArgumentException(
                        "Duplicate " + resource.kind() + " '" + resource.name() + "': names must be unique within a kind");
            }
            return this;
        }

        /** Adds a resource built from a kind, a name and its attributes. */
        public Builder add(String kind, String name, Map<String, String> attributes) {
            return add(Resource.of(kind, name, attributes));
        }

        /** Records that the cluster has no resources of a kind, so an empty kind is still compared. */
        public Builder kind(String kind) {
            resourcesByKind.computeIfAbsent(kind, k -> new TreeMap<>());
            return this;
        }

        public ClusterState build() {
            SortedMap<String, SortedMap<String, Resource>> copy = new TreeMap<>();
            resourcesByKind.forEach((kind, byName) -> copy.put(kind, Collections.unmodifiableSortedMap(new TreeMap<>(byName))));
            return new ClusterState(platform, Instant.now(), Collections.unmodifiableSortedMap(copy));
        }
    }
}
