package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.Test;

/** With the TCP transport, each inner engine is published on 127.0.0.1 only, never on all interfaces. */
@SwarmCluster(managers = 2, transport = Transport.TCP)
class TcpTransportTest {

    @Test
    void enginesListenOnLoopbackOnly(Swarm swarm) {
        DockerSwarm cluster = (DockerSwarm) swarm;
        for (NodeContainer node : cluster.containers()) {
            Ports.Binding[] bindings = cluster.outerEngine().client().inspectContainerCmd(node.containerId()).exec()
                    .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(2375));

            assertThat(bindings).as("bindings of " + node.name()).hasSize(1);
            assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
            assertThat(node.engineUri().getScheme()).isEqualTo("tcp");
            assertThat(node.docker().pingCmd().exec()).isNull();
        }
        assertThat(swarm.managers()).hasSize(2);
        assertThat(swarm.leader().docker().listSwarmNodesCmd().exec()).hasSize(2);
    }
}
