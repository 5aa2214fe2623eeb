#!/usr/bin/env bash
# Builds the Cluster Drill images from Debian packages, for machines that cannot reach a registry.
#
#   clusterdrill/dind:bookworm     a Swarm node: Debian's docker.io engine with the official
#                                  dind image's entrypoint contract (see images/node)
#   clusterdrill/busybox:bookworm  a small workload image for services (busybox-static)
#   clusterdrill/registry:bookworm the distribution registry (docker-registry) for the registry lab
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

# Builds clusterdrill/etcd:bookworm (or CLUSTERDRILL_LOCAL_ETCD_IMAGE): Debian's etcd-server and
# etcd-client on a minbase root, for the etcd snapshot tests of harness-k8s. Kept when present
# unless --force was given.
build_etcd_image_if_missing() {
  local image=${CLUSTERDRILL_LOCAL_ETCD_IMAGE:-clusterdrill/etcd:bookworm}
  if ! $force && image_exists "$image"; then
    echo "Image $image exists"
    return
  fi
  local mirror=${DEBIAN_MIRROR:-$(read_apt_mirror)}
  if [ -z "$mirror" ]; then
    echo "No Debian mirror found in the apt sources; set DEBIAN_MIRROR to the mirror's URL." >&2
    exit 1
  fi
  ensure_debootstrap
  if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/clusterdrill-images.XXXXXX)
    trap cleanup EXIT
  fi
  local rootfs=$work/etcd-rootfs
  echo "Building $image from $mirror ($SUITE)"
  debootstrap --variant=minbase --include=etcd-server,etcd-client \
    "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap-etcd.log" 2>&1 || {
      echo "debootstrap failed; the end of its log follows:" >&2
      tail -n 30 "$work/debootstrap-etcd.log" >&2
      exit 1
    }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" -c . | docker import \
    --change 'CMD ["etcd"]' \
    --change 'ENV ETCDCTL_API=3' \
    --change 'LABEL org.clusterdrill.image=etcd' \
    - "$image" >/dev/null
  echo "Built $image ($(docker run --rm "$image" etcd --version | head -n 1))"
}

# Builds clusterdrill/registry:bookworm (or CLUSTERDRILL_LOCAL_REGISTRY_IMAGE): the distribution
# registry from Debian's docker-registry package, with apache2-utils for bcrypt htpasswd files,
# openssl, ca-certificates and curl, for the registry lab. Kept when present unless --force was given.
build_registry_image_if_missing() {
  local image=${CLUSTERDRILL_LOCAL_REGISTRY_IMAGE:-clusterdrill/registry:bookworm}
  if ! $force && image_exists "$image"; then
    echo "Image $image exists"
    return
  fi
  local mirror=${DEBIAN_MIRROR:-$(read_apt_mirror)}
  if [ -z "$mirror" ]; then
    echo "No Debian mirror found in the apt sources; set DEBIAN_MIRROR to the mirror's URL." >&2
    exit 1
  fi
  ensure_debootstrap
  if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/clusterdrill-images.XXXXXX)
    trap cleanup EXIT
  fi

  local rootfs=$work/registry-rootfs
  echo "Building $image from $mirror ($SUITE)"
  debootstrap --variant=minbase --include=docker-registry,apache2-utils,openssl,ca-certificates,curl \
    "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap-registry.log" 2>&1 || {
      echo "debootstrap failed; the end of its log follows:" >&2
      tail -n 30 "$work/debootstrap-registry.log" >&2
      exit 1
    }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

  # The same contract as the official registry:2 image: port 5000, the configuration file at
  # /etc/docker/registry/config.yml, and REGISTRY_* variables overriding its keys.
  tar -C "$rootfs" -c . | docker import \
    --change 'CMD ["docker-registry", "serve", "/etc/docker/registry/config.yml"]' \
    --change 'EXPOSE 5000' \
    --change 'LABEL org.clusterdrill.image=registry' \
    - "$image" >/dev/null
  echo "Built $image ($(docker run --rm "$image" docker-registry --version))"
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
build_etcd_image_if_missing
build_registry_image_if_missing
