#!/usr/bin/env bash
# Quick start: installs what is missing, then serves the Paved portal (with the sandbox): frontend on http://localhost:3000,
# backend on http://localhost:7007, in-memory SQLite, guest sign-in. Extra arguments go to `yarn start`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec yarn dev "$@"
