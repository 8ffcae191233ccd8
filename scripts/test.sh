#!/usr/bin/env bash
# npm test: the whole suite. Installs what is missing, then typecheck, lint, and the tests on each
# Node the project supports (the integration project starts its own moto servers and stops them):
#
#   Node 24 (.tools/node-24)   the whole suite: unit and integration. The runtime we recommend.
#   Node 22 (.tools/node-22)   the unit project (seconds): the other supported LTS.
#   the machine's Node         when it is neither (e.g. Node 20, end of life): the unit project and
#                              the parts of test/integration/cli.test.ts that spawn the CLI for
#                              Node-specific behaviour (start-up and module loading, the one
#                              Node-version warning on a sandbox run, exit codes, pipes, timers).
#
# Why not everything three times: the integration project is ~9 of the ~10 minutes on 2 cores, and
# it exercises the AWS SDK, mysql2, Chromium and moto, not Node's own behaviour; the unit project and
# the CLI file cover what differs between Node versions (module loading, the compile cache, timers,
# streams, exit codes) at a fraction of the time, keeping `npm test` well under 15 minutes.
# Without .tools (not Linux x64) the whole suite runs once on the machine's Node.
#
# Arguments go to the whole-suite run: `npm test -- test/unit/cli-options.test.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
echo "[test] typecheck"; npx tsc --noEmit -p .
echo "[test] lint"; npx eslint .
mkdir -p reports

machine_major="$(node -p 'process.versions.node.split(".")[0]')"
NODE_SPECIFIC_CLI_TESTS='clean sandbox|meaningful exit code|start-up|usage and configuration|list and explain'
status=0
summaries=()

# vitest_on <node major or "machine"> <label> <vitest args...>
vitest_on() {
  local major="$1" label="$2"
  shift 2
  local path="$PATH"
  if [ "$major" != machine ]; then path="$PWD/.tools/node-$major/bin:$PATH"; fi
  echo "[test] ${label}: Node $(PATH="$path" node --version)"
  PATH="$path" npx vitest run --reporter=default --reporter=json --outputFile.json="reports/vitest-${label}.json" "$@" || status=$?
  # One plain closing line per run for CI systems that read it.
  summaries+=("$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${process.argv[2]}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  ' "reports/vitest-${label}.json" "$label" 2>/dev/null || echo "${label}: no result")")
}

if [ -x .tools/node-24/bin/node ]; then
  vitest_on 24 node24-all "$@"
  vitest_on 22 node22-unit --project unit
  if [ "$machine_major" != 24 ] && [ "$machine_major" != 22 ]; then
    vitest_on machine "node${machine_major}-unit" --project unit
    vitest_on machine "node${machine_major}-cli" test/integration/cli.test.ts -t "$NODE_SPECIFIC_CLI_TESTS"
  fi
else
  vitest_on machine "node${machine_major}-all" "$@"
fi
printf '%s\n' "${summaries[@]}"
exit "$status"
