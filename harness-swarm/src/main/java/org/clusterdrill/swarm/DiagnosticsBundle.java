package org.clusterdrill.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.clusterdrill.core.Drill;
import org.clusterdrill.core.DrillEvent;
import org.clusterdrill.core.DrillReportWriter;
import org.clusterdrill.core.PhaseRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence of a failed drill in one text file beside its report: each node's engine log tail
 * and {@code docker info}, the swarm's nodes and every service's tasks, and the drill's timeline.
 * Secret values registered with the drill are masked.
 */
final class DiagnosticsBundle {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsBundle.class);
    private static final int LOG_LINES = 200;
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private DiagnosticsBundle() {
    }

    /** Returns the path of the bundle {@code <fileStem>.diagnostics.txt} in the reports folder. */
    static Path file(String fileStem) {
        return DrillReportWriter.reportsDirectory().resolve(fileStem.replaceAll("[^A-Za-z0-9._-]", "_") + ".diagnostics.txt");
    }

    /** Writes the bundle as {@code <fileStem>.diagnostics.txt} in the reports folder and returns its path. */
    static Path write(DockerSwarm swarm, Drill drill, String fileStem, Throwable failure) throws IOException {
        UnaryOperator<String> mask = drill == null ? UnaryOperator.identity() : drill::redacted;
        StringBuilder text = new StringBuilder();
        text.append("Cluster Drill diagnostics for swarm ").append(swarm.runId()).append(", written ").append(Instant.now())
                .append("\nFailure: ").append(failure).append("\n").append(swarm.quorum().describe()).append("\n");
        appendTimeline(text, drill, swarm.faults());

        List<NodeContainer> nodes = swarm.containers();
        NodeContainer manager = nodes.stream().filter(n -> n.role() == SwarmNode.Role.MANAGER && n.health().reachable())
                .findFirst().orElse(null);
        if (manager != null) {
            section(text, "docker node ls (on " + manager.name() + ")", run(manager, "docker node ls"));
            section(text, "docker service ls (on " + manager.name() + ")", run(manager, "docker service ls"));
            section(text, "docker service ps --no-trunc, every service (on " + manager.name() + ")",
                    run(manager, "for s in $(docker service ls -q); do docker service ps --no-trunc \"$s\"; done"));
        } else {
            text.append("\nNo reachable manager: node and service listings are missing.\n");
        }
        for (NodeContainer node : nodes) {
            String title = node.role().label() + " " + node.name() + " (" + node.address() + ", " + node.health() + ")";
            section(text, "docker info on " + title, run(node, "docker info"));
            section(text, "engine log of " + title + ", last " + LOG_LINES + " lines",
                    swarm.outerEngine().logTail(node.containerId(), LOG_LINES));
        }

        Path file = file(fileStem);
        Files.createDirectories(file.getParent());
        Files.writeString(file, mask.apply(text.toString()));
        LOG.info("Wrote the diagnostics of swarm {} to {}", swarm.runId(), file.toAbsolutePath());
        return file;
    }

    private static void appendTimeline(StringBuilder text, Drill drill, List<Fault> faults) {
        text.append("\n== Timeline\n");
        if (drill != null) {
            for (PhaseRecord phase : drill.phases()) {
                text.append(phase.startedAt()).append("  phase ").append(phase.phase().label()).append(' ')
                        .append(phase.succeeded() ? "succeeded" : "failed").append(" in ").append(phase.duration().toMillis())
                        .append(" ms ").append(phase.detail()).append('\n');
            }
            for (DrillEvent event : drill.events()) {
                text.append(event).append('\n');
            }
        }
        for (Fault fault : faults) {
            text.append(fault).append('\n');
        }
    }

    private static String run(NodeContainer node, String command) {
        if (!node.health().reachable()) {
            return "(skipped: the node is " + node.health() + ")";
        }
        try {
            ExecResult result = node.outerExec(COMMAND_TIMEOUT_SECONDS, "sh", "-c", command);
            return result.stdout() + (result.stderr().isBlank() ? "" : "\nstderr:\n" + result.stderr())
                    + (result.succeeded() ? "" : "\nexit code " + result.exitCode());
        } catch (RuntimeException e) {
            return "(failed: " + e.getMessage() + ")";
        }
    }

    private static void section(StringBuilder text, String title, String body) {
        text.append("\n== ").append(title).append('\n').append(body.strip()).append('\n');
    }
}
