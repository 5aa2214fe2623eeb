package org.clusterdrill.k8s;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.exception.NotFoundException;
import org.awaitility.Awaitility;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A container of the locally built {@code clusterdrill/etcd:bookworm} image (Debian's etcd-server
 * and etcd-client) that idles, so a test can start, stop and wipe one etcd member inside it through
 * {@code docker exec}. Nothing is published; etcd listens on the container's loopback only.
 */
final class EtcdContainer implements AutoCloseable {

    static final String IMAGE = System.getProperty("clusterdrill.etcd.image", "clusterdrill/etcd:bookworm");
    static final String DATA_DIR = "/var/lib/etcd-drill";
    static final EtcdMember MEMBER = new EtcdMember("member-1", "http://127.0.0.1:2380", "http://127.0.0.1:2379", DATA_DIR, null);

    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*(\\d+)");

    private final GenericContainer<?> container;
    private final ContainerShell shell;

    EtcdContainer() {
        requireImage();
        container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withImagePullPolicy(image -> false)
                .withLabel("org.clusterdrill.test", "etcd-snapshot")
                .withCommand("sleep", "infinity");
        container.start();
        shell = new ContainerShell(container.getContainerId(), Duration.ofSeconds(60));
    }

    /** Fails the test, instead of skipping it, when the image was not built, because this test must run wherever the project builds. */
    private static void requireImage() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            fail("The image " + IMAGE + " is not in the Docker engine, and tests never pull images. "
                    + "Build it with scripts/build-images.sh (Debian's etcd-server and etcd-client).");
        }
    }

    ContainerShell shell() {
        return shell;
    }

    /** Starts the member on its data directory in the background and waits until it serves requests. */
    void startMember() {
        shell.execChecked("sh", "-c", "nohup etcd --name " + MEMBER.name() + " --data-dir " + DATA_DIR
                + " --listen-client-urls " + MEMBER.clientUrl() + " --advertise-client-urls " + MEMBER.clientUrl()
                + " --listen-peer-urls " + MEMBER.peerUrl() + " --initial-advertise-peer-urls " + MEMBER.peerUrl()
                + " --initial-cluster " + EtcdMember.initialCluster(List.of(MEMBER))
                + " >>/tmp/etcd.log 2>&1 &");
        Awaitility.await("etcd member " + MEMBER.name() + " healthy").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> etcdctl("endpoint", "health").succeeded());
    }

    /** Stops the member and waits until its process is gone. */
    void stopMember() {
        shell.exec(List.of("sh", "-c", "kill $(pidof etcd)"));
        Awaitility.await("etcd member " + MEMBER.name() + " stopped").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !shell.exec(List.of("pidof", "etcd")).succeeded());
    }

    void wipeDataDir() {
        shell.execChecked("rm", "-rf", DATA_DIR);
    }

    void put(String key, String value) {
        etcdctl("put", key, value).requireSuccess();
    }

    /** Returns the key's value, or null when the key does not exist. */
    String get(String key) {
        String output = etcdctl("get", key, "--print-value-only").requireSuccess().stdout();
        return output.isEmpty() ? null : output.strip();
    }

    /** Returns the member's current revision, from the header of a read. */
    long revision() {
        String json = etcdctl("get", "any", "--write-out=json").requireSuccess().stdout();
        Matcher matcher = REVISION.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("No revision in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }

    String memberList() {
        return etcdctl("member", "list").requireSuccess().stdout();
    }

    String log() {
        return shell.exec(List.of("cat", "/tmp/etcd.log")).stdout();
    }

    private CommandResult etcdctl(String... arguments) {
        List<String> command = new ArrayList<>(EtcdTools.installed().whileRunning("etcdctl"));
        command.addAll(MEMBER.clientFlags());
        command.addAll(List.of(arguments));
        return shell.exec(command);
    }

    @Override
    public void close() {
        container.stop();
    }
}
