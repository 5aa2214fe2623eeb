package org.clusterdrill.k8s;

import java.util.List;

/**
 * How to start etcd's command-line tools ({@code etcdctl}, {@code etcdutl}) inside a container
 * shell: next to the running member, or with the member stopped for a restore.
 */
interface EtcdTools {

    /** Returns the command prefix that runs {@code tool} while the member runs, such as {@code [etcdctl]}. */
    List<String> whileRunning(String tool);

    /** Returns the command prefix that runs {@code tool} with the member stopped, with the data directory's parent writable. */
    List<String> whileStopped(String tool);

    /** Tools installed in the container itself, as in Debian's etcd-client package. */
    static EtcdTools installed() {
        return new EtcdTools() {
            @Override
            public List<String> whileRunning(String tool) {
                return List.of("env", "ETCDCTL_API=3", tool);
            }

            @Override
            public List<String> whileStopped(String tool) {
                return whileRunning(tool);
            }
        };
    }
}
