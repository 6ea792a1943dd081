#!/usr/bin/env bash
# Provides Chromium for the journey page's browser tests; prints the path of its binary.
# CHROMIUM_PATH, when set, is used as it is (any Chromium or Chrome of major
# CHROMIUM_MIN_MAJOR or newer). Otherwise /usr/bin/chromium from Debian's packages; when it
# is missing and this runs as root on Debian, `apt-get install chromium` at the version
# pinned in versions.env (playwright-core cannot download its own browser here).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

major_of() { "$1" --version 2>/dev/null | sed -n 's/^[^0-9]*\([0-9][0-9]*\)\..*/\1/p' | head -n 1; }
check_version() {
  local binary="$1" major
  major="$(major_of "$binary")"
  [ -n "$major" ] || die "$binary does not run (\`$binary --version\` failed)"
  [ "$major" -ge "$CHROMIUM_MIN_MAJOR" ] || die "$binary is Chromium $major; the browser tests need $CHROMIUM_MIN_MAJOR or newer (set CHROMIUM_PATH to another)"
}

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
  check_version "$CHROMIUM_PATH"
  echo "$CHROMIUM_PATH"
  exit 0
fi

binary=/usr/bin/chromium
if [ ! -x "$binary" ]; then
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || die "Chromium is needed for the journey page's browser tests but $binary is missing.
  Install it: apt-get install chromium   (Debian; as root)
  Or point CHROMIUM_PATH at a Chromium or Chrome binary, major $CHROMIUM_MIN_MAJOR or newer."
  log "installing Debian's chromium $CHROMIUM_DEBIAN_VERSION (once; it stays installed like any package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || log "apt-get update failed; trying the package lists already there"
  if ! apt-get install -y -qq --no-install-recommends "chromium=$CHROMIUM_DEBIAN_VERSION" >&2; then
    log "chromium $CHROMIUM_DEBIAN_VERSION is no longer in Debian's archive; installing its current candidate"
    apt-get install -y -qq --no-install-recommends chromium >&2
  fi
fi
check_version "$binary"
echo "$binary"
