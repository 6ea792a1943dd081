#!/usr/bin/env bash
# The README's test command (`npm test`). On a fresh clone it provisions everything:
# the pinned Node, the npm dependencies, and the native stack (Kafka, collectors, Tempo,
# Jaeger) unless MQTRACE_STACK=external says another stack is already reachable at the
# addresses in KAFKA_BROKERS, OTEL_EXPORTER_OTLP_ENDPOINT, TEMPO_URL and JAEGER_URL, and
# Chromium and Podman for the browser and container tests.
# Then lint, typecheck and every test, unit and integration (`*.integration.spec.ts`),
# in one run over globs that match each spec file once; Node's test runner prints the
# closing summary.
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
cd "$REPO_DIR"
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_TUI=false

# Reinstall only when the lockfile changed since the last install.
ensure_npm_dependencies

# The journey page's browser tests drive Debian's Chromium, the container tests use
# Podman, runc, docker-compose and a Node base image built from a Debian root filesystem,
# and the HTTP fuzzing test Schemathesis in a Python venv: installed here when missing.
# They are mostly downloads, so on a first run they go on while the stack's first start
# builds its Go programs (which keeps both cores busy).
mkdir -p "$MQTRACE_LOG_DIR"
prepare_log="$MQTRACE_LOG_DIR/test-prepare.log"
( bash infra/scripts/provision-chromium.sh && bash infra/scripts/podman.sh tools \
    && bash infra/scripts/container-images.sh base && bash infra/scripts/provision-schemathesis.sh ) >"$prepare_log" 2>&1 &
prepare=$!

if [ "${MQTRACE_STACK:-native}" = native ]; then
  # Stop the stack afterwards only if this run started it.
  if ! bash infra/scripts/stack.sh status >/dev/null 2>&1; then
    trap 'bash infra/scripts/stack.sh down >>"$MQTRACE_LOG_DIR/stack-down.log" 2>&1' EXIT
  fi
  bash infra/scripts/stack.sh up
fi

wait "$prepare" || { cat "$prepare_log" >&2; die "installing Chromium, the container tools or Schemathesis failed (above; $prepare_log)"; }

npx nx sync:check
npx nx run-many -t lint typecheck --outputStyle=static
bash infra/scripts/node-test.sh 'libs/*/src/**/*.spec.ts' 'apps/*/src/**/*.spec.ts' 'infra/tests/**/*.spec.ts'
