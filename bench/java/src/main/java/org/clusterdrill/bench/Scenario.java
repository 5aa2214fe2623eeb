package org.clusterdrill.bench;

import java.util.List;

/**
 * One thing the benchmark measures both ways: through a {@code @SwarmCluster} class and through a
 * script in bench/.
 *
 * @param name short name used in the output, such as {@code start3}
 * @param description what the scenario does, for the summary
 * @param harnessClass the JUnit class that the launcher runs
 * @param script the baseline script's file name in bench/
 * @param scriptArguments the baseline script's arguments
 * @param targetPhase the phase that has a target ratio, or null for none
 * @param targetRatio the highest harness/script ratio of {@code targetPhase} that meets the target
 */
record Scenario(String name, String description, Class<?> harnessClass, String script, List<String> scriptArguments,
                String targetPhase, double targetRatio) {

    static final Scenario START_3 = new Scenario("start3", "3 managers start", StartThreeManagers.class,
            "swarm-start-by-hand.sh", List.of("3", "0"), "start", 1.2);
    static final Scenario START_7 = new Scenario("start7", "5 managers + 2 workers start", StartFiveManagersTwoWorkers.class,
            "swarm-start-by-hand.sh", List.of("5", "2"), "start", 1.2);
    static final Scenario DRILL = new Scenario("drill", "full 3-manager drill", FullDrill.class,
            "drill-by-hand.sh", List.of(), "total", 1.1);
    static final Scenario IDLE_3 = new Scenario("idle3", "3 idle managers", IdleNodeMemory.ThreeManagers.class,
            "swarm-start-by-hand.sh", List.of("3", "0"), null, 0);
    static final Scenario IDLE_7 = new Scenario("idle7", "5 idle managers + 2 idle workers",
            IdleNodeMemory.FiveManagersTwoWorkers.class, "swarm-start-by-hand.sh", List.of("5", "2"), null, 0);

    static final List<Scenario> TIMED = List.of(START_3, START_7, DRILL);
    static final List<Scenario> MEMORY = List.of(IDLE_3, IDLE_7);
}
