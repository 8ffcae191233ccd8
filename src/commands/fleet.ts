// askedgi-doctor fleet run | fleet merge: the runbook's checks over every customer account of a
// fleet file, each through a role the operator assumes, and one set of reports over all of them.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, ReportWriteError, UsageError, type ExitCode } from '../errors.js';
import { loadFleet } from '../fleet/load.js';
import { mergeFleet } from '../fleet/merge.js';
import { FLEET_FILES, targetFails, type FleetSummary, type TargetOutcome } from '../fleet/model.js';
import { renderFleetReports, targetVerdict } from '../fleet/reports.js';
import { DEFAULT_CONCURRENCY, runFleet } from '../fleet/run.js';
import { inShard, parseShard } from '../fleet/shard.js';
import { sanitizeTerminal } from '../report/console.js';
import type { FailOn, Format } from './options.js';
import { applyAwsTarget } from './aws-target.js';
import { writeErr, writeOut } from './output.js';

export interface FleetRunOptions {
  file: string;
  concurrency: string;
  shard?: string;
  out: string;
  failOn: FailOn;
  format: Format[];
  endpoint?: string;
  /** The operator's AWS profile (sets AWS_PROFILE for the default chain that assumes the roles). */
  profile?: string;
  only?: string[];
  skip?: string[];
  smoke: boolean;
  upload: boolean;
  db: boolean;
  inVpc?: boolean;
}

export const MAX_CONCURRENCY = 64;

function parseConcurrency(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_CONCURRENCY) throw new UsageError(`--concurrency: expected a whole number from 1 to ${MAX_CONCURRENCY}; got ${JSON.stringify(v.slice(0, 20))}`);
  return n;
}

export async function fleetRunCommand(opts: FleetRunOptions): Promise<ExitCode> {
  const concurrency = parseConcurrency(opts.concurrency ?? String(DEFAULT_CONCURRENCY));
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  applyAwsTarget({ ...(opts.profile !== undefined ? { profile: opts.profile } : {}) });
  const fleet = await loadFleet(opts.file);
  const targets = inShard(fleet.targets, shard);
  writeErr(`askedgi-doctor fleet: ${targets.length} of ${fleet.targets.length} target${fleet.targets.length === 1 ? '' : 's'}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}, ${concurrency} at a time\n`);
  const summary = await runFleet({
    fleet,
    targets,
    ...(shard ? { shard } : {}),
    concurrency,
    outDir: opts.out,
    failOn: opts.failOn,
    formats: opts.format,
    endpoint: opts.endpoint,
    only: opts.only,
    skip: opts.skip,
    ctx: { ...(opts.inVpc ? { inVpc: true } : {}), ...(opts.smoke ? {} : { smokeDisabled: 'left out by --no-smoke' }), ...(opts.upload ? {} : { uploadDisabled: 'left out by --no-upload' }) },
    ...(opts.db ? {} : { databaseLeftOut: 'left out by --no-db' }),
    onTarget: (t) => writeErr(sanitizeTerminal(`  ${progressLine(t, opts.failOn)}\n`)),
  });
  return finish(summary, opts.out);
}

export async function fleetMergeCommand(dirs: string[], opts: { out: string }): Promise<ExitCode> {
  mkdirSync(opts.out, { recursive: true });
  return finish(mergeFleet(dirs, opts.out), opts.out);
}

function progressLine(t: TargetOutcome, failOn: FailOn): string {
  const head = `${targetFails(t, failOn) ? '✗' : '✓'} ${t.name} (${t.accountId} ${t.region}): `;
  if (t.state !== 'checked') return `${head}${targetVerdict(t, failOn)}: ${t.reason ?? ''}`;
  const counts = Object.entries(t.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
  return `${head}${counts}${t.failing.length > 0 ? `; failing: ${t.failing.join(', ')}` : ''} (${(t.durationMs / 1000).toFixed(1)}s)`;
}

/**
 * Writes the fleet reports, prints the Markdown table and returns the exit code. They are rendered
 * from masked data only (the targets' reports as written, which passed the secret masking, and
 * reasons masked when recorded), so the rendered text is not masked again: text masking after
 * rendering can cut into XML ("prefix: data-db-secret: The …" reads as a named secret value) and
 * put a raw "<redacted>" inside an attribute.
 */
async function finish(summary: FleetSummary, outDir: string): Promise<ExitCode> {
  const files = renderFleetReports(summary, outDir);
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(outDir, name);
    try {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path, content, 'utf8');
      written.push(path);
    } catch (err) {
      throw new ReportWriteError(path, err);
    }
  }
  const markdown = files[FLEET_FILES.markdown] ?? '';
  // In GitHub Actions the table lands on the job page too.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, markdown);
    } catch (err) {
      throw new ReportWriteError(summaryFile, err);
    }
  }
  await writeOut(sanitizeTerminal(markdown));
  writeErr(sanitizeTerminal(`Fleet reports written: ${written.join(', ')}\n`));
  return summary.targets.some((t) => targetFails(t, summary.failOn)) ? EXIT.findings : EXIT.ok;
}
