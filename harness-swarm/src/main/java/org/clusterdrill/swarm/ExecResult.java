package org.clusterdrill.swarm;

/**
 * The outcome of a command run inside a node container.
 *
 * @param exitCode the command's exit code
 * @param stdout what it wrote to standard output
 * @param stderr what it wrote to standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
