package org.clusterdrill.swarm;

import java.util.List;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge network that a cluster's nodes share on the outer engine, with a subnet of its own
 * so every node keeps a fixed address across engine restarts and restores.
 */
record ClusterNetwork(String id, String name, String subnet) {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNetwork.class);
    private static final int ATTEMPTS = 5;

    /**
     * Creates the network. The engine picks a free subnet for a short-lived network, which is then
     * removed and created again with that subnet named explicitly, because only networks with an
     * explicit subnet accept fixed container addresses.
     */
    static ClusterNetwork create(OuterEngine outer, String runId) {
        String name = "clusterdrill-" + runId;
        DockerException lastFailure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String subnet = pickFreeSubnet(outer, name + "-probe", runId);
            try {
                String id = outer.client().createNetworkCmd().withName(name).withDriver("bridge")
                        .withLabels(RunLabels.forRun(runId))
                        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)))
                        .exec().getId();
                LOG.debug("Created network {} with subnet {}", name, subnet);
                return new ClusterNetwork(id, name, subnet);
            } catch (DockerException e) {
                // Another run took the subnet between the probe and this call; try the next free one.
                LOG.debug("Creating network {} with subnet {} failed (attempt {}): {}", name, subnet, attempt, e.getMessage());
                lastFailure = e;
            }
        }
        throw new IllegalStateException("Could not create network " + name + " after " + ATTEMPTS + " attempts", lastFailure);
    }

    private static String pickFreeSubnet(OuterEngine outer, String probeName, String runId) {
        String probeId = outer.client().createNetworkCmd().withName(probeName).withDriver("bridge")
                .withLabels(RunLabels.forRun(runId)).exec().getId();
        try {
            List<Network.Ipam.Config> configs = outer.inspectNetwork(probeId).getIpam().getConfig();
            return configs.stream().map(Network.Ipam.Config::getSubnet).filter(s -> s != null && s.contains("."))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "The Docker engine gave network " + probeName + " no IPv4 subnet: " + configs));
        } finally {
            outer.removeNetwork(probeId);
        }
    }

    /**
     * Returns the address of the node in the given slot: managers from .11 up, workers from .101
     * up, counted from the subnet's first address.
     */
    String address(SwarmNode.Role role, int index) {
        int offset = (role == SwarmNode.Role.MANAGER ? 10 : 100) + index;
        String[] parts = subnet.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long hosts = (1L << (32 - prefix)) - 2;
        if (offset > hosts) {
            throw new IllegalStateException("Subnet " + subnet + " of network " + name + " has no room for node " + offset);
        }
        long base = toLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix));
        return fromLong(base + offset);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static String fromLong(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
