# Shared helpers for the infra scripts: where things are cached, where logs go, how a
# missing tool is explained. Sourced, never run.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"
# shellcheck source=../versions.env
source "$INFRA_DIR/versions.env"

# Everything built or downloaded lives outside the checkout, keyed by version, so fresh
# clones and later runs reuse it. Runtime state (pids, logs, data) sits beside it.
MQTRACE_CACHE_DIR="${MQTRACE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mqtrace}"
MQTRACE_STATE_DIR="${MQTRACE_STATE_DIR:-$MQTRACE_CACHE_DIR/run}"
MQTRACE_LOG_DIR="${MQTRACE_LOG_DIR:-$MQTRACE_STATE_DIR/logs}"
export MQTRACE_CACHE_DIR MQTRACE_STATE_DIR MQTRACE_LOG_DIR

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Whether a process runs: it exists and is not a zombie. A background process whose parent
# script has exited is reaped by PID 1 whenever PID 1 gets to it (in some containers, not
# soon), and `kill -0` succeeds on a zombie, so a stop would wait for a process already gone.
pid_alive() {
  local state; state="$(ps -p "$1" -o stat= 2>/dev/null)"
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

# Explains which tool is missing, what to install, and the alternative of pointing the
# project at an existing stack (for example one started with docker compose).
require_tool() {
  local tool="$1" why="$2" install="$3"
  command -v "$tool" >/dev/null 2>&1 && return 0
  die "'$tool' is needed to $why but is not on PATH.
  Install it: $install
  Or skip the native stack and point the project at a running one with
  KAFKA_BROKERS, OTEL_EXPORTER_OTLP_ENDPOINT, TEMPO_URL and JAEGER_URL (see README)."
}

# Runs a build step once per version: the marker file appears only when the step
# succeeded, so an interrupted build is retried from scratch next time. The step's
# output goes to stderr: stdout of a provision script is the path it prints, nothing else.
build_once() {
  local marker="$1"; shift
  [ -f "$marker" ] && return 0
  "$@" >&2 && touch "$marker"
}

# Builds a main package of a Go module at a pinned version inside the module's own
# directory, so the module's replace directives apply (go install @version refuses
# modules that have them). With an expected h1: sum, the module is checked against that
# pin instead of the checksum database (which does not list every pseudo-version).
go_build_module() {
  local module="$1" version="$2" package="$3" output="$4" expected_sum="${5:-}"
  require_tool go "build $module" "Go >= 1.24 (https://go.dev/doc/install or your package manager)"
  local json dir sum
  if [ -n "$expected_sum" ]; then
    json="$(GONOSUMDB="$module" GOFLAGS=-mod=mod go mod download -json "$module@$version")" || true
  else
    json="$(GOFLAGS=-mod=mod go mod download -json "$module@$version")" || true
  fi
  dir="$(json_field Dir <<<"$json")"
  sum="$(json_field Sum <<<"$json")"
  [ -d "$dir" ] || die "could not download $module@$version from the Go module proxy:
$(json_field Error <<<"$json")"
  if [ -n "$expected_sum" ] && [ "$sum" != "$expected_sum" ]; then
    die "$module@$version has checksum $sum, expected $expected_sum (infra/versions.env)"
  fi
  mkdir -p "$(dirname "$output")"
  log "building $module@$version ($package), this takes several minutes the first time"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -o "$output" "$package")
}

# Reads one string field of the flat JSON that `go mod download -json` prints.
json_field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" | head -n 1; }

# Runs `npm ci` when package-lock.json changed since the last install (or never ran).
ensure_npm_dependencies() {
  local lock_hash
  lock_hash="$(sha256sum "$REPO_DIR/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$REPO_DIR/node_modules/.mqtrace-lock" 2>/dev/null)" != "$lock_hash" ]; then
    log "installing npm dependencies (npm ci)"
    (cd "$REPO_DIR" && npm ci --no-audit --no-fund)
    echo "$lock_hash" >"$REPO_DIR/node_modules/.mqtrace-lock"
  fi
}
