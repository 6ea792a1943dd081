#!/usr/bin/env bash
# Runs one command with the pinned Node.js and npm first on PATH (fetched on first use).
# Example: infra/scripts/with-node.sh node --version
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
exec "$@"
