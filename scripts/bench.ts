// npm run bench: figures, not assertions. Starts the local sandbox, runs every check (browser smoke
// test left out: it measures the app, not the doctor) several times, and prints wall time, AWS
// calls and memory per run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '../src/checks/index.js';
import { loadConfig } from '../src/config/load.js';
import { runChecks } from '../src/engine/runner.js';
import { databaseAccess } from '../src/inventory/db-connect.js';
import { LiveInventory } from '../src/inventory/live.js';
import { quietNodeVersionWarning } from '../src/quiet.js';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { startSandboxStack } from '../src/sandbox/stack.js';

quietNodeVersionWarning();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

ensureEmulatorCredentials();
const moto = await startMoto();
const dir = mkdtempSync(join(tmpdir(), 'askedgi-bench-'));
const stack = await startSandboxStack({ endpoint: moto.endpoint, dir });
Object.assign(process.env, stack.env);
try {
  const cfg = loadConfig(stack.configPath, {});
  const checks = CHECKS.filter((c) => c.id !== 'browser-smoke');
  const rows: { run: number; ms: number; calls: number; rssMiB: number }[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const inv = new LiveInventory({ region: cfg.region!, endpoint: moto.endpoint, database: databaseAccess(cfg, process.env) });
    const t0 = performance.now();
    const results = await runChecks(checks, inv, cfg, { outDir: join(dir, 'reports'), env: process.env, smokeDisabled: 'bench' });
    const ms = performance.now() - t0;
    const calls = Object.values(inv.apiCalls()).reduce((a, b) => a + b, 0);
    inv.destroy();
    if (results.length !== checks.length) throw new Error('not every check ran');
    rows.push({ run, ms: Math.round(ms), calls, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
  }
  const sorted = rows.map((r) => r.ms).sort((a, b) => a - b);
  process.stdout.write(`askedgi-doctor bench: ${checks.length} checks against the local sandbox (moto + MariaDB), ${RUNS} runs\n`);
  process.stdout.write('run  wall ms  AWS+SQL calls  RSS MiB\n');
  for (const r of rows) process.stdout.write(`${String(r.run).padStart(3)}  ${String(r.ms).padStart(7)}  ${String(r.calls).padStart(13)}  ${String(r.rssMiB).padStart(7)}\n`);
  process.stdout.write(`median ${sorted[Math.floor(sorted.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms\n`);
} finally {
  await stack.stop();
  await moto.stop();
}
