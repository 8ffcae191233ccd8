// fleet run: every target of the fleet (or of one shard) with bounded concurrency. A target whose
// role cannot be assumed or whose run breaks is recorded with its reason; the others still run.
// Each target's inventory is destroyed by runTarget and its report written before the next slot
// opens, so memory holds only the summaries.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { FailOn } from '../commands/options.js';
import { selectChecks } from '../commands/catalog.js';
import { resolveEndpoint } from '../config/resolve.js';
import { runTarget } from '../engine/run-target.js';
import type { RunContext } from '../engine/check.js';
import { writeReports, type ReportFormat } from '../report/write.js';
import { maskSecrets } from '../secrets/mask.js';
import { VERSION } from '../version.js';
import { assumeFailure, targetCredentials } from './assume.js';
import type { Fleet, ResolvedTarget } from './load.js';
import { checkedOutcome, FLEET_SUMMARY_VERSION, zeroCounts, type FleetSummary, type TargetOutcome } from './model.js';
import type { Shard } from './shard.js';

export const DEFAULT_CONCURRENCY = 4;

export interface FleetRunOptions {
  fleet: Fleet;
  /** The targets to run (the shard's, when sharded). */
  targets: readonly ResolvedTarget[];
  shard?: Shard;
  concurrency: number;
  outDir: string;
  failOn: FailOn;
  /** Report files per target (json is always written: `fleet merge` reads it). */
  formats: readonly ReportFormat[];
  endpoint?: string;
  only?: string[];
  skip?: string[];
  /** Context flags as `run` has them (--no-smoke, --no-upload, --in-vpc). */
  ctx: Omit<RunContext, 'outDir' | 'env'>;
  databaseLeftOut?: string;
  /** Called when a target ends (progress lines). */
  onTarget?: (t: TargetOutcome) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runFleet(opts: FleetRunOptions): Promise<FleetSummary> {
  const env = opts.env ?? process.env;
  const startedAt = new Date();
  const t0 = performance.now();
  const limit = pLimit(opts.concurrency);
  const formats = [...new Set<ReportFormat>(['json', ...opts.formats.filter((f) => f !== 'console')])];
  const targets = await Promise.all(
    opts.targets.map((t) =>
      limit(async () => {
        const outcome = await runOne(t, opts, formats, env);
        opts.onTarget?.(outcome);
        return outcome;
      }),
    ),
  );
  return {
    fleetSummaryVersion: FLEET_SUMMARY_VERSION,
    tool: { name: 'askedgi-doctor', version: VERSION },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    failOn: opts.failOn,
    ...(opts.fleet.operator !== undefined ? { operator: opts.fleet.operator } : {}),
    ...(opts.shard ? { shards: [opts.shard] } : {}),
    targets,
  };
}

async function runOne(t: ResolvedTarget, opts: FleetRunOptions, formats: ReportFormat[], env: NodeJS.ProcessEnv): Promise<TargetOutcome> {
  const t0 = performance.now();
  const base = { name: t.name, accountId: t.accountId, region: t.region, roleArn: t.roleArn };
  const elapsed = () => Math.round(performance.now() - t0);
  const endpoint = resolveEndpoint(opts.endpoint, t.cfg, env);
  const credentials = targetCredentials(t, endpoint ? { endpoint } : {});
  // AssumeRole first, on its own: its refusal is the target's one reason, not a page of per-check errors.
  try {
    await credentials();
  } catch (err) {
    return { ...base, state: 'assume-failed', reason: maskSecrets(assumeFailure(t.roleArn, err)), counts: zeroCounts(), failing: [], steps: {}, durationMs: elapsed() };
  }
  const dir = join(opts.outDir, t.name);
  try {
    mkdirSync(dir, { recursive: true });
    const checks = selectChecks(t.checks, opts.only ?? t.cfg.checks.only, [...(opts.skip ?? []), ...t.cfg.checks.skip]);
    const report = await runTarget({
      cfg: t.cfg,
      checks,
      ctx: { ...opts.ctx, outDir: dir, env },
      open: { endpoint: opts.endpoint, credentials, ...(opts.databaseLeftOut ? { databaseLeftOut: opts.databaseLeftOut } : {}) },
      env,
    });
    // No console and no GitHub step summary per target: the fleet reports are the overview.
    const written = writeReports(report, { formats, outDir: dir, color: false, hostname: hostname(), env: {}, stdout: () => undefined });
    const problem = written.crash ?? written.failures[0]?.error;
    if (problem !== undefined) throw problem;
    return checkedOutcome({ ...base, durationMs: elapsed(), reportDir: t.name }, written.report, opts.failOn);
  } catch (err) {
    const reason = maskSecrets(err instanceof Error ? err.message : String(err));
    return { ...base, state: 'error', reason, counts: zeroCounts(), failing: [], steps: {}, durationMs: elapsed() };
  }
}
