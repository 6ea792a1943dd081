#!/usr/bin/env bash
# Runs a TypeScript entry point against the whole native system: provisions what is
# missing (the pinned Node, the npm dependencies, the native stack), starts the stack and
# the five services unless they run already, runs `<entry.ts> [args]`, and on the way out
# stops what it started, and nothing else. Used by `npm run demo` and `npm run bench:journey`.
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
cd "$REPO_DIR"
[ $# -ge 1 ] || die "usage: $0 <entry.ts> [args...]"
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_TUI=false
ensure_npm_dependencies

started_stack=0 started_services=0
cleanup() {
  [ "$started_services" = 1 ] && bash infra/scripts/services.sh down || true
  [ "$started_stack" = 1 ] && bash infra/scripts/stack.sh down || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! bash infra/scripts/stack.sh status >/dev/null 2>&1; then
  started_stack=1
  bash infra/scripts/stack.sh up
fi
if bash infra/scripts/services.sh status >/dev/null 2>&1; then
  log "using the services already running: their TRACE_* switches are the ones they were started with (npm run services:down first to apply this shell's)"
else
  started_services=1
  bash infra/scripts/services.sh up
fi

bash infra/scripts/node-run.sh "$@"
