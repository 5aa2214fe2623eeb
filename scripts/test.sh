#!/usr/bin/env bash
# Runs Cluster Drill's tests, or one test class with an argument such as SwarmRecoveryLabTest.
#
# On a Debian machine as root without Docker it installs and starts Docker's engine first and
# builds the local images when they are missing (scripts/build-images.sh). Where no registry can
# be reached (CLUSTERDRILL_AIRGAPPED=true, the default when the local images are used), nodes run
# the locally built images and nothing is pulled.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

"$here/scripts/docker-engine.sh"

if [ "${CLUSTERDRILL_AIRGAPPED:-true}" = true ]; then
  "$here/scripts/build-images.sh"
  export CLUSTERDRILL_NODE_IMAGE=${CLUSTERDRILL_NODE_IMAGE:-clusterdrill/dind:bookworm}
  export CLUSTERDRILL_WORKLOAD_IMAGE=${CLUSTERDRILL_WORKLOAD_IMAGE:-clusterdrill/busybox:bookworm}
  export CLUSTERDRILL_REGISTRY_IMAGE=${CLUSTERDRILL_REGISTRY_IMAGE:-clusterdrill/registry:bookworm}
  export CLUSTERDRILL_PULL=${CLUSTERDRILL_PULL:-never}
fi

# The harness removes its own containers by label, so Testcontainers' reaper container is not
# needed. Inside a container (a machine with /.dockerenv), Testcontainers would start helper
# containers to find the engine's address, so its checks are off and the host is fixed.
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
export TESTCONTAINERS_CHECKS_DISABLE=${TESTCONTAINERS_CHECKS_DISABLE:-true}
if [ -f /.dockerenv ] && [ -z "${DOCKER_HOST:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-localhost}
fi

if [ $# -gt 0 ]; then
  exec mvn -B -ntp install -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false
fi
mvn -B -ntp install

# Counts harness objects whose owning JVM has ended: those are leaks. Objects of JVMs that still
# run on this machine, such as another suite running beside this one, are not counted.
count_leaked() {
  local kind=$1 ids owner host pid count=0
  case $kind in
    container) ids=$(docker ps -aq --filter label=org.clusterdrill.run) ;;
    network) ids=$(docker network ls -q --filter label=org.clusterdrill.run) ;;
    volume) ids=$(docker volume ls -q --filter label=org.clusterdrill.run) ;;
  esac
  for id in $ids; do
    owner=$(docker "$kind" inspect --format '{{index .Labels "org.clusterdrill.owner"}}' "$id" 2>/dev/null || true)
    host=${owner%%/*}
    pid=$(echo "$owner" | cut -d/ -f2)
    if [ "$host" = "$(hostname)" ] && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      continue
    fi
    count=$((count + 1))
  done
  echo "$count"
}

leftovers=$(count_leaked container)
leftover_networks=$(count_leaked network)
leftover_volumes=$(count_leaked volume)
echo "Harness objects left after the tests: $leftovers containers, $leftover_networks networks, $leftover_volumes volumes"
if [ "$leftovers" != 0 ] || [ "$leftover_networks" != 0 ] || [ "$leftover_volumes" != 0 ]; then
  echo "The tests left Docker objects labelled org.clusterdrill.run behind" >&2
  exit 1
fi
