package org.clusterdrill.k8s;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of one kind cluster: annotation attributes first, then system properties, then
 * environment variables, then defaults. Validated before anything runs.
 */
record KindSettings(int controlPlanes, int workers, String nodeImage, Duration timeout) {

    /**
     * Node image of Kubernetes 1.33.1 published by the kind project. A node image must suit the
     * kind release that runs it; kind's release notes list the images made for each release.
     */
    // NOTE: not checked against a kind release on this project's machines, which have no kind; pin a digest in real use.
    static final String DEFAULT_NODE_IMAGE = "kindest/node:v1.33.1";
    static final int DEFAULT_TIMEOUT_SECONDS = 300;
    static final String NODE_IMAGE_PROPERTY = "clusterdrill.kind.node.image";
    static final String TIMEOUT_PROPERTY = "clusterdrill.timeout.seconds";

    static KindSettings from(KindCluster annotation) {
        return from(annotation, System::getProperty, System::getenv);
    }

    static KindSettings from(KindCluster annotation, Function<String, String> properties, Function<String, String> environment) {
        if (annotation.controlPlanes() < 1) {
            throw invalid("controlPlanes", annotation.controlPlanes(), "a cluster needs at least 1 control-plane node; use controlPlanes = 1 or more");
        }
        if (annotation.workers() < 0) {
            throw invalid("workers", annotation.workers(), "use workers = 0 or more");
        }
        if (annotation.timeoutSeconds() < 0) {
            throw invalid("timeoutSeconds", annotation.timeoutSeconds(), "use a positive number of seconds, or 0 for the default");
        }
        String nodeImage = firstNonBlank(annotation.nodeImage(), properties.apply(NODE_IMAGE_PROPERTY),
                environment.apply(environmentName(NODE_IMAGE_PROPERTY)), DEFAULT_NODE_IMAGE);
        int timeoutSeconds = annotation.timeoutSeconds() > 0 ? annotation.timeoutSeconds()
                : parseTimeout(firstNonBlank(properties.apply(TIMEOUT_PROPERTY), environment.apply(environmentName(TIMEOUT_PROPERTY)),
                String.valueOf(DEFAULT_TIMEOUT_SECONDS)));
        return new KindSettings(annotation.controlPlanes(), annotation.workers(), nodeImage, Duration.ofSeconds(timeoutSeconds));
    }

    private static int parseTimeout(String text) {
        try {
            int seconds = Integer.parseInt(text.trim());
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw new ExtensionConfigurationException("Invalid " + TIMEOUT_PROPERTY + " (or " + environmentName(TIMEOUT_PROPERTY)
                + ") = '" + text + "': use a whole number of seconds greater than 0");
    }

    private static ExtensionConfigurationException invalid(String attribute, int value, String fix) {
        return new ExtensionConfigurationException("Invalid @KindCluster(" + attribute + " = " + value + "): " + fix);
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        throw new IllegalArgumentException("The last value must be a default");
    }

    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
