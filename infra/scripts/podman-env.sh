# Makes Podman usable for this project, sourced by the container scripts: installs Debian's
# podman, runc, docker-compose and debootstrap when missing (as root, like any package;
# nothing under /etc is changed), and points Podman at the project's own settings
# (infra/docker/containers.conf: runc, ulimits, no systemd) with CONTAINERS_CONF.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PODMAN_SOCKET="$MQTRACE_STATE_DIR/podman/podman.sock"

# infra/docker/containers.conf with this machine's hard limits filled in (capped).
podman_settings() {
  local dir="$MQTRACE_STATE_DIR/podman" nofile nproc
  nofile="$(ulimit -Hn)"; nproc="$(ulimit -Hu)"
  { [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ]; } && nofile=65536
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 8192 ]; } && nproc=8192
  mkdir -p "$dir"
  sed "s/@NOFILE@/$nofile/g; s/@NPROC@/$nproc/g" "$INFRA_DIR/docker/containers.conf" >"$dir/containers.conf"
  export CONTAINERS_CONF="$dir/containers.conf"
}
podman_settings

ensure_container_tools() {
  local missing=() tool
  for tool in podman runc docker-compose debootstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || die "${missing[*]} needed for the container tests but not installed.
  Install them: apt-get install podman runc docker-compose debootstrap   (Debian; as root)
  Or leave the containers out: the native stack needs none of them."
  log "installing Debian's ${missing[*]} (once; they stay installed like any package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get could not install ${missing[*]}"
}
