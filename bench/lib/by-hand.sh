# Shell functions for the hand-written baselines in bench/: a swarm of docker-in-docker nodes run
# with the docker CLI alone, with the settings the harness uses on engines that reject privileged
# containers. Source this file: it defines functions and variables and runs nothing.
#
# Every node gets:
#   - the node image, CLUSTERDRILL_NODE_IMAGE or clusterdrill/dind:bookworm;
#   - explicit capabilities, unconfined seccomp and AppArmor, /sys/fs/cgroup mounted read-write
#     and a cgroup parent of its own (the harness's "capabilities" node mode);
#   - its engine's socket in a host folder (the harness's "socket" transport);
#   - DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1, so Swarm tasks use the local image and never pull;
#   - the workload image, CLUSTERDRILL_WORKLOAD_IMAGE or clusterdrill/busybox:bookworm, loaded
#     with docker save | docker load before any service runs.
# Every container and network carries the label org.clusterdrill.bench=<run name>, and
# bench_cleanup removes only what carries this run's label.

BENCH_NODE_IMAGE=${CLUSTERDRILL_NODE_IMAGE:-clusterdrill/dind:bookworm}
BENCH_WORKLOAD_IMAGE=${CLUSTERDRILL_WORKLOAD_IMAGE:-clusterdrill/busybox:bookworm}
BENCH_LABEL=org.clusterdrill.bench
BENCH_RUN=cdbench-$$
BENCH_DIR=
BENCH_PREFIX=
BENCH_CAPS=()
for cap in AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID \
  IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE \
  NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE SYS_NICE \
  SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_TIME SYS_TTY_CONFIG SYSLOG WAKE_ALARM; do
  BENCH_CAPS+=(--cap-add "$cap")
done
unset cap

# Prints the seconds since the epoch with nanoseconds.
bench_now() {
  date +%s.%N
}

# Prints the seconds between two bench_now readings, with millisecond precision.
bench_elapsed() {
  echo "$1 $2" | awk '{ printf "%.3f", $2 - $1 }'
}

# Prints one phase's duration in the format that bench/run.sh collects.
bench_report() {
  echo "phase=$1 seconds=$2"
}

# Creates the run's folder and its bridge network with a /24 subnet of its own, because only a
# network with an explicit subnet accepts fixed container addresses. A subnet taken by another
# network makes the create fail, so a few random ones are tried.
bench_setup() {
  BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_RUN.XXXXXX")
  local attempt subnet
  for attempt in 1 2 3 4 5 6 7 8; do
    subnet=10.213.$((RANDOM % 250)).0/24
    if docker network create --label "$BENCH_LABEL=$BENCH_RUN" --subnet "$subnet" "$BENCH_RUN" >/dev/null 2>&1; then
      BENCH_PREFIX=${subnet%.0/24}
      return 0
    fi
  done
  echo "Could not create network $BENCH_RUN: 8 random subnets in 10.213.0.0/16 were taken" >&2
  return 1
}

# Removes this run's containers with their volumes, its network and its folder. Safe to call twice.
bench_cleanup() {
  local containers
  containers=$(docker ps -aq --filter "label=$BENCH_LABEL=$BENCH_RUN" 2>/dev/null || true)
  if [ -n "$containers" ]; then
    # shellcheck disable=SC2086
    docker rm -f -v $containers >/dev/null 2>&1 || true
  fi
  docker network rm "$BENCH_RUN" >/dev/null 2>&1 || true
  if [ -n "$BENCH_DIR" ]; then
    rm -rf "$BENCH_DIR"
  fi
}

# Saves the workload image once into the run's folder, for bench_load_workload.
bench_save_workload() {
  docker save "$BENCH_WORKLOAD_IMAGE" >"$BENCH_DIR/workload.tar"
}

# Prints the address of a node name: managers from .11 up and workers from .101 up, as the harness.
bench_address() {
  local name=$1
  case $name in
    manager-*) echo "$BENCH_PREFIX.$((10 + ${name#manager-}))" ;;
    worker-*) echo "$BENCH_PREFIX.$((100 + ${name#worker-}))" ;;
    *) echo "Node name $name is invalid: expected manager-N or worker-N" >&2; return 1 ;;
  esac
}

# Prints the docker CLI command line for a node's inner engine.
bench_docker() {
  echo "docker -H unix://$BENCH_DIR/sockets/$1/docker.sock"
}

