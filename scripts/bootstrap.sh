# shellcheck shell=bash
# Sourced by scripts/start.sh, scripts/test.sh and .ci/run: Node 22/24 on PATH (installed into .tools/ when the
# machine's is older, see node-env.sh), then the workspace's dependencies (`yarn install`; immutable under CI=true,
# so CI fails instead of rewriting yarn.lock). Running it again on an installed tree takes a few seconds.
set -euo pipefail
# shellcheck source=scripts/node-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$PAVED_ROOT"

if [ -n "${CI:-}" ]; then
  yarn install --immutable
else
  yarn install
fi
