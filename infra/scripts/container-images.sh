#!/usr/bin/env bash
# Builds the images the project owns with Podman, with no registry to pull from:
#   container-images.sh base          the Node base image the Dockerfile names
#                                     (node:$NODE_VERSION-bookworm-slim), from a Debian
#                                     root filesystem (debootstrap) and the pinned Node
#   container-images.sh build <app>…  mqtrace/<app>:0.1.0 from the Dockerfile (base first)
# The root filesystem is cached in $MQTRACE_CACHE_DIR/debian; images live in Podman's store.
set -euo pipefail
source "$(dirname "$0")/podman-env.sh"
source "$(dirname "$0")/node-env.sh" >/dev/null

BASE_IMAGE="docker.io/library/node:$NODE_VERSION-bookworm-slim"
STAGING=""
trap 'rm -rf "$STAGING"' EXIT
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# A minimal Debian (essential packages, apt, CA certificates), once.
debian_rootfs() {
  local dir="$MQTRACE_CACHE_DIR/debian/$DEBIAN_SUITE-minbase"
  make() {
    rm -rf "$dir" && mkdir -p "$dir"
    debootstrap --variant=minbase --include=ca-certificates "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR"
    # An image needs no package cache or apt lists.
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  }
  build_once "$dir.installed" make
  echo "$dir"
}

base() {
  if podman image exists "$BASE_IMAGE"; then log "$BASE_IMAGE present"; return 0; fi
  ensure_container_tools
  local rootfs staging
  rootfs="$(debian_rootfs)"
  staging="$(mktemp -d "$MQTRACE_CACHE_DIR/debian/staging.XXXXXX")"
  STAGING="$staging"
  log "building $BASE_IMAGE from Debian $DEBIAN_SUITE and Node $NODE_VERSION (npm $NPM_VERSION)"
  cp -a "$rootfs/." "$staging/"
  # The pinned Node and npm, where the official image has them.
  install -m 0755 "$MQTRACE_NODE_DIR/bin/node" "$staging/usr/local/bin/node"
  mkdir -p "$staging/usr/local/lib/node_modules"
  cp -a "$MQTRACE_NODE_DIR/lib/node_modules/npm" "$staging/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$staging/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$staging/usr/local/bin/npx"
  # The certificate authorities this machine trusts (Debian's and any a TLS-inspecting
  # proxy adds), so npm in a build reaches the registry the way the host does.
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    cp /etc/ssl/certs/ca-certificates.crt "$staging/etc/ssl/certs/ca-certificates.crt"
  fi
  # The official image's unprivileged user: node, uid and gid 1000.
  echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$staging/etc/passwd"
  echo 'node:x:1000:' >>"$staging/etc/group"
  mkdir -p "$staging/home/node" && chown 1000:1000 "$staging/home/node"
  tar -C "$staging" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
  log "$BASE_IMAGE built"
}

build() {
  [ $# -ge 1 ] || die "usage: $0 build <app>..."
  base
  local app
  for app in "$@"; do
    [ -f "$REPO_DIR/apps/$app/tsconfig.app.json" ] || die "no app $app in apps/"
    log "building mqtrace/$app:0.1.0"
    # Host networking for the build's npm ci: no network set-up is needed for it.
    # Tagged under both names a client may look it up by: Podman's (localhost/) and
    # Docker's (docker.io/), which docker-compose uses through Podman's API socket.
    podman build --layers --pull=never --network=host --build-arg "APP=$app" \
      -t "localhost/mqtrace/$app:0.1.0" -t "docker.io/mqtrace/$app:0.1.0" -f "$REPO_DIR/Dockerfile" "$REPO_DIR" >&2
  done
  # Every source change leaves the previous build stages behind as untagged images (the
  # layer cache); those a day old are removed, so repeated runs do not fill the disk.
  podman image prune --force --filter until=24h >/dev/null
}

case "${1:-}" in
  base) base ;;
  build) shift; build "$@" ;;
  *) die "usage: $0 base | build <app>..." ;;
esac
