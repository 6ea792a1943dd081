#!/usr/bin/env bash
# The five services as background processes against the native stack (or any stack the
# environment points at), each on its own port, their logs in one folder.
# Usage: services.sh up | down | status | kill <service> [SIGNAL]
#   up      starts every service not running yet and waits until each is ready
#   down    SIGTERM to each (graceful: finish the record in hand, commit, flush spans)
#   kill    sends one service a signal (default KILL, a crash) and waits until it is gone;
#           `up` starts it again (fault drills and tests)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PID_DIR="$MQTRACE_STATE_DIR/pids/services"
LOG_DIR="$MQTRACE_LOG_DIR/services"
READY_TIMEOUT_SECONDS="${SERVICES_READY_TIMEOUT_SECONDS:-120}"
STOP_TIMEOUT_SECONDS="${SERVICES_STOP_TIMEOUT_SECONDS:-15}"

# Start order: consumers first, the HTTP edge last, so no order waits on a missing consumer.
SERVICES=(notification payments inventory fulfillment-worker order-api)
port_of() {
  case "$1" in
    order-api) echo "${ORDER_API_PORT:-3000}" ;; fulfillment-worker) echo "${FULFILLMENT_WORKER_PORT:-3001}" ;;
    inventory) echo "${INVENTORY_PORT:-3002}" ;; payments) echo "${PAYMENTS_PORT:-3003}" ;;
    notification) echo "${NOTIFICATION_PORT:-3004}" ;;
  esac
}
pid_of() { cat "$PID_DIR/$1.pid" 2>/dev/null || true; }
is_running() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] && pid_alive "$pid" && ps -p "$pid" -o args= 2>/dev/null | grep -qF "apps/$1/src/main.ts"
}
ready_url() { echo "http://${HOST:-127.0.0.1}:$(port_of "$1")/health/ready"; }
is_ready() { curl -fsS -o /dev/null --max-time 5 "$(ready_url "$1")" 2>/dev/null; }

start() {
  local name="$1"
  mkdir -p "$PID_DIR" "$LOG_DIR"
  printf '\n==== %s starting %s\n' "$(date -Is)" "$name" >>"$LOG_DIR/$name.log"
  # Its own session, so `down` reaches the node process behind the wrapper scripts.
  # The service's own name, whatever OTEL_SERVICE_NAME the calling shell holds.
  OTEL_SERVICE_NAME="$name" PORT="$(port_of "$name")" setsid bash "$INFRA_DIR/scripts/run-service.sh" "$name" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

wait_ready() {
  local name="$1" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until is_ready "$name"; do
    is_running "$name" || die "$name exited during start-up; last lines of $LOG_DIR/$name.log:
$(tail -n 20 "$LOG_DIR/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$name not ready after ${READY_TIMEOUT_SECONDS}s ($(ready_url "$name")); see $LOG_DIR/$name.log"
    sleep 0.5
  done
  log "$name ready on port $(port_of "$name")"
}

up() {
  require_tool curl "probe the services' readiness endpoints" "curl (e.g. 'apt-get install curl')"
  local name
  for name in "${SERVICES[@]}"; do
    if is_running "$name"; then log "$name already running (pid $(pid_of "$name"))"; else start "$name"; fi
  done
  # Started together, waited for together: five Node start-ups overlap.
  for name in "${SERVICES[@]}"; do wait_ready "$name"; done
  log "services up; logs in $LOG_DIR"
}

down() {
  local name pid
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    name="${SERVICES[i]}"; pid="$(pid_of "$name")"
    if is_running "$name"; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    fi
  done
  for name in "${SERVICES[@]}"; do
    pid="$(pid_of "$name")"
    [ -n "$pid" ] || continue
    for _ in $(seq 1 $((STOP_TIMEOUT_SECONDS * 2))); do pid_alive "$pid" || break; sleep 0.5; done
    if pid_alive "$pid"; then
      log "$name still running ${STOP_TIMEOUT_SECONDS}s after SIGTERM; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    rm -f "$PID_DIR/$name.pid"
    log "$name stopped"
  done
}

kill_service() {
  local name="${1:-}" signal="${2:-KILL}" pid
  [[ " ${SERVICES[*]} " == *" $name "* ]] || die "usage: $0 kill <service> [SIGNAL]; services: ${SERVICES[*]}"
  is_running "$name" || die "$name is not running"
  pid="$(pid_of "$name")"
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid"
  for _ in $(seq 1 $((STOP_TIMEOUT_SECONDS * 2))); do pid_alive "$pid" || break; sleep 0.5; done
  pid_alive "$pid" && die "$name still running ${STOP_TIMEOUT_SECONDS}s after SIG$signal"
  rm -f "$PID_DIR/$name.pid"
  log "$name stopped by SIG$signal"
}

status() {
  local name all_up=0
  for name in "${SERVICES[@]}"; do
    if is_running "$name"; then
      if is_ready "$name"; then printf '%-20s ready      pid %-8s %s\n' "$name" "$(pid_of "$name")" "$(ready_url "$name")"
      else printf '%-20s not ready  pid %-8s %s\n' "$name" "$(pid_of "$name")" "$(ready_url "$name")"; all_up=1; fi
    else
      printf '%-20s stopped\n' "$name"; all_up=1
    fi
  done
  printf 'logs: %s\n' "$LOG_DIR"
  return "$all_up"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill) kill_service "${2:-}" "${3:-KILL}" ;;
  *) die "usage: $0 up|down|status|kill <service> [SIGNAL]" ;;
esac
