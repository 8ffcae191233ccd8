import type { Inventory } from '../inventory/types.js';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Report } from '../model.js';
import { VERSION } from '../version.js';

export interface BuildInput {
  results: CheckResult[];
  inventory: Inventory;
  startedAt: Date;
  durationMs: number;
  target: { region: string; cluster: string; endpoint?: string };
}

export interface AssembleInput extends Omit<BuildInput, 'inventory'> {
  account?: string;
  apiCalls: Record<string, number>;
}

/** The one immutable result object every reporter renders. */
export async function buildReport(input: BuildInput): Promise<Report> {
  // The identity is memoized; when it could not be read the report simply has no account.
  const account = await input.inventory.identity().then((i) => i.account, () => undefined);
  const { inventory, ...rest } = input;
  return assembleReport({ ...rest, account, apiCalls: inventory.apiCalls() });
}

/** buildReport once the inventory has been read (tests that run checks themselves use it too). */
export function assembleReport(input: AssembleInput): Report {
  return Object.freeze({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor' as const, version: VERSION, node: process.version },
    startedAt: input.startedAt.toISOString(),
    target: { ...input.target, ...(input.account ? { account: input.account } : {}) },
    results: input.results,
    summary: summarize(input.results),
    stats: { apiCalls: input.apiCalls, durationMs: input.durationMs },
  });
}
