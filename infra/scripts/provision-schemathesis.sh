#!/usr/bin/env bash
# Installs Schemathesis (the HTTP fuzzer of the reliability suite) from PyPI into a
# virtual environment in the cache, once per pinned package set
# (infra/python/schemathesis-requirements.txt); prints the path of its command.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

requirements="$INFRA_DIR/python/schemathesis-requirements.txt"
require_tool python3 "run Schemathesis" "Python 3.11+ with venv (e.g. 'apt-get install python3 python3-venv')"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || die "Schemathesis needs Python 3.11 or newer; python3 is $(python3 --version 2>&1)"
python3 -c 'import venv, ensurepip' 2>/dev/null \
  || die "python3 cannot create virtual environments; install its venv module (e.g. 'apt-get install python3-venv')"

# Keyed by the package set and the interpreter, so a change to either gets a fresh one.
key="$( (cat "$requirements"; python3 --version) | sha256sum | cut -c1-16)"
venv="$MQTRACE_CACHE_DIR/python/schemathesis-$key"
install() {
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --requirement "$requirements"
}
build_once "$venv/.installed" install
echo "$venv/bin/schemathesis"
