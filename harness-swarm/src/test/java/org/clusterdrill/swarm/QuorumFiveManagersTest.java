package org.clusterdrill.swarm;

import org.junit.jupiter.api.Test;

@SwarmCluster(managers = 5)
class QuorumFiveManagersTest {

    @Test
    void toleratesTwoLostManagers(Swarm swarm) {
        QuorumDrill.run(swarm);
    }
}
