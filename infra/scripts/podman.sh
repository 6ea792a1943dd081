#!/usr/bin/env bash
# Podman for the container tests, with the project's settings (infra/docker/containers.conf):
#   podman.sh tools          installs podman, runc, docker-compose, debootstrap when missing
#   podman.sh socket-up      starts `podman system service` on a socket of the project's
#                            own and prints the DOCKER_HOST for docker-compose to use it
#   podman.sh socket-down    stops it
#   podman.sh <args>         runs podman with the project's settings
set -euo pipefail
source "$(dirname "$0")/podman-env.sh"
PID_FILE="$MQTRACE_STATE_DIR/podman/service.pid"

socket_up() {
  ensure_container_tools
  mkdir -p "$(dirname "$PODMAN_SOCKET")" "$MQTRACE_LOG_DIR"
  if [ -f "$PID_FILE" ] && pid_alive "$(cat "$PID_FILE")"; then
    log "podman system service already running (pid $(cat "$PID_FILE"))"
  else
    rm -f "$PODMAN_SOCKET"
    # No systemd here: the API service runs as a plain background process, and nothing
    # runs containers' health checks (they need systemd timers), so callers poll instead.
    setsid podman system service --time=0 "unix://$PODMAN_SOCKET" >>"$MQTRACE_LOG_DIR/podman-service.log" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
  fi
  for _ in $(seq 1 60); do
    curl -fsS --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1 && { echo "unix://$PODMAN_SOCKET"; return 0; }
    pid_alive "$(cat "$PID_FILE")" || die "podman system service exited; see $MQTRACE_LOG_DIR/podman-service.log"
    sleep 0.5
  done
  die "podman system service did not answer on $PODMAN_SOCKET"
}

socket_down() {
  [ -f "$PID_FILE" ] || return 0
  local pid; pid="$(cat "$PID_FILE")"
  if pid_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 20); do pid_alive "$pid" || break; sleep 0.5; done
    pid_alive "$pid" && kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PODMAN_SOCKET"
}

case "${1:-}" in
  tools) ensure_container_tools; podman --version; docker-compose version --short ;;
  socket-up) socket_up ;;
  socket-down) socket_down ;;
  "") die "usage: $0 tools | socket-up | socket-down | <podman arguments>" ;;
  *) ensure_container_tools; exec podman "$@" ;;
esac
