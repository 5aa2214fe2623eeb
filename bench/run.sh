#!/usr/bin/env bash
# Runs the whole benchmark: @SwarmCluster against the hand-written scripts in bench/, on this
# machine, in one run. Builds harness-core and harness-swarm, then the benchmark in bench/java,
# then runs it with the local air-gapped images and without pulling anything.
#
# Usage: bench/run.sh [--start-runs N] [--drill-runs N]     (default: 3 and 3)
#
# The summary goes to the standard output and to bench/java/target/benchmark-<time>.txt; the
# harness's log and the scripts' error output go to bench/java/target/benchmark-<time>.log.
# With the defaults it takes about 12 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_CHECKS_DISABLE=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export CLUSTERDRILL_NODE_IMAGE=clusterdrill/dind:bookworm
export CLUSTERDRILL_WORKLOAD_IMAGE=clusterdrill/busybox:bookworm
export CLUSTERDRILL_PULL=never

for image in "$CLUSTERDRILL_NODE_IMAGE" "$CLUSTERDRILL_WORKLOAD_IMAGE"; do
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    echo "Image $image is missing; build it with scripts/build-images.sh (nothing is pulled)" >&2
    exit 1
  fi
done

echo "Building harness-core, harness-swarm and bench/java"
# The parent POM alone (-N), so that Maven can resolve harness-swarm's parent for bench/java.
mvn -B -q -N install -f pom.xml
mvn -B -q install -DskipTests -f harness-core/pom.xml
mvn -B -q install -DskipTests -f harness-swarm/pom.xml
# The benchmark runs from copies of its dependencies, because another build may install new
# harness jars into the local Maven repository while it runs.
rm -rf bench/java/target/lib
mvn -B -q package dependency:copy-dependencies -DoutputDirectory=target/lib -f bench/java/pom.xml

output=bench/java/target/benchmark-$(date +%Y%m%d-%H%M%S)
echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, engine $(docker version --format '{{.Server.Version}}')" \
  | tee "$output.txt"
echo "Commit: $(git rev-parse --short HEAD), uncommitted changes in harness-core or harness-swarm:" \
  "$(git --no-optional-locks diff --quiet HEAD -- harness-core harness-swarm && echo no || echo yes)" | tee -a "$output.txt"
echo "Log: $output.log"
java -cp "bench/java/target/classes:bench/java/target/lib/*" \
  -Dclusterdrill.reports.dir=bench/java/target/cluster-drill-reports \
  org.clusterdrill.bench.HarnessBenchmark --scripts "$root/bench" "$@" 2>"$output.log" | tee -a "$output.txt"
