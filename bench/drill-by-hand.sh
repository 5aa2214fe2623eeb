#!/usr/bin/env bash
# The baseline for the harness's full drill on a 3-manager swarm, by hand with the docker CLI and
# the settings of bench/lib/by-hand.sh. Phases, each printed as "phase=NAME seconds=S":
#
#   start    network, 3 managers started in parallel with the workload image, swarm formed
#   seed     overlay network appnet, secret db_password, service web with 3 replicas that uses
#            both, created with --no-resolve-image; waits until 3 tasks run
#   backup   on a manager that is not the leader: engine stopped, /var/lib/docker/swarm archived
#            with docker cp from the stopped container, SHA-256 and listing checked, engine
#            started, waits until the node is Ready and Reachable again
#   destroy  every node removed with its volume
#   restore  a fresh node with the source node's name and address and the archive in
#            /var/lib/docker, its engine started, the workload image loaded,
#            swarm init --force-new-cluster, stale node entries demoted and removed, 2 fresh
#            managers joined, waits until web runs 3 tasks that started after the restore began
#   total    start to the end of restore
#
# Removes everything it created, also when it fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib/by-hand.sh
. "$here/lib/by-hand.sh"

# Waits until service $2 runs $3 tasks, seen from manager $1, counting only tasks whose status
# changed at or after the epoch second $4: right after a restore, the Raft state still lists the
# lost nodes' tasks as running.
await_service_running() {
  local manager=$1 service=$2 replicas=$3 since=$4 deadline running docker
  docker=$(bench_docker "$manager")
  deadline=$(($(date +%s) + 120))
  while true; do
    running=$($docker service ps -q --filter desired-state=running "$service" 2>/dev/null \
      | xargs -r $docker inspect --format '{{.Status.State}} {{.Status.Timestamp.Unix}}' 2>/dev/null \
      | awk -v since="$since" '$1 == "running" && $2 >= since { n++ } END { print n + 0 }' || true)
    if [ "$running" = "$replicas" ]; then
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "Timed out after 120 s waiting for service $service to run $replicas tasks; it runs $running" >&2
      $docker service ps --no-trunc "$service" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

# Prints the host name of the leader that manager $1 reports.
leader_of() {
  $(bench_docker "$1") node ls --format '{{.Hostname}} {{.ManagerStatus}}' | awk '$2 == "Leader" { print $1 }'
}

# Prints the host name of a Reachable manager that is not the leader, as reported by manager $1.
follower_of() {
  $(bench_docker "$1") node ls --format '{{.Hostname}} {{.ManagerStatus}}' | awk '$2 == "Reachable" { print $1; exit }'
}

seed() {
  local leader docker
  leader=$(leader_of manager-1)
  docker=$(bench_docker "$leader")
  $docker network create --driver overlay --attachable appnet >/dev/null
  printf '%s' 'correct horse battery staple' | $docker secret create db_password - >/dev/null
  $docker service create --detach --name web --replicas 3 --network appnet --secret db_password \
    --no-resolve-image --stop-grace-period 2s --restart-condition any --restart-delay 1s \
    "$BENCH_WORKLOAD_IMAGE" sh -c "trap 'exit 0' TERM; while true; do sleep 1; done" >/dev/null
  await_service_running "$leader" web 3 0
}

backup() {
  local leader source
  leader=$(leader_of manager-1)
  source=$(follower_of "$leader")
  docker stop -t 30 "$BENCH_RUN-$source" >/dev/null
  docker cp "$BENCH_RUN-$source":/var/lib/docker/swarm - >"$BENCH_DIR/swarm-backup.tar"
  docker start "$BENCH_RUN-$source" >/dev/null
  sha256sum "$BENCH_DIR/swarm-backup.tar" >"$BENCH_DIR/swarm-backup.tar.sha256"
  # grep reads the whole listing: with -q it could exit first and fail tar with SIGPIPE under pipefail.
  if ! tar -tf "$BENCH_DIR/swarm-backup.tar" | grep -x 'swarm/state.json' >/dev/null; then
    echo "Backup archive $BENCH_DIR/swarm-backup.tar lacks swarm/state.json" >&2
    return 1
  fi
  echo "$source" >"$BENCH_DIR/swarm-backup.source"
  bench_await_engine "$source"
  bench_await_nodes_ready "$leader" 3
}

destroy() {
  local containers
  containers=$(docker ps -aq --filter "label=$BENCH_LABEL=$BENCH_RUN")
  # shellcheck disable=SC2086
  docker rm -f -v $containers >/dev/null
}

restore() {
  local since source docker self node others=()
  since=$(date +%s)
  source=$(cat "$BENCH_DIR/swarm-backup.source")
  sha256sum --check --quiet "$BENCH_DIR/swarm-backup.tar.sha256"
  bench_create_node "$source"
  docker cp - "$BENCH_RUN-$source":/var/lib/docker <"$BENCH_DIR/swarm-backup.tar"
  docker start "$BENCH_RUN-$source" >/dev/null
  # The engine waits for its lost Raft peers for about 20 s before it responds.
  bench_await_engine "$source"
  bench_load_workload "$source"

  docker=$(bench_docker "$source")
  $docker swarm init --force-new-cluster --advertise-addr "$(bench_address "$source")" >/dev/null
  self=$($docker info --format '{{.Swarm.NodeID}}')
  for node in $($docker node ls -q); do
    if [ "$node" != "$self" ]; then
      # --force-new-cluster already dropped stale managers from the Raft member list, so the
      # demotion may fail while the removal still works.
      $docker node demote "$node" >/dev/null 2>&1 || true
      $docker node rm --force "$node" >/dev/null
    fi
  done

  for node in manager-1 manager-2 manager-3; do
    if [ "$node" != "$source" ]; then others+=("$node"); fi
  done
  bench_in_parallel bench_launch_node "${others[@]}"
  bench_join "$source" "${others[@]}"
  bench_await_nodes_ready "$source" 3
  await_service_running "$source" web 3 "$since"
}

trap bench_cleanup EXIT

drill_start=$(bench_now)
bench_setup
bench_form_swarm manager-1 manager-2 manager-3
previous=$(bench_now)
bench_report start "$(bench_elapsed "$drill_start" "$previous")"
for phase in seed backup destroy restore; do
  "$phase"
  now=$(bench_now)
  bench_report "$phase" "$(bench_elapsed "$previous" "$now")"
  previous=$now
done
bench_report total "$(bench_elapsed "$drill_start" "$previous")"
