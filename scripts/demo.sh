#!/usr/bin/env bash
# npm run demo: install what is missing, build, and run the doctor against the local sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
exec node --import tsx scripts/demo.ts "$@"
