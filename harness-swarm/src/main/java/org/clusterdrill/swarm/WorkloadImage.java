package org.clusterdrill.swarm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image that services run by default. It is saved once from the outer engine and loaded into
 * every node, so inner engines never pull it.
 */
final class WorkloadImage {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadImage.class);

    private final OuterEngine outer;
    private final String image;
    private volatile byte[] archive;

    WorkloadImage(OuterEngine outer, String image) {
        this.outer = outer;
        this.image = image;
    }

    String image() {
        return image;
    }

    void loadInto(NodeContainer node) {
        node.explain("host", () -> "docker save " + image + " | docker exec --interactive " + node.containerName() + " docker load");
        try (InputStream tar = new ByteArrayInputStream(archive())) {
            node.docker().loadImageCmd(tar).exec();
        } catch (IOException e) {
            throw new IllegalStateException("Could not load image " + image + " into node " + node.name(), e);
        }
        LOG.debug("Loaded {} into node {}", image, node.name());
    }

    private byte[] archive() throws IOException {
        byte[] current = archive;
        if (current == null) {
            synchronized (this) {
                if (archive == null) {
                    try (InputStream saved = outer.client().saveImageCmd(image).exec()) {
                        archive = saved.readAllBytes();
                    }
                    LOG.debug("Saved {} from the outer engine ({} KiB)", image, archive.length / 1024);
                }
                current = archive;
            }
        }
        return current;
    }
}
