package org.clusterdrill.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Measures the memory of every node of an idle swarm with {@code docker stats --no-stream}, which
 * on cgroup v1 reports a container's cgroup usage less its page cache. An idle swarm runs no
 * tasks, so the figures contain only each node's engine and containerd.
 */
final class IdleNodeMemory {

    /** Seconds a swarm is left alone after it formed before its memory is read. */
    static final int IDLE_SECONDS = 10;

    private static final Pattern USAGE = Pattern.compile("([0-9.]+)\\s*([KMGT]?i?B)");

    private IdleNodeMemory() {
    }

    /** Waits {@link #IDLE_SECONDS}, then publishes each node's memory usage. */
    static void measure(Swarm swarm, TestReporter reporter) throws IOException, InterruptedException {
        PhaseTimer timer = PhaseTimer.enteredNow(reporter);
        TimeUnit.SECONDS.sleep(IDLE_SECONDS);
        List<String> ids = run("docker", "ps", "-q", "--filter", "label=org.clusterdrill.run=" + swarm.runId());
        List<String> stats = new ArrayList<>(List.of("docker", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"));
        stats.addAll(ids);
        String prefix = "clusterdrill-" + swarm.runId() + "-";
        for (Map.Entry<String, Long> node : parseStats(run(stats.toArray(String[]::new)), prefix).entrySet()) {
            timer.publishMemory(node.getKey(), node.getValue());
        }
    }

    /** Parses lines such as {@code clusterdrill-1a2b3c4d-manager-1 45.2MiB / 23.4GiB} into bytes by node name. */
    static Map<String, Long> parseStats(List<String> lines, String containerPrefix) {
        Map<String, Long> bytesByNode = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+", 2);
            Matcher usage = USAGE.matcher(parts.length == 2 ? parts[1] : "");
            if (!usage.lookingAt()) {
                throw new IllegalStateException("docker stats printed an unexpected line: '" + line + "'");
            }
            String name = parts[0].startsWith(containerPrefix) ? parts[0].substring(containerPrefix.length()) : parts[0];
            bytesByNode.put(name, Math.round(Double.parseDouble(usage.group(1)) * unitBytes(usage.group(2))));
        }
        return bytesByNode;
    }

    private static long unitBytes(String unit) {
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "B" -> 1L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> throw new IllegalStateException("docker stats printed an unknown unit: " + unit);
        };
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " timed out after 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue());
        }
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Scenario "idle3": the memory of 3 idle managers. */
    @SwarmCluster(managers = 3)
    static class ThreeManagers {

        @Test
        void idleNodes(Swarm swarm, TestReporter reporter) throws Exception {
            measure(swarm, reporter);
        }
    }

    /** Scenario "idle7": the memory of 5 idle managers and 2 idle workers. */
    @SwarmCluster(managers = 5, workers = 2)
    static class FiveManagersTwoWorkers {

        @Test
        void idleNodes(Swarm swarm, TestReporter reporter) throws Exception {
            measure(swarm, reporter);
        }
    }
}
