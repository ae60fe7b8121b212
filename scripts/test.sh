#!/usr/bin/env bash
# Runs every test: unit and integration tests of every package (SQLite always; PostgreSQL when
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set), then the browser tests against `yarn start`
# when a Chromium is available (PAVED_CHROMIUM, or /usr/bin/chromium from Debian's `chromium` package).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# Our test databases come from connection strings, never from Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER="${BACKSTAGE_TEST_DISABLE_DOCKER:-1}"
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "paved: PostgreSQL tests will be skipped; set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432 to run them." >&2
fi

reports="$PAVED_ROOT/e2e-artifacts"
mkdir -p "$reports"
rm -f "$reports/jest.json" "$reports/playwright.json"
status=0

yarn test:unit --json --outputFile="$reports/jest.json" || status=$?

chromium="${PAVED_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -n "$chromium" ]; then
  PAVED_CHROMIUM="$chromium" PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" yarn test:e2e || status=$?
else
  echo "paved: browser tests skipped: no Chromium found (install Debian's 'chromium' package or set PAVED_CHROMIUM)." >&2
fi

node "$PAVED_ROOT/scripts/test-summary.mjs" "$reports/jest.json" "$reports/playwright.json" || status=$?
exit "$status"
