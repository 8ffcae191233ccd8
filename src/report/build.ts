import type { Inventory } from '../inventory/types.js';
import { summarize, type CheckResult, type Report } from '../model.js';
import { VERSION } from '../version.js';

export interface BuildInput {
  results: CheckResult[];
  inventory: Inventory;
  startedAt: Date;
  durationMs: number;
  target: { region: string; cluster: string; endpoint?: string };
}

/** The one immutable result object every reporter renders. */
export async function buildReport(input: BuildInput): Promise<Report> {
  // The identity is memoized; when it could not be read the report simply has no account.
  const account = await input.inventory.identity().then((i) => i.account, () => undefined);
  return Object.freeze({
    schemaVersion: 1 as const,
    tool: { name: 'askedgi-doctor' as const, version: VERSION, node: process.version },
    startedAt: input.startedAt.toISOString(),
    target: { ...input.target, ...(account ? { account } : {}) },
    results: input.results,
    summary: summarize(input.results),
    stats: { apiCalls: input.inventory.apiCalls(), durationMs: input.durationMs },
  });
}
