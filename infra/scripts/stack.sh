#!/usr/bin/env bash
# The native stack: Kafka, Tempo, Jaeger and the two collector tiers as plain processes
# on 127.0.0.1, from the config files in infra/ (the same files docker-compose.yml
# mounts). Usage: stack.sh up | down | status | start <component> | stop <component>
# (`stop kafka` and then `up` is a broker restart: the way to show what an outage does;
# `start kafka` with other ports and MQTRACE_STATE_DIR is a second, scratch broker)
#
#   services --OTLP--> otelcol-gateway --by trace id--> otelcol-sampler-1 --+--> tempo
#                        (4317/4318)                    otelcol-sampler-2 --+--> jaeger
#                                                       (24317, 24327)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SCRIPTS_DIR="$INFRA_DIR/scripts"
PID_DIR="$MQTRACE_STATE_DIR/pids"
DATA_DIR="$MQTRACE_STATE_DIR/data"

# Addresses (the config files read the same variables with the same defaults).
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# The port clients are told to connect to: another than KAFKA_PORT only behind a relay or
# a port mapping (the reliability suite puts a relay there that can hold writes).
KAFKA_ADVERTISED_PORT="${KAFKA_ADVERTISED_PORT:-$KAFKA_PORT}"
TEMPO_READY_URL="http://${TEMPO_LISTEN_ADDRESS:-127.0.0.1}:${TEMPO_HTTP_PORT:-3200}/ready"
JAEGER_READY_URL="http://${JAEGER_HEALTH_ENDPOINT:-127.0.0.1:13135}/status"
# Two tail-sampling instances, as docker-compose.yml runs two replicas: the gateway's
# routing by trace id is what keeps each trace whole on one of them.
SAMPLER_1_OTLP="${OTELCOL_SAMPLER_1_OTLP_GRPC_ENDPOINT:-127.0.0.1:24317}"
SAMPLER_1_HEALTH="${OTELCOL_SAMPLER_1_HEALTH_ENDPOINT:-127.0.0.1:13134}"
SAMPLER_1_METRICS_PORT="${OTELCOL_SAMPLER_1_METRICS_PORT:-8889}"
SAMPLER_2_OTLP="${OTELCOL_SAMPLER_2_OTLP_GRPC_ENDPOINT:-127.0.0.1:24327}"
SAMPLER_2_HEALTH="${OTELCOL_SAMPLER_2_HEALTH_ENDPOINT:-127.0.0.1:13136}"
SAMPLER_2_METRICS_PORT="${OTELCOL_SAMPLER_2_METRICS_PORT:-8891}"
GATEWAY_READY_URL="http://${OTELCOL_GATEWAY_HEALTH_ENDPOINT:-127.0.0.1:13133}/"
READY_TIMEOUT_SECONDS="${STACK_READY_TIMEOUT_SECONDS:-120}"
# Tempo's query frontend can wait forever for its own querier on shutdown once it has
# served a query, so a component gets this long after SIGTERM before SIGKILL.
STOP_TIMEOUT_SECONDS="${STACK_STOP_TIMEOUT_SECONDS:-15}"

# Start order: each component's downstream first, so nothing exports into the void.
COMPONENTS=(kafka tempo jaeger otelcol-sampler-1 otelcol-sampler-2 otelcol-gateway)

pid_of() { cat "$PID_DIR/$1.pid" 2>/dev/null || true; }

