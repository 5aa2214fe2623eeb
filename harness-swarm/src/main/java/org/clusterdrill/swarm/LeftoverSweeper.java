package org.clusterdrill.swarm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes containers, networks and volumes that earlier runs left behind when their JVM was
 * killed, found by the {@value RunLabels#RUN} label. Objects of JVMs that still run are left alone.
 */
final class LeftoverSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private LeftoverSweeper() {
    }

    /** Sweeps once per JVM. */
    static void sweepOnce(OuterEngine outer) {
        if (SWEPT.compareAndSet(false, true)) {
            sweep(outer);
        }
    }

    static int sweep(OuterEngine outer) {
        DockerClient client = outer.client();
        var markers = client.listVolumesCmd().withFilter("label", List.of(RunLabels.KEPT)).exec().getVolumes();
        java.util.Set<String> keptRuns = markers == null ? java.util.Set.of() : markers.stream()
                .map(volume -> volume.getLabels().get(RunLabels.KEPT)).collect(java.util.stream.Collectors.toSet());
        if (!keptRuns.isEmpty()) {
            LOG.info("Leaving the clusters of runs {} alone: they were kept after a failure", keptRuns);
        }
        int removed = 0;

        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(RunLabels.RUN)).exec();
        for (Container container : containers) {
            if (isOrphan(container.getLabels(), keptRuns)) {
                outer.removeContainer(container.getId());
                removed++;
            }
        }

        for (Network network : client.listNetworksCmd().withFilter("label", List.of(RunLabels.RUN)).exec()) {
            if (isOrphan(network.getLabels(), keptRuns)) {
                outer.removeNetwork(network.getId());
                removed++;
            }
        }
        var volumes = client.listVolumesCmd().withFilter("label", List.of(RunLabels.RUN)).exec().getVolumes();
        if (volumes != null) {
            for (var volume : volumes) {
                if (isOrphan(volume.getLabels(), keptRuns)) {
                    outer.removeVolume(volume.getName());
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} containers, networks and volumes left by earlier runs that no longer run", removed);
        }
        return removed;
    }

    private static boolean isOrphan(Map<String, String> labels, java.util.Set<String> keptRuns) {
        return labels != null && !keptRuns.contains(labels.get(RunLabels.RUN))
                && !RunLabels.ownerAlive(labels.get(RunLabels.OWNER));
    }
}
