package org.clusterdrill.bench;

import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** Scenario "start3": the extension starts 3 managers, and the test only marks that they are ready. */
@SwarmCluster(managers = 3)
class StartThreeManagers {

    @Test
    void clusterReady(Swarm swarm, TestReporter reporter) {
        PhaseTimer.enteredNow(reporter);
    }
}
