// Helpers for integration tests: a fresh sandbox (moto + MariaDB + the OvalEdge-like app) and a run
// of the checks through the live inventory, as the CLI does.
import { expectDocumentedCodes } from './codes.js';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { Check, RunContext } from '../../src/engine/check.js';
import { runChecks } from '../../src/engine/runner.js';
import { databaseAccess } from '../../src/inventory/db-connect.js';
import { LiveInventory } from '../../src/inventory/live.js';
import type { CheckResult, Status } from '../../src/model.js';
import { ensureEmulatorCredentials } from '../../src/sandbox/emulator.js';
import { startSandboxStack, type SandboxStack } from '../../src/sandbox/stack.js';

let claimed: { endpoint: string; lock: string } | undefined;

/**
 * The moto server this test file has to itself: the first call claims a free one (an exclusive lock
 * file per server; worker pool ids are not a safe key), released when the file ends.
 */
export function endpoint(): string {
  if (claimed) return claimed.endpoint;
  const servers = inject('motoEndpoints');
  const lockDir = inject('motoLockDir');
  const deadline = Date.now() + 600_000;
  for (;;) {
    for (const [i, server] of servers.entries()) {
      const lock = join(lockDir, `${i}.lock`);
      try {
        closeSync(openSync(lock, 'wx'));
        claimed = { endpoint: server, lock };
        return server;
      } catch {
        // Taken by a file running in another worker.
      }
    }
    if (Date.now() > deadline) throw new Error('No free moto server for this test file within 10 minutes.');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

let stack: SandboxStack | undefined;
let stackDir: string | undefined;

afterAll(async () => {
  await stack?.stop();
  stack = undefined;
  if (claimed) rmSync(claimed.lock, { force: true });
  claimed = undefined;
});

/**
 * The clean sandbox: the first call starts MariaDB and the app, later calls reset everything to clean
 * (moto re-provisioned, tables re-seeded, app flags cleared). Returns the sandbox directory; the
 * config's env: references are set in process.env.
 */
export async function freshSandbox(): Promise<string> {
  ensureEmulatorCredentials();
  if (stack) {
    await stack.reset();
  } else {
    stackDir = mkdtempSync(join(tmpdir(), 'askedgi-sandbox-'));
    stack = await startSandboxStack({ endpoint: endpoint(), dir: stackDir });
  }
  Object.assign(process.env, stack.env);
  return stackDir!;
}

export function currentStack(): SandboxStack {
  if (!stack) throw new Error('no sandbox stack: call freshSandbox() first');
  return stack;
}

/**
 * A check's status on the clean sandbox when it is not pass: the private Insight endpoint is
 * reachable only inside a VPC, and the sandbox is outside any (its unit tests cover the real path).
 */
export const CLEAN_STATUS: Readonly<Record<string, Status>> = { 'insight-endpoint-reachable': 'skip' };

/** Every check but the browser smoke test (it has its own tests): what the matrix compares. */
export const CHECKS_WITHOUT_BROWSER = CHECKS.filter((c) => c.id !== 'browser-smoke');

export async function runAll(
  dir: string,
  checks: readonly Check[] = CHECKS_WITHOUT_BROWSER,
  outDir = join(dir, 'reports'),
  /** Another AWS endpoint (a fault proxy in front of moto) and fewer attempts. */
  via?: { endpoint: string; maxAttempts?: number },
  /** More of the run context (a progress hook, …). */
  more: Partial<RunContext> = {},
): Promise<{ results: CheckResult[]; apiCalls: Record<string, number> }> {
  const cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
  const inv = new LiveInventory({ region: cfg.region!, endpoint: via?.endpoint ?? endpoint(), maxAttempts: via?.maxAttempts, database: databaseAccess(cfg, process.env) });
  try {
    const results = expectDocumentedCodes(await runChecks(checks, inv, cfg, { outDir, env: process.env, ...more }), checks);
    return { results, apiCalls: inv.apiCalls() };
  } finally {
    inv.destroy();
  }
}

export const statusMap = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));
