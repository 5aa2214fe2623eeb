package org.clusterdrill.swarm;

import org.junit.jupiter.api.Test;

@SwarmCluster(managers = 3)
class QuorumThreeManagersTest {

    @Test
    void toleratesOneLostManager(Swarm swarm) {
        QuorumDrill.run(swarm);
    }
}
