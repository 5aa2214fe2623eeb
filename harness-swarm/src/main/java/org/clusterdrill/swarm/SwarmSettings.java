package org.clusterdrill.swarm;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of one cluster: annotation attributes first, then system properties, then
 * environment variables, then defaults. Validated before anything touches Docker.
 */
record SwarmSettings(int managers, int workers, String nodeImage, String workloadImage, NodeMode nodeMode,
                     Transport transport, PullPolicy pullPolicy, Duration timeout, boolean keepBackups,
                     boolean keepOnFailure, boolean explain, boolean reuse) {

    /** Official docker-in-docker image, pinned; its engine is what users run in production. */
    static final String DEFAULT_NODE_IMAGE = "docker:27.5.1-dind";
    static final String DEFAULT_WORKLOAD_IMAGE = "busybox:1.37.0";
    static final int DEFAULT_TIMEOUT_SECONDS = 120;

    /** Whether a missing image may be pulled. */
    enum PullPolicy {
        MISSING, NEVER
    }

    static SwarmSettings from(SwarmCluster annotation) {
        return from(annotation, System::getProperty, System::getenv);
    }

    static SwarmSettings from(SwarmCluster annotation, Function<String, String> properties, Function<String, String> environment) {
        if (annotation.managers() < 1) {
            throw invalid("managers", annotation.managers(), "a swarm needs at least 1 manager; use managers = 1 or more");
        }
        if (annotation.workers() < 0) {
            throw invalid("workers", annotation.workers(), "use workers = 0 or more");
        }
        if (annotation.timeoutSeconds() < 0) {
            throw invalid("timeoutSeconds", annotation.timeoutSeconds(), "use a positive number of seconds, or 0 for the default");
        }
        Lookup lookup = new Lookup(properties, environment);
        String nodeImage = lookup.value(annotation.nodeImage(), "clusterdrill.node.image", DEFAULT_NODE_IMAGE);
        String workloadImage = lookup.value(annotation.workloadImage(), "clusterdrill.workload.image", DEFAULT_WORKLOAD_IMAGE);
        NodeMode nodeMode = annotation.nodeMode() != NodeMode.AUTO ? annotation.nodeMode()
                : lookup.enumValue("clusterdrill.node.mode", NodeMode.class, NodeMode.AUTO);
        Transport transport = annotation.transport() != Transport.AUTO ? annotation.transport()
                : lookup.enumValue("clusterdrill.transport", Transport.class, Transport.AUTO);
        PullPolicy pullPolicy = lookup.enumValue("clusterdrill.pull", PullPolicy.class, PullPolicy.MISSING);
        int timeoutSeconds = annotation.timeoutSeconds() > 0 ? annotation.timeoutSeconds()
                : lookup.intValue("clusterdrill.timeout.seconds", DEFAULT_TIMEOUT_SECONDS);
        boolean keepBackups = Boolean.parseBoolean(lookup.value("", "clusterdrill.keep.backups", "false"));
        boolean keepOnFailure = Boolean.parseBoolean(lookup.value("", "clusterdrill.keep.on.failure", "false"));
        boolean explain = annotation.explain() || Boolean.parseBoolean(lookup.value("", "clusterdrill.explain", "false"));
        boolean reuse = annotation.reuse() || Boolean.parseBoolean(lookup.value("", "clusterdrill.reuse", "false"));
        return new SwarmSettings(annotation.managers(), annotation.workers(), nodeImage, workloadImage, nodeMode,
                transport, pullPolicy, Duration.ofSeconds(timeoutSeconds), keepBackups, keepOnFailure, explain, reuse);
    }

    /** Returns these settings with the images replaced, for example by their substituted names. */
    SwarmSettings withImages(String node, String workload) {
        return new SwarmSettings(managers, workers, node, workload, nodeMode, transport, pullPolicy, timeout, keepBackups,
                keepOnFailure, explain, reuse);
    }

    /** Returns what a shared cluster must match to serve another class: its topology, images and node setup. */
    String reuseKey() {
        return managers + "m/" + workers + "w/" + nodeImage + "/" + workloadImage + "/" + nodeMode + "/" + transport;
    }

    private static ExtensionConfigurationException invalid(String attribute, Object value, String fix) {
        return new ExtensionConfigurationException(
                "Invalid @SwarmCluster(" + attribute + " = " + value + "): " + fix);
    }

    /** Reads a setting from a system property, then from its environment variable. */
    private record Lookup(Function<String, String> properties, Function<String, String> environment) {

        String value(String attribute, String property, String fallback) {
            if (!attribute.isBlank()) {
                return attribute.trim();
            }
            String fromProperty = properties.apply(property);
            if (fromProperty != null && !fromProperty.isBlank()) {
                return fromProperty.trim();
            }
            String fromEnvironment = environment.apply(environmentName(property));
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                return fromEnvironment.trim();
            }
            return fallback;
        }

        <E extends Enum<E>> E enumValue(String property, Class<E> type, E fallback) {
            String text = value("", property, fallback.name());
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("Invalid " + property + " (or " + environmentName(property)
                        + ") = '" + text + "': use one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
            }
        }

        int intValue(String property, int fallback) {
            String text = value("", property, String.valueOf(fallback));
            try {
                int parsed = Integer.parseInt(text);
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below with the allowed values
            }
            throw new ExtensionConfigurationException("Invalid " + property + " (or " + environmentName(property)
                    + ") = '" + text + "': use a whole number of seconds greater than 0");
        }

        static String environmentName(String property) {
            return property.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }
}
