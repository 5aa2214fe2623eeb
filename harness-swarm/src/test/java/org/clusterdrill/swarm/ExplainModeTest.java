package org.clusterdrill.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Explain mode logs, in order, the docker commands that replay a drill by hand, without secrets. */
class ExplainModeTest {

    static final String SECRET_VALUE = "lavender-5521-key";

    @Test
    void drillIsExplainedAsCommands() {
        String log = CapturedStderr.during(() ->
                HarnessCleanupTest.run(ExplainedDrill.class).testEvents().assertStatistics(stats -> stats.succeeded(1)));

        assertThat(log).contains("[host] $ docker volume create clusterdrill-", "docker run --detach --name clusterdrill-");
        assertThat(log).contains("[manager-1] $ docker swarm init --advertise-addr ");
        assertThat(log).contains("[manager-1] $ docker secret create db_password -   # the value comes on standard input");
        assertThat(log).contains("[manager-1] $ docker service create --detach --no-resolve-image --name web --replicas 1"
                + " --secret db_password");
        assertThat(log).contains("[host] $ docker stop --time 30 clusterdrill-", "[host] $ docker cp clusterdrill-");
        assertThat(log).contains("$ docker swarm init --force-new-cluster --advertise-addr ");
        assertThat(log.indexOf("docker swarm init --advertise-addr")).isLessThan(log.indexOf("docker secret create"));
        assertThat(log.indexOf("docker secret create")).isLessThan(log.indexOf("--force-new-cluster"));
        assertThat(log).doesNotContain(SECRET_VALUE);
    }

    @SwarmCluster(managers = 1, explain = true)
    static class ExplainedDrill {

        @Test
        void backsUpAndRestores(Swarm swarm) {
            swarm.leader().createSecret("db_password", SECRET_VALUE);
            swarm.leader().createService(ServiceDefinition.named("web").secret("db_password"));
            swarm.awaitConverged();
            SwarmBackup backup = swarm.backup();
            swarm.destroy();
            swarm.restore(backup);
        }
    }
}