# A word of each component's command line: a pid file left by a machine restart may
# name a pid that now belongs to some other process.
command_token() {
  case "$1" in
    kafka) echo kafka.Kafka ;; tempo) echo tempo.yaml ;; jaeger) echo jaeger/config.yaml ;;
    otelcol-sampler-*) echo sampler.yaml ;; otelcol-gateway) echo gateway.yaml ;;
  esac
}
is_running() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] && pid_alive "$pid" && ps -p "$pid" -o args= 2>/dev/null | grep -qF "$(command_token "$1")"
}
# During start-up the pid is the one `spawn` just recorded, so only liveness counts: right
# after the fork the child still shows this script's command line until it execs, and a
# command-line check there reports a healthy start as an exit.
alive() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] && pid_alive "$pid"
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Runs a component in its own session (so `down` can stop its whole process group),
# appending its output to one log file per component.
spawn() {
  local name="$1"; shift
  mkdir -p "$PID_DIR" "$MQTRACE_LOG_DIR"
  printf '\n==== %s starting %s\n' "$(date -Is)" "$name" >>"$MQTRACE_LOG_DIR/$name.log"
  setsid "$@" >>"$MQTRACE_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

wait_ready() {
  local name="$1"; shift
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until "$@"; do
    alive "$name" || die "$name exited during start-up; last lines of $MQTRACE_LOG_DIR/$name.log:
$(tail -n 20 "$MQTRACE_LOG_DIR/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$name not ready after ${READY_TIMEOUT_SECONDS}s; see $MQTRACE_LOG_DIR/$name.log"
    sleep 0.5
  done
  log "$name ready"
}

start_kafka() {
  local libs dir props
  libs="$("$SCRIPTS_DIR/provision-kafka.sh")"
  dir="$DATA_DIR/kafka"; props="$dir/server.properties"
  mkdir -p "$dir" "$MQTRACE_LOG_DIR"
  {
    cat "$INFRA_DIR/kafka/server.properties"
    echo "log.dirs=$dir/logs"
    echo "listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
    echo "advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_ADVERTISED_PORT"
    echo "controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
    # The official image's variable, so one name serves both; false is the usual
    # production setting, where the services create their topics themselves.
    [ -z "${KAFKA_AUTO_CREATE_TOPICS_ENABLE:-}" ] || echo "auto.create.topics.enable=$KAFKA_AUTO_CREATE_TOPICS_ENABLE"
  } >"$props"
  if [ ! -f "$dir/logs/meta.properties" ]; then
    log "formatting Kafka storage in $dir/logs (first start)"
    java -cp "$libs/*" kafka.tools.StorageTool format --config "$props" \
      --cluster-id "$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" >>"$MQTRACE_LOG_DIR/kafka.log" 2>&1 \
      || die "formatting Kafka storage failed; see $MQTRACE_LOG_DIR/kafka.log"
  fi
  spawn kafka java -Xms256m -Xmx512m -cp "$libs/*" kafka.Kafka "$props"
}
ready_kafka() { tcp_open "$KAFKA_HOST" "$KAFKA_PORT"; }

start_tempo() {
  local binary; binary="$("$SCRIPTS_DIR/provision-tempo.sh")"
  mkdir -p "$DATA_DIR/tempo"
  TEMPO_DATA_DIR="$DATA_DIR/tempo" spawn tempo "$binary" \
    -config.file="$INFRA_DIR/tempo/tempo.yaml" -config.expand-env=true
}
ready_tempo() { http_ok "$TEMPO_READY_URL"; }

start_jaeger() {
  local binary; binary="$("$SCRIPTS_DIR/provision-jaeger.sh")"
  spawn jaeger "$binary" --config "$INFRA_DIR/jaeger/config.yaml"
}
ready_jaeger() { http_ok "$JAEGER_READY_URL"; }

# One sampler instance: the same config file, its own ports.
start_sampler() {
  local name="$1" otlp="$2" health="$3" metrics_port="$4" binary
  binary="$("$SCRIPTS_DIR/provision-otelcol.sh")"
  OTELCOL_SAMPLER_OTLP_GRPC_ENDPOINT="$otlp" OTELCOL_SAMPLER_HEALTH_ENDPOINT="$health" OTELCOL_SAMPLER_METRICS_PORT="$metrics_port" \
    spawn "$name" "$binary" --config "$INFRA_DIR/otelcol/sampler.yaml"
}
start_otelcol-sampler-1() { start_sampler otelcol-sampler-1 "$SAMPLER_1_OTLP" "$SAMPLER_1_HEALTH" "$SAMPLER_1_METRICS_PORT"; }
start_otelcol-sampler-2() { start_sampler otelcol-sampler-2 "$SAMPLER_2_OTLP" "$SAMPLER_2_HEALTH" "$SAMPLER_2_METRICS_PORT"; }
ready_otelcol-sampler-1() { http_ok "http://$SAMPLER_1_HEALTH/"; }
ready_otelcol-sampler-2() { http_ok "http://$SAMPLER_2_HEALTH/"; }

start_otelcol-gateway() {
  local binary; binary="$("$SCRIPTS_DIR/provision-otelcol.sh")"
  OTELCOL_SAMPLER_RESOLVER="{static: {hostnames: [$SAMPLER_1_OTLP, $SAMPLER_2_OTLP]}}" \
    spawn otelcol-gateway "$binary" --config "$INFRA_DIR/otelcol/gateway.yaml"
}
ready_otelcol-gateway() { http_ok "$GATEWAY_READY_URL"; }

# What the components run, fetched and built before any starts. A first start builds three
# Go programs; built one after another, each one's module downloads and single-threaded
# link step leave a core idle, so they are built side by side (and Kafka's jars fetched
# meanwhile). Once cached, each script only prints its path.
provision_components() {
  local script pids=() scripts=() failed=()
  for script in provision-kafka.sh provision-tempo.sh provision-jaeger.sh provision-otelcol.sh; do
    "$SCRIPTS_DIR/$script" >/dev/null &
    pids+=("$!"); scripts+=("$script")
  done
  local i
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${scripts[$i]}"); done
  [ "${#failed[@]}" -eq 0 ] || die "could not provision the stack: ${failed[*]} failed (its messages are above)"
}

# One component alone (if it is not running), ready when this returns; what it sends to
# or reads from is not started.
start_component() {
  local name="$1"
  if is_running "$name"; then log "$name already running (pid $(pid_of "$name"))"; else "start_$name"; fi
  wait_ready "$name" "ready_$name"
}

# The tools the stack needs beyond its cached components: curl for every readiness
# probe, Java for Kafka (only when `component` is Kafka; the whole stack when none is named).
require_stack_tools() {
  require_tool curl "probe the stack's health endpoints" "curl (e.g. 'apt-get install curl')"
  [ "${1:-kafka}" != kafka ] || require_tool java "run Apache Kafka" "a Java 17+ runtime (e.g. 'apt-get install openjdk-17-jre-headless')"
}

up() {
  require_stack_tools
  provision_components
  local name
  for name in "${COMPONENTS[@]}"; do start_component "$name"; done
  log "stack up; logs in $MQTRACE_LOG_DIR"
}

stop_component() {
  local name="$1" pid; pid="$(pid_of "$name")"
  if is_running "$name"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 $((STOP_TIMEOUT_SECONDS * 2))); do pid_alive "$pid" || break; sleep 0.5; done
    if pid_alive "$pid"; then
      log "$name still running ${STOP_TIMEOUT_SECONDS}s after SIGTERM; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    log "$name stopped"
  fi
  rm -f "$PID_DIR/$name.pid"
}

# Stops in reverse order so the collectors flush into backends that are still there.
down() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop_component "${COMPONENTS[i]}"; done
}

status() {
  local name all_up=0
  for name in "${COMPONENTS[@]}"; do
    if is_running "$name"; then
      if "ready_$name"; then printf '%-18s ready    pid %s\n' "$name" "$(pid_of "$name")"
      else printf '%-18s starting pid %s\n' "$name" "$(pid_of "$name")"; all_up=1; fi
    else
      printf '%-18s stopped\n' "$name"; all_up=1
    fi
  done
  printf 'logs: %s\n' "$MQTRACE_LOG_DIR"
  return "$all_up"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  start)
    [[ " ${COMPONENTS[*]} " == *" ${2:-} "* ]] || die "usage: $0 start <component>, one of: ${COMPONENTS[*]}"
    require_stack_tools "$2"
    start_component "$2" ;;
  stop)
    [[ " ${COMPONENTS[*]} " == *" ${2:-} "* ]] || die "usage: $0 stop <component>, one of: ${COMPONENTS[*]}"
    stop_component "$2" ;;
  *) die "usage: $0 up|down|status|start <component>|stop <component>" ;;
esac
