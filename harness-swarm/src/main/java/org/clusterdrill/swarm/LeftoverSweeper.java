package org.clusterdrill.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
    /** File in a run folder naming the JVM that owns it; a folder without one is never swept. */
    static final String OWNER_FILE = "owner";
    static final String RUN_FOLDER_PREFIX = "cluster-drill-";

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
        int folders = sweepRunFolders(Path.of(System.getProperty("java.io.tmpdir")), keptRuns);
        if (folders > 0) {
            LOG.info("Deleted {} run folders with their backups, left by JVMs that no longer run", folders);
        }
        return removed + folders;
    }

    /**
     * Deletes the run folders whose owner JVM is gone, except those of kept clusters. A folder
     * without an owner file was left on purpose with {@code clusterdrill.keep.backups}, or by an
     * older version, and stays.
     */
    static int sweepRunFolders(Path temporary, java.util.Set<String> keptRuns) {
        int deleted = 0;
        try (var folders = Files.newDirectoryStream(temporary, RUN_FOLDER_PREFIX + "*")) {
            for (Path folder : folders) {
                String runId = folder.getFileName().toString().substring(RUN_FOLDER_PREFIX.length());
                Path ownerFile = folder.resolve(OWNER_FILE);
                if (keptRuns.contains(runId) || !Files.isRegularFile(ownerFile)
                        || RunLabels.ownerAlive(Files.readString(ownerFile).trim())) {
                    continue;
                }
                try (var paths = Files.walk(folder)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
                deleted++;
            }
        } catch (IOException e) {
            LOG.warn("Could not sweep the run folders in {}", temporary, e);
        }
        return deleted;
    }

    private static boolean isOrphan(Map<String, String> labels, java.util.Set<String> keptRuns) {
        return labels != null && !keptRuns.contains(labels.get(RunLabels.RUN))
                && !RunLabels.ownerAlive(labels.get(RunLabels.OWNER));
    }
}
