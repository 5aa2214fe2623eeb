package org.clusterdrill.core;

/** The version of Cluster Drill that wrote a report. */
final class HarnessVersion {

    /** Environment key under which reports show the version. */
    static final String ENVIRONMENT_KEY = "harness.version";

    private HarnessVersion() {
    }

    /**
     * Returns the {@code Implementation-Version} of the harness-core jar's manifest, or
     * {@code "development"} when the classes were not loaded from a packaged jar, as in this module's own tests.
     */
    static String current() {
        String version = HarnessVersion.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "development" : version;
    }
}
