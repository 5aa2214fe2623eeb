package org.clusterdrill.swarm;

import com.github.dockerjava.api.DockerClient;

/**
 * One node of a {@link Swarm}: a docker-in-docker container with its own engine.
 *
 * <p>Methods that change the cluster, such as {@link #createService}, must be called on a
 * manager; use {@link Swarm#leader()} when in doubt.
 */
public interface SwarmNode {

    /** Returns the node's name, which is also its host name and its name in {@code docker node ls}. */
    String name();

    Role role();

    /** Returns the node's IP address on the cluster network, which it advertises to the swarm. */
    String address();

    /** Returns a docker-java client connected to this node's inner engine. */
    DockerClient docker();

    /** Runs a command inside the node container, for example {@code docker node ls}, and waits for it. */
    ExecResult exec(String... command);

    /** Creates an attachable overlay network and returns its id. */
    String createOverlayNetwork(String name);

    /** Creates a secret and returns its id. The value is never logged. */
    String createSecret(String name, String value);

    /** Creates a config and returns its id. */
    String createConfig(String name, String content);

    /** Creates a service without resolving its image in a registry, and returns its id. */
    String createService(ServiceDefinition service);

    /** Stops the node's engine cleanly, as {@code systemctl stop docker} does on a server. */
    void stopEngine();

    /** Starts the node's engine and waits until it responds. */
    void startEngine();

    /**
     * Unlocks this manager of an autolocked swarm after its engine restarted, as
     * {@code docker swarm unlock} does, and waits until it manages the swarm again.
     *
     * @param unlockKey the key that {@link Swarm#unlockKey()} returns; it never appears in logs
     * @throws IllegalArgumentException when the engine refuses the key
     * @throws IllegalStateException when the node is not locked
     */
    void unlock(String unlockKey);

    /** Kills the node's engine with SIGKILL, so it has no chance to shut down cleanly. */
    void kill();

    /** Freezes every process of the node; peers see it as unresponsive, not as gone. */
    void pause();

    void unpause();

    /** Cuts the node off the cluster network; its engine keeps running. */
    void disconnect();

    /** Connects the node to the cluster network again, with its original address. */
    void reconnect();

    /** Stops the engine, deletes {@code /var/lib/docker/swarm} and starts the engine again, outside the swarm. */
    void wipeSwarmState();

    /** A node's role in the swarm. */
    enum Role {
        MANAGER, WORKER;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
