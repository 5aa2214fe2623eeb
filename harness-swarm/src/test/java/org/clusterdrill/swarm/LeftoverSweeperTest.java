package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

/** Runs against the real outer engine: objects of dead runs go, objects of live runs stay. */
class LeftoverSweeperTest {

    @Test
    void removesOnlyObjectsOfDeadOwners() {
        OuterEngine outer = OuterEngine.connect();
        String deadOwner = RunLabels.thisOwner().replaceFirst("/\\d+/", "/999999999/");
        String dead = outer.client().createVolumeCmd().withName("clusterdrill-sweeper-test-dead")
                .withLabels(Map.of(RunLabels.RUN, "sweeptest", RunLabels.OWNER, deadOwner)).exec().getName();
        String live = outer.client().createVolumeCmd().withName("clusterdrill-sweeper-test-live")
                .withLabels(RunLabels.forRun("sweeptest")).exec().getName();
        try {
            LeftoverSweeper.sweep(outer);

            assertThat(volumeExists(outer, dead)).as("volume of a dead run").isFalse();
            assertThat(volumeExists(outer, live)).as("volume of this live run").isTrue();
        } finally {
            outer.removeVolume(dead);
            outer.removeVolume(live);
        }
    }

    private static boolean volumeExists(OuterEngine outer, String name) {
        try {
            outer.client().inspectVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
