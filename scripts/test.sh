#!/usr/bin/env bash
# npm test: the whole suite. Installs what is missing, then typecheck, lint, unit and integration
# tests (the integration project starts its own moto server on a free port and stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
echo "[test] typecheck"; npx tsc --noEmit -p .
echo "[test] lint"; npx eslint .
mkdir -p reports
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json "$@" || status=$?
# One plain closing line for CI systems that read it.
node -e '
  const r = JSON.parse(require("fs").readFileSync("reports/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
