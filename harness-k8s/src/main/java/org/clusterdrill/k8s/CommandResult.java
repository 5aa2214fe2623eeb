package org.clusterdrill.k8s;

import java.util.List;

/**
 * The outcome of one finished process.
 *
 * @param command the command line, for messages
 * @param exitCode the process's exit code
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws naming the command, its exit code and its error output when it failed. */
    CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new IllegalStateException("Command " + String.join(" ", command) + " failed with exit code " + exitCode
                    + ": " + (stderr.isBlank() ? stdout.strip() : stderr.strip()));
        }
        return this;
    }
}
