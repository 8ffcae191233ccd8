// One target, start to finish: open the inventory, pre-flight, prefetch, run the selected checks,
// apply waivers and build the report. `run` calls it once; `fleet run` once per customer account.
import type { Config } from '../config/schema.js';
import { preflight } from '../commands/aws-target.js';
import { openInventory, type OpenOptions } from '../inventory/open.js';
import type { Report } from '../model.js';
import { buildReport } from '../report/build.js';
import type { Check, RunContext } from './check.js';
import { runChecks } from './runner.js';
import { applyWaivers } from './waivers.js';

export interface TargetRun {
  cfg: Config;
  /** The selected checks (after --only/--skip). */
  checks: readonly Check[];
  /** How the inventory is opened (endpoint, database left out, the credentials of an assumed role for `fleet run`, …). */
  open: OpenOptions;
  /** The run context the checks get (report directory, --no-smoke, --in-vpc, …). */
  ctx: RunContext;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs one target and returns its report; the inventory is destroyed before it returns, so nothing
 * of it outlives the report. Unusable credentials throw AwsCredentialsError (exit 2 for `run`).
 */
export async function runTarget(t: TargetRun): Promise<Report> {
  const env = t.env ?? process.env;
  // The run's ceiling counts from here (pre-flight and prefetch included); each AWS request has its own timeouts.
  const runStart = performance.now();
  const { inventory, target } = openInventory(t.cfg, t.open, env);
  try {
    // One sts:GetCallerIdentity before anything else: unusable credentials are one line and exit 2, not a
    // page of per-check errors. Only when a selected check reads AWS (--only workspace-row needs none).
    if (t.checks.some((c) => c.permissions.length > 0)) await preflight(inventory, target.region, env);
    // Start every read the config already determines (only the selected checks' actions).
    inventory.prefetch(t.cfg, t.checks.flatMap((c) => c.permissions));
    const startedAt = new Date();
    const t0 = performance.now();
    const ctx: RunContext = {
      ...t.ctx,
      checkTimeoutMs: t.ctx.checkTimeoutMs ?? t.cfg.checks.timeoutSeconds * 1000,
      runTimeoutMs: (t.ctx.runTimeoutMs ?? t.cfg.checks.runTimeoutSeconds * 1000) - (performance.now() - runStart),
    };
    // Waivers are applied here, once, after the runner: waived findings never count for the exit code.
    const { results } = applyWaivers(await runChecks(t.checks, inventory, t.cfg, ctx), t.cfg.waivers);
    return await buildReport({ results, inventory, startedAt, durationMs: Math.round(performance.now() - t0), target });
  } finally {
    inventory.destroy();
  }
}
