package org.clusterdrill.bench;

import org.clusterdrill.swarm.ServiceDefinition;
import org.clusterdrill.swarm.Swarm;
import org.clusterdrill.swarm.SwarmBackup;
import org.clusterdrill.swarm.SwarmCluster;
import org.clusterdrill.swarm.SwarmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Scenario "drill": the steps of bench/drill-by-hand.sh through the public API. State capture and
 * comparison are left out because the script has no counterpart for them.
 */
@SwarmCluster(managers = 3)
class FullDrill {

    @Test
    void seedBackupDestroyRestore(Swarm swarm, TestReporter reporter) {
        PhaseTimer timer = PhaseTimer.enteredNow(reporter);

        timer.time("seed", () -> {
            SwarmNode leader = swarm.leader();
            leader.createOverlayNetwork("appnet");
            leader.createSecret("db_password", "correct horse battery staple");
            leader.createService(ServiceDefinition.named("web").replicas(3).network("appnet").secret("db_password"));
            swarm.awaitConverged();
        });
        SwarmBackup backup = timer.timeAndGet("backup", swarm::backup);
        timer.time("destroy", swarm::destroy);
        timer.time("restore", () -> swarm.restore(backup));

        if (swarm.managers().size() != 3) {
            throw new IllegalStateException("The restored swarm has " + swarm.managers().size() + " managers instead of 3");
        }
    }
}
