package org.clusterdrill.swarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Resolves image names through Testcontainers' image-name substitution and makes sure each image
 * is present in the outer engine, pulling it only where the pull policy allows.
 */
final class ImageCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCheck.class);

    private ImageCheck() {
    }

    /** Returns the settings with both images substituted, after making sure they are present. */
    static SwarmSettings ensurePresent(OuterEngine outer, SwarmSettings settings) {
        String nodeImage = ensurePresent(outer, settings.nodeImage(), "node", "clusterdrill.node.image", settings.pullPolicy());
        String workloadImage = ensurePresent(outer, settings.workloadImage(), "workload", "clusterdrill.workload.image",
                settings.pullPolicy());
        return settings.withImages(nodeImage, workloadImage);
    }

    private static String ensurePresent(OuterEngine outer, String requested, String role, String property,
                                        SwarmSettings.PullPolicy policy) {
        DockerImageName substituted = ImageNameSubstitutor.instance().apply(DockerImageName.parse(requested));
        String image = substituted.asCanonicalNameString();
        if (outer.imageExists(image)) {
            return image;
        }
        String fix = "Build the local images with scripts/build-images.sh, or set " + property + " (environment variable "
                + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_') + ") to an image that exists.";
        if (policy == SwarmSettings.PullPolicy.NEVER) {
            throw new IllegalStateException("The " + role + " image '" + image + "' is not in the Docker engine and pulling "
                    + "is turned off (clusterdrill.pull=never). " + fix);
        }
        LOG.info("Pulling the {} image {}", role, image);
        try {
            new RemoteDockerImage(substituted).get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The " + role + " image '" + image + "' is not in the Docker engine and pulling it "
                    + "failed: " + e.getMessage() + ". " + fix, e);
        }
        return image;
    }
}
