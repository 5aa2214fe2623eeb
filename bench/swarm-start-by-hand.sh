#!/usr/bin/env bash
# The baseline for the harness's cluster start: a 3-manager swarm formed by hand with the docker
# CLI. It uses the same node image, node mode (explicit capabilities) and socket transport as the
# harness on engines that reject privileged containers. Prints the seconds it took and removes
# everything it created.
set -euo pipefail
image=${CLUSTERDRILL_NODE_IMAGE:-clusterdrill/dind:bookworm}
run=bench$$
dir=$(mktemp -d)
caps=""
for c in AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID \
  IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE \
  NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE SYS_NICE \
  SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_TIME SYS_TTY_CONFIG SYSLOG WAKE_ALARM; do
  caps="$caps --cap-add $c"
done
cleanup() {
  docker rm -f -v $run-1 $run-2 $run-3 >/dev/null 2>&1 || true
  docker network rm $run >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

start=$(date +%s.%N)
docker network create --subnet 10.213.$((RANDOM % 200)).0/24 $run >/dev/null
subnet=$(docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' $run)
prefix=${subnet%.0/24}
for i in 1 2 3; do
  mkdir -p "$dir/$i"
  # shellcheck disable=SC2086
  docker run -d --name $run-$i --hostname manager-$i --network $run --ip "$prefix.1$i" $caps \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroup-parent /clusterdrill/$run-$i -v "$dir/$i":/run/clusterdrill \
    -e DOCKER_TLS_CERTDIR= "$image" --host=unix:///run/clusterdrill/docker.sock --tls=false >/dev/null &
done
wait
for i in 1 2 3; do
  until docker -H "unix://$dir/$i/docker.sock" version >/dev/null 2>&1; do sleep 0.1; done
done
d1="docker -H unix://$dir/1/docker.sock"
$d1 swarm init --advertise-addr "$prefix.11" >/dev/null
token=$($d1 swarm join-token -q manager)
for i in 2 3; do
  docker -H "unix://$dir/$i/docker.sock" swarm join --token "$token" --advertise-addr "$prefix.1$i" "$prefix.11:2377" >/dev/null
done
until [ "$($d1 node ls --format '{{.Status}} {{.ManagerStatus}}' | grep -c '^Ready \(Leader\|Reachable\)')" = 3 ]; do sleep 0.1; done
end=$(date +%s.%N)
echo "3-manager swarm formed by hand in $(echo "$end - $start" | bc) s"
