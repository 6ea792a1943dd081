#!/usr/bin/env bash
# Builds Grafana Tempo (single binary) from its Go module at the pinned version, once;
# prints the binary path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

binary="$MQTRACE_CACHE_DIR/tempo/$TEMPO_MODULE_VERSION/tempo"
build_once "$binary.built" go_build_module github.com/grafana/tempo "$TEMPO_MODULE_VERSION" ./cmd/tempo "$binary" "$TEMPO_MODULE_SUM"
echo "$binary"
