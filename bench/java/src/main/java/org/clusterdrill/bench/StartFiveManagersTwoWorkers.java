package org.clusterdrill.bench;

import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Scenario "start7": the extension starts 5 managers and 2 workers, and the test only marks that
 * they are ready.
 */
@SwarmCluster(managers = 5, workers = 2)
class StartFiveManagersTwoWorkers {

    @Test
    void clusterReady(Swarm swarm, TestReporter reporter) {
        PhaseTimer.enteredNow(reporter);
    }
}
