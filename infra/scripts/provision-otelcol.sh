#!/usr/bin/env bash
# Builds the project's collector distribution with the OpenTelemetry Collector Builder
# (ocb) from infra/otelcol/builder-config.yaml, once per version; prints the binary path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# Keyed by version and manifest content, so editing the manifest triggers a rebuild.
manifest="$INFRA_DIR/otelcol/builder-config.yaml"
dir="$MQTRACE_CACHE_DIR/otelcol/$OTELCOL_VERSION-$(sha256sum "$manifest" | cut -c1-12)"
binary="$dir/dist/mqtrace-otelcol"

build() {
  require_tool go "build the OpenTelemetry Collector" "Go >= 1.24 (https://go.dev/doc/install or your package manager)"
  mkdir -p "$dir"
  log "installing the collector builder v$OTELCOL_VERSION"
  GOBIN="$dir/bin" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  sed -e "s/OTELCOL_VERSION/$OTELCOL_VERSION/g" -e "s#OUTPUT_PATH#$dir/dist#" \
    "$manifest" > "$dir/builder-config.yaml"
  log "building the collector distribution, this takes several minutes the first time"
  "$dir/bin/builder" --config "$dir/builder-config.yaml" > "$dir/build.log" 2>&1 \
    || { tail -30 "$dir/build.log" >&2; die "collector build failed, full log: $dir/build.log"; }
}

build_once "$dir/.built" build
echo "$binary"
