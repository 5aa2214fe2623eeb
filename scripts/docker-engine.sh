#!/usr/bin/env bash
# Makes sure a Docker engine responds on this machine.
#
# A machine where `docker info` already works is left alone. On a Debian or Ubuntu machine where
# it fails and the script runs as root, Debian's docker.io package is installed and dockerd is started in
# the background, with its log in /var/log/clusterdrill-dockerd.log.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "No Docker engine responds and this script is not running as root, so it cannot install one." >&2
  echo "Start Docker (for example: sudo systemctl start docker) and run the command again." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "No Docker engine responds and apt-get is missing: install Docker for this system, start it and run again." >&2
    exit 1
  fi
  echo "Installing Debian's docker.io package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables >/dev/null
fi

if ! pgrep -x dockerd >/dev/null; then
  echo "Starting dockerd (log: /var/log/clusterdrill-dockerd.log)"
  setsid nohup dockerd >/var/log/clusterdrill-dockerd.log 2>&1 </dev/null &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "Docker engine $(docker version --format '{{.Server.Version}}') is ready"
    exit 0
  fi
  sleep 0.5
done
echo "dockerd did not respond within 30 s; the end of its log follows:" >&2
tail -n 30 /var/log/clusterdrill-dockerd.log >&2 || true
exit 1
