package org.clusterdrill.swarm;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * The labels that mark every Docker object of the harness, so that a later run can find and
 * remove what a killed run left behind.
 */
final class RunLabels {

    /** Id of one cluster; every container, network and volume of it carries this label. */
    static final String RUN = "org.clusterdrill.run";
    /** The JVM that owns the object, as {@code host/pid/start-millis}. */
    static final String OWNER = "org.clusterdrill.owner";
    static final String NODE = "org.clusterdrill.node";
    /** Marks the short-lived services the harness runs to read secret hashes. */
    static final String PROBE = "org.clusterdrill.probe";
    /** Marks a run whose cluster was kept after a failure; sweeps leave every object of that run alone. */
    static final String KEPT = "org.clusterdrill.kept";

    private static final String THIS_OWNER = hostName() + "/" + ProcessHandle.current().pid() + "/"
            + ManagementFactory.getRuntimeMXBean().getStartTime();

    private RunLabels() {
    }

    static Map<String, String> forRun(String runId) {
        return Map.of(RUN, runId, OWNER, THIS_OWNER);
    }

    static Map<String, String> forNode(String runId, String node) {
        return Map.of(RUN, runId, OWNER, THIS_OWNER, NODE, node);
    }

    /**
     * Tells whether the JVM named by an owner label still runs. Owners on other hosts cannot be
     * checked from here, so they count as alive and their objects are left alone.
     */
    static boolean ownerAlive(String owner) {
        if (owner == null) {
            return false;
        }
        String[] parts = owner.split("/");
        if (parts.length != 3 || !parts[0].equals(hostName())) {
            return true;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long startMillis = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            // A pid can be reused: the process only counts when it started when the owner did.
            return process.flatMap(p -> p.info().startInstant())
                    .map(start -> Math.abs(start.toEpochMilli() - startMillis) < 2_000)
                    .orElse(process.isPresent());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String thisOwner() {
        return THIS_OWNER;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
