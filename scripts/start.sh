#!/usr/bin/env bash
# Quick start: installs what is missing, builds the frontend for production once (again only when its sources change),
# then serves the Paved portal with the sandbox on http://localhost:7007: the backend serves the minified frontend,
# in-memory SQLite, guest sign-in. `yarn dev` is the hot-reloading developer loop (frontend on :3000).
# Extra arguments go to the backend.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
node "$PAVED_ROOT/scripts/build-frontend.mjs"
exec node "$PAVED_ROOT/scripts/dev.mjs" --built "$@"
