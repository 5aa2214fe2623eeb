package org.clusterdrill.k8s;

import java.util.List;

/**
 * Writes the kind cluster configuration ({@code kind.x-k8s.io/v1alpha4}) for a number of
 * control-plane and worker nodes, optionally mounting files into every control-plane node.
 */
final class KindConfig {

    private KindConfig() {
    }

    /**
     * A file of the host mounted into a node.
     *
     * @param hostPath absolute path on the host
     * @param containerPath absolute path in the node
     */
    record Mount(String hostPath, String containerPath) {
    }

    static String yaml(int controlPlanes, int workers, List<Mount> controlPlaneMounts) {
        StringBuilder yaml = new StringBuilder("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n");
        for (int i = 0; i < controlPlanes; i++) {
            yaml.append("- role: control-plane\n");
            if (!controlPlaneMounts.isEmpty()) {
                yaml.append("  extraMounts:\n");
                for (Mount mount : controlPlaneMounts) {
                    yaml.append("  - hostPath: ").append(quoted(mount.hostPath())).append('\n')
                            .append("    containerPath: ").append(quoted(mount.containerPath())).append('\n');
                }
            }
        }
        for (int i = 0; i < workers; i++) {
            yaml.append("- role: worker\n");
        }
        return yaml.toString();
    }

    private static String quoted(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
