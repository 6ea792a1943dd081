#!/usr/bin/env bash
# Runs one service of apps/ in the foreground, the way every start of it looks:
# OpenTelemetry first (`--import @mqtrace/telemetry/register`), then the app's main.ts,
# compiled on the fly by SWC. Usage: run-service.sh <app>   (e.g. order-api)
# Settings come from the environment (docs/configuration.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
app="${1:-}"
[ -n "$app" ] && [ -f "$REPO_DIR/apps/$app/src/main.ts" ] || die "usage: $0 <app>; apps: $(cd "$REPO_DIR/apps" && echo */ | tr -d /)"
export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-$app}"
# kafkajs 2 warns at every start that its default partitioner changed in 2.0; we use the new one.
export KAFKAJS_NO_PARTITIONER_WARNING=1
cd "$REPO_DIR"
exec bash "$INFRA_DIR/scripts/node-run.sh" --import @mqtrace/telemetry/register "apps/$app/src/main.ts"
