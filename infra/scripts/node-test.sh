#!/usr/bin/env bash
# Runs TypeScript test files with Node's built-in test runner, compiling on the fly
# with SWC (which emits the decorator metadata NestJS dependency injection needs).
# Usage: node-test.sh 'glob' ['glob' ...]   (globs are expanded by Node, not the shell;
# they support extglob, so 'src/**/!(*.integration).spec.ts' selects the unit tests)
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
export SWC_NODE_PROJECT="$REPO_DIR/tsconfig.base.json"
exec node --enable-source-maps \
  --import @swc-node/register/esm-register \
  --conditions=@mqtrace/source \
  --test --test-timeout="${TEST_TIMEOUT_MS:-180000}" \
  "$@"
