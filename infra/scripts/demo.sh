#!/usr/bin/env bash
# The README's first command, `npm run demo [-- --once]`: brings up what is missing and
# places one order on every path, showing each journey (apps/demo). Without --once it
# keeps running until Ctrl-C. See with-system.sh for what starts and stops.
set -euo pipefail
exec bash "$(dirname "$0")/with-system.sh" apps/demo/src/main.ts "$@"
