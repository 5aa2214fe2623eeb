#!/bin/sh
# Entrypoint of the Cluster Drill node image, with the same contract as the official
# docker:<version>-dind image: no arguments, or arguments starting with "-", run dockerd with
# those flags added to the default listeners; "dockerd ..." runs dockerd as given; any other
# command runs as it is.
#
# DOCKER_TLS_CERTDIR is accepted for compatibility but TLS certificates are not generated here:
# without certificates, the default TCP listener is plain on port 2375 and --tls=false is added
# so dockerd 20.10 does not wait 15 s before it serves an unencrypted TCP socket.
# NOTE: unlike the official image's dind script, this does not move processes into a child cgroup
# for cgroup v2 nesting, so the image is only known to work on cgroup v1 hosts.
set -eu

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- dockerd \
    --host=unix:///var/run/docker.sock \
    --host=tcp://0.0.0.0:2375 \
    --tls=false \
    "$@"
fi

if [ "$1" = dockerd ]; then
  # dockerd expects its runtime folders; a fresh container has none of them.
  mkdir -p /var/run /run/docker
  # Left-over pid files from a container that was stopped hard keep dockerd from starting.
  rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid
fi

exec "$@"
