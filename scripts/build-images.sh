#!/usr/bin/env bash
# Builds the Cluster Drill images from Debian packages, for machines that cannot reach a registry.
#
#   clusterdrill/dind:bookworm     a Swarm node: Debian's docker.io engine with the official
#                                  dind image's entrypoint contract (see images/node)
#   clusterdrill/busybox:bookworm  a small workload image for services (busybox-static)
#
# The Debian mirror is read from this machine's apt sources (override with DEBIAN_MIRROR).
# Images that already exist are kept; pass --force to build them again. Needs root, debootstrap
# (installed here when missing) and a running Docker engine.
set -euo pipefail

NODE_IMAGE=${CLUSTERDRILL_LOCAL_NODE_IMAGE:-clusterdrill/dind:bookworm}
WORKLOAD_IMAGE=${CLUSTERDRILL_LOCAL_WORKLOAD_IMAGE:-clusterdrill/busybox:bookworm}
SUITE=${DEBIAN_SUITE:-bookworm}
here=$(cd "$(dirname "$0")/.." && pwd)
force=false
[ "${1:-}" = --force ] && force=true

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Prints the first Debian archive URI in the apt sources (deb822 or one-line format), skipping
# the security archive, which has no full suite.
read_apt_mirror() {
  local files=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  local uri
  uri=$(grep -hsE '^URIs:' "${files[@]}" | awk '{print $2}' | grep -v -- '-security' | grep '/debian' | head -n 1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hsE '^deb[[:space:]]' "${files[@]}" | sed -E 's/\[[^]]*\]//' | awk '{print $2}' \
      | grep -v -- '-security' | grep '/debian' | head -n 1 || true)
  fi
  printf '%s' "$uri"
}

ensure_debootstrap() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
}

build_node_image() {
  local mirror=$1 work=$2
  local rootfs=$work/node-rootfs
  echo "Building $NODE_IMAGE from $mirror ($SUITE); this takes a few minutes"
  debootstrap --variant=minbase \
    --include=docker.io,iptables,iproute2,procps,ca-certificates \
    "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap-node.log" 2>&1 || {
      echo "debootstrap failed; the end of its log follows:" >&2
      tail -n 30 "$work/debootstrap-node.log" >&2
      exit 1
    }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  install -m 0755 "$here/images/node/dockerd-entrypoint.sh" "$rootfs/usr/local/bin/dockerd-entrypoint.sh"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENTRYPOINT ["dockerd-entrypoint.sh"]' \
    --change 'CMD []' \
    --change 'ENV DOCKER_TLS_CERTDIR=' \
    --change 'VOLUME /var/lib/docker' \
    --change 'EXPOSE 2375 2376' \
    --change 'LABEL org.clusterdrill.image=node' \
    - "$NODE_IMAGE" >/dev/null
  echo "Built $NODE_IMAGE ($(docker image inspect --format '{{.Size}}' "$NODE_IMAGE" | numfmt --to=iec))"
}

build_workload_image() {
  local work=$1
  local rootfs=$work/busybox-rootfs
  echo "Building $WORKLOAD_IMAGE from Debian's busybox-static"
  mkdir -p "$work/deb" "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
  (cd "$work/deb" && apt-get download busybox-static >/dev/null 2>&1) || {
    apt-get update -qq
    (cd "$work/deb" && apt-get download busybox-static >/dev/null)
  }
  dpkg-deb -x "$work"/deb/busybox-static_*.deb "$work/deb/extract"
  install -m 0755 "$work/deb/extract/bin/busybox" "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  tar -C "$rootfs" -c . | docker import \
    --change 'CMD ["sh"]' \
    --change 'ENV PATH=/bin' \
    --change 'LABEL org.clusterdrill.image=workload' \
    - "$WORKLOAD_IMAGE" >/dev/null
  echo "Built $WORKLOAD_IMAGE"
}

work=""
cleanup() { [ -z "$work" ] || rm -rf "$work"; }

main() {
  if ! docker info >/dev/null 2>&1; then
    echo "No Docker engine responds; run scripts/docker-engine.sh first." >&2
    exit 1
  fi
  local need_node=true need_workload=true
  if ! $force; then
    image_exists "$NODE_IMAGE" && need_node=false
    image_exists "$WORKLOAD_IMAGE" && need_workload=false
  fi
  if ! $need_node && ! $need_workload; then
    echo "Images $NODE_IMAGE and $WORKLOAD_IMAGE exist"
    return
  fi

  work=$(mktemp -d /tmp/clusterdrill-images.XXXXXX)
  trap cleanup EXIT
  if $need_workload; then
    build_workload_image "$work"
  fi
  if $need_node; then
    local mirror=${DEBIAN_MIRROR:-$(read_apt_mirror)}
    if [ -z "$mirror" ]; then
      echo "No Debian mirror found in the apt sources; set DEBIAN_MIRROR to the mirror's URL." >&2
      exit 1
    fi
    ensure_debootstrap
    build_node_image "$mirror" "$work"
  fi
}

main