# Creates a node container without starting it. The image declares /var/lib/docker a volume, so
# each container gets an anonymous volume that "docker rm -v" removes with it.
bench_create_node() {
  local name=$1
  mkdir -p "$BENCH_DIR/sockets/$name"
  docker create --name "$BENCH_RUN-$name" --hostname "$name" --label "$BENCH_LABEL=$BENCH_RUN" \
    --network "$BENCH_RUN" --ip "$(bench_address "$name")" "${BENCH_CAPS[@]}" \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroup-parent "/clusterdrill/$BENCH_RUN-$name" \
    -v "$BENCH_DIR/sockets/$name":/run/clusterdrill \
    -e DOCKER_TLS_CERTDIR= -e DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 \
    "$BENCH_NODE_IMAGE" --host=unix:///run/clusterdrill/docker.sock --tls=false >/dev/null
}

# Waits until a node's inner engine responds, polling every 0.1 s for at most $2 seconds (default 120).
bench_await_engine() {
  local name=$1 limit=${2:-120} deadline
  deadline=$(($(date +%s) + limit))
  until $(bench_docker "$name") version >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "The engine of node $name did not respond within $limit s; the end of its log:" >&2
      docker logs --tail 30 "$BENCH_RUN-$name" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

bench_load_workload() {
  $(bench_docker "$1") load -q <"$BENCH_DIR/workload.tar" >/dev/null
}

# Creates and starts a node, waits for its engine and loads the workload image into it.
bench_launch_node() {
  bench_create_node "$1"
  docker start "$BENCH_RUN-$1" >/dev/null
  bench_await_engine "$1"
  bench_load_workload "$1"
}

# Runs a command once per argument in parallel and fails when any of them fails.
bench_in_parallel() {
  local command=$1 pids=() failed=0 pid item
  shift
  for item in "$@"; do
    "$command" "$item" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  return $failed
}

# Joins nodes to the swarm that manager $1 leads, managers one after another and workers in
# parallel, as the harness does.
bench_join() {
  local first=$1 manager_token worker_token name
  shift
  manager_token=$($(bench_docker "$first") swarm join-token -q manager)
  worker_token=$($(bench_docker "$first") swarm join-token -q worker)
  local workers=()
  for name in "$@"; do
    case $name in
      manager-*)
        $(bench_docker "$name") swarm join --token "$manager_token" --advertise-addr "$(bench_address "$name")" \
          "$(bench_address "$first"):2377" >/dev/null
        ;;
      worker-*) workers+=("$name") ;;
    esac
  done
  if [ ${#workers[@]} -gt 0 ]; then
    BENCH_JOIN_TOKEN=$worker_token BENCH_JOIN_ADDRESS=$(bench_address "$first"):2377 \
      bench_in_parallel bench_join_worker "${workers[@]}"
  fi
}

bench_join_worker() {
  $(bench_docker "$1") swarm join --token "$BENCH_JOIN_TOKEN" --advertise-addr "$(bench_address "$1")" \
    "$BENCH_JOIN_ADDRESS" >/dev/null
}

# Waits until manager $1 lists exactly $2 nodes, every one Ready and every manager Leader or
# Reachable, polling every 0.1 s for at most 120 s.
bench_await_nodes_ready() {
  local manager=$1 expected=$2 deadline listed
  deadline=$(($(date +%s) + 120))
  while true; do
    listed=$($(bench_docker "$manager") node ls --format '{{.Status}} {{.ManagerStatus}}' 2>/dev/null || true)
    if [ "$(echo "$listed" | awk 'NF > 0 { n++ } END { print n + 0 }')" = "$expected" ] \
      && [ "$(echo "$listed" | awk '$1 == "Ready" && ($2 == "" || $2 == "Leader" || $2 == "Reachable") { n++ } END { print n + 0 }')" = "$expected" ]; then
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "Timed out after 120 s waiting for $expected nodes Ready; node ls on $manager:" >&2
      echo "$listed" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Starts the nodes in parallel, initialises the swarm on the first manager, joins the others and
# waits until every node is Ready.
bench_form_swarm() {
  local first=$1
  bench_save_workload
  bench_in_parallel bench_launch_node "$@"
  $(bench_docker "$first") swarm init --advertise-addr "$(bench_address "$first")" >/dev/null
  shift
  bench_join "$first" "$@"
  bench_await_nodes_ready "$first" $(($# + 1))
}

# Prints "memory node=NAME bytes=N" for each of this run's containers, from docker stats, which
# on cgroup v1 reports the cgroup's usage less its page cache.
bench_print_node_memory() {
  local containers
  containers=$(docker ps -q --filter "label=$BENCH_LABEL=$BENCH_RUN")
  # shellcheck disable=SC2086
  docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' $containers | awk -v run="$BENCH_RUN-" '
    {
      name = $1; sub(run, "", name)
      value = $2; unit = value; sub(/[0-9.]+/, "", unit); sub(/[A-Za-z]+$/, "", value)
      factor = 1
      if (unit == "KiB") factor = 1024; else if (unit == "MiB") factor = 1048576; else if (unit == "GiB") factor = 1073741824
      printf "memory node=%s bytes=%d\n", name, value * factor
    }'
}
