// Helpers for integration tests: a fresh sandbox in the shared moto server, and a run of the
// checks through the live inventory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/engine/runner.js';
import { LiveInventory } from '../../src/inventory/live.js';
import type { CheckResult } from '../../src/model.js';
import { ensureEmulatorCredentials } from '../../src/sandbox/emulator.js';
import { sandboxUp } from '../../src/sandbox/faults/index.js';

export function endpoint(): string {
  return inject('motoEndpoint');
}

/** Reset the emulator and provision a correct sandbox; returns its directory (config + state). */
export async function freshSandbox(): Promise<string> {
  ensureEmulatorCredentials();
  const dir = mkdtempSync(join(tmpdir(), 'askedgi-sandbox-'));
  await sandboxUp({ endpoint: endpoint(), outDir: dir });
  return dir;
}

export async function runAll(dir: string): Promise<{ results: CheckResult[]; apiCalls: Record<string, number> }> {
  const cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
  const inv = new LiveInventory({ region: cfg.region!, endpoint: endpoint() });
  try {
    const results = await runChecks(CHECKS, inv, cfg);
    return { results, apiCalls: inv.apiCalls() };
  } finally {
    inv.destroy();
  }
}

export const statusMap = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));
