#!/usr/bin/env bash
# The baseline for the harness's cluster start: a swarm formed by hand with the docker CLI, with
# the node image, node mode (explicit capabilities), socket transport, offline image setting and
# workload image load of the harness (see bench/lib/by-hand.sh).
#
# Usage: bench/swarm-start-by-hand.sh [MANAGERS [WORKERS]]     (default: 3 managers, 0 workers)
#
# Prints "phase=start seconds=S": network creation to every node Ready and every manager
# Reachable. With BENCH_IDLE_SECONDS=N it then waits N seconds and prints one
# "memory node=NAME bytes=B" line per node from docker stats. Removes everything it created, also
# when it fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib/by-hand.sh
. "$here/lib/by-hand.sh"

managers=${1:-3}
workers=${2:-0}
if ! [[ $managers =~ ^[1-9][0-9]*$ && $workers =~ ^[0-9]+$ ]]; then
  echo "Invalid arguments '$*': expected MANAGERS (at least 1) and WORKERS (at least 0)" >&2
  exit 2
fi
nodes=()
for i in $(seq 1 "$managers"); do nodes+=("manager-$i"); done
for i in $(seq 1 "$workers"); do nodes+=("worker-$i"); done

trap bench_cleanup EXIT

start=$(bench_now)
bench_setup
bench_form_swarm "${nodes[@]}"
bench_report start "$(bench_elapsed "$start" "$(bench_now)")"

if [ "${BENCH_IDLE_SECONDS:-0}" -gt 0 ]; then
  sleep "$BENCH_IDLE_SECONDS"
  bench_print_node_memory
fi
