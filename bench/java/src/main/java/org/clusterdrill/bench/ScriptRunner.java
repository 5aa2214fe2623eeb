package org.clusterdrill.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a hand-written baseline script from bench/ and collects the {@code phase=NAME seconds=S}
 * and {@code memory node=NAME bytes=B} lines it prints. The script's error output goes to this
 * process's error output.
 */
final class ScriptRunner {

    private static final long TIMEOUT_MINUTES = 10;

    private final Path scriptFolder;

    ScriptRunner(Path scriptFolder) {
        this.scriptFolder = scriptFolder;
    }

    /**
     * Runs {@code script} with the given arguments. A positive {@code idleSeconds} is passed as
     * BENCH_IDLE_SECONDS, which makes the start script measure node memory.
     */
    RunResult run(String script, List<String> arguments, int idleSeconds) {
        List<String> command = new ArrayList<>();
        command.add(scriptFolder.resolve(script).toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (idleSeconds > 0) {
            builder.environment().put("BENCH_IDLE_SECONDS", String.valueOf(idleSeconds));
        }
        try {
            Process process = builder.start();
            List<String> output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                // NOTE: destroying the script skips its EXIT trap, so its containers may stay behind.
                process.destroyForcibly();
                return failed(command + " timed out after " + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                return failed(command + " failed with exit code " + process.exitValue() + "; its error output is above");
            }
            return parse(output);
        } catch (IOException e) {
            return new RunResult(Map.of(), Map.of(), List.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RunResult(Map.of(), Map.of(), List.of(e));
        }
    }

    static RunResult parse(List<String> lines) {
        Map<String, Double> phases = new LinkedHashMap<>();
        Map<String, Long> memory = new LinkedHashMap<>();
        for (String line : lines) {
            Map<String, String> fields = fields(line);
            if (fields.containsKey("phase") && fields.containsKey("seconds")) {
                phases.put(fields.get("phase"), Double.parseDouble(fields.get("seconds")));
            } else if (line.startsWith("memory ") && fields.containsKey("node") && fields.containsKey("bytes")) {
                memory.put(fields.get("node"), Long.parseLong(fields.get("bytes")));
            }
        }
        if (phases.isEmpty()) {
            return failed("The script printed no phase=NAME seconds=S line; its output was " + lines);
        }
        return new RunResult(phases, memory, List.of());
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int equals = token.indexOf('=');
            if (equals > 0) {
                fields.put(token.substring(0, equals), token.substring(equals + 1));
            }
        }
        return fields;
    }

    private static RunResult failed(String message) {
        return new RunResult(Map.of(), Map.of(), List.of(new IllegalStateException(message)));
    }
}
