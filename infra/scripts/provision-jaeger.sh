#!/usr/bin/env bash
# Builds Jaeger v2 (the collector-based all-in-one binary) from its Go module at the
# pinned version, once; prints the binary path. A go-built Jaeger has no web UI: its
# assets ship only with GitHub releases. The HTTP query API is all the tests need.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

binary="$MQTRACE_CACHE_DIR/jaeger/$JAEGER_MODULE_VERSION/jaeger"
build_once "$binary.built" go_build_module github.com/jaegertracing/jaeger "$JAEGER_MODULE_VERSION" ./cmd/jaeger "$binary"
echo "$binary"
