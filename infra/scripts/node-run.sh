#!/usr/bin/env bash
# Runs a TypeScript entry point (a tool, a benchmark, a service in development) with the
# pinned Node, compiled on the fly by SWC like the tests. Usage: node-run.sh file.ts [args]
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
export SWC_NODE_PROJECT="$REPO_DIR/tsconfig.base.json"
exec node --enable-source-maps --import @swc-node/register/esm-register --conditions=@mqtrace/source "$@"
