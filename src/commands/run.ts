// askedgi-doctor run: every check of the runbook against the account (read-only), then reports.
import { hostname } from 'node:os';
import { runTarget } from '../engine/run-target.js';
import { EXIT, ReportWriteError, UsageError, type ExitCode } from '../errors.js';
import type { Report, Severity } from '../model.js';
import { sanitizeTerminal } from '../report/console.js';
import { createProgressLine, progressWanted } from '../report/progress.js';
import { filterBySeverity } from '../report/severity-filter.js';
import { applyBaseline, gatingFindings, loadBaseline } from '../report/baseline.js';
import { writeReports } from '../report/write.js';
import { applyAwsTarget, withRegion, type AwsTargetOptions } from './aws-target.js';
import { loadSetup, selectChecks } from './catalog.js';
import { FAILING, STDOUT_OUT, useColor, type FailOn, type Format } from './options.js';
import { writeErr, writeOut } from './output.js';

export interface RunOptions extends AwsTargetOptions {
  config: string;
  only?: string[];
  skip?: string[];
  failOn: FailOn;
  out: string;
  format: Format[];
  endpoint?: string;
  verbose?: boolean;
  /** -q: console only the "Needs attention" block and the summary; no progress line. */
  quiet?: boolean;
  /** --severity: only checks of these severities are reported and gate the exit code. */
  severity?: Severity[];
  /** commander's --no-smoke / --no-db / --no-upload: false when left out. */
  smoke: boolean;
  upload: boolean;
  db: boolean;
  inVpc?: boolean;
  /** A previous askedgi-doctor.json: findings are marked new or known. */
  baseline?: string;
  failOnNew?: boolean;
  /** --check-timeout <s> / --timeout <s>: override checks.timeoutSeconds / checks.runTimeoutSeconds. */
  checkTimeout?: number;
  timeout?: number;
}


/** Where files go with `-o -` (the smoke test's screenshots): the default report directory. */
const DEFAULT_OUT = 'reports';

export async function runCommand(opts: RunOptions): Promise<ExitCode> {
  if (opts.failOnNew && !opts.baseline) throw new UsageError('--fail-on-new needs --baseline <previous askedgi-doctor.json>');
  const toStdout = opts.out === STDOUT_OUT;
  if (toStdout && opts.format.length !== 1) {
    throw new UsageError(`-o - writes exactly one format to stdout; got ${opts.format.join(', ')}: choose one with -f (e.g. -f json -o -)`);
  }
  const outDir = toStdout ? DEFAULT_OUT : opts.out;
  const baseline = opts.baseline ? loadBaseline(opts.baseline) : undefined;
  applyAwsTarget(opts);
  const { cfg, checks: catalog } = await loadSetup(opts.config);
  withRegion(cfg, opts);
  if (opts.checkTimeout !== undefined) cfg.checks.timeoutSeconds = opts.checkTimeout;
  if (opts.timeout !== undefined) cfg.checks.runTimeoutSeconds = opts.timeout;
  const checks = selectChecks(catalog, opts.only ?? cfg.checks.only, [...(opts.skip ?? []), ...cfg.checks.skip]);
  const progress = progressWanted(process.stderr, process.env, opts.quiet) ? createProgressLine(checks.length, process.stderr) : undefined;
  const ctx = { outDir, env: process.env, ...(progress ? { progress } : {}), ...(opts.inVpc ? { inVpc: true } : {}), ...(opts.smoke ? {} : { smokeDisabled: 'left out by --no-smoke' }), ...(opts.upload ? {} : { uploadDisabled: 'left out by --no-upload' }) };
  let report: Report;
  try {
    report = await runTarget({ cfg, checks, ctx, open: { endpoint: opts.endpoint, ...(opts.db ? {} : { databaseLeftOut: 'left out by --no-db' }) } });
  } finally {
    progress?.finish();
  }
  // Before the baseline: a check left out by --severity fixes nothing of the baseline.
  if (opts.severity) report = filterBySeverity(report, opts.severity);
  if (baseline && opts.baseline) report = applyBaseline(report, baseline, opts.baseline);
  return writeAll(report, { ...opts, out: outDir, toStdout });
}

/**
 * Every requested report that can be written is written, and the console report is printed even
 * when a file cannot be. Afterwards, the first renderer crash is rethrown (exit INTERNAL), else the
 * first file that could not be written is a ReportWriteError (exit 2, one line); else the exit code
 * follows --fail-on (and --fail-on-new).
 */
async function writeAll(report: Report, opts: Pick<RunOptions, 'format' | 'out' | 'failOn' | 'verbose' | 'quiet' | 'failOnNew'> & { toStdout: boolean }): Promise<ExitCode> {
  const out: string[] = [];
  const written = writeReports(report, {
    formats: opts.format,
    outDir: opts.out,
    toStdout: opts.toStdout,
    color: useColor(),
    verbose: opts.verbose,
    quiet: opts.quiet,
    hostname: hostname(),
    stdout: (t) => void out.push(t),
    stderr: writeErr,
  });
  if (out.length > 0) await writeOut(out.join(''));
  if (written.files.length > 0 && !opts.quiet) writeErr(sanitizeTerminal(`Reports written: ${written.files.join(', ')}\n`));
  if (written.crash !== undefined) throw written.crash;
  const failure = written.failures[0];
  if (failure) throw new ReportWriteError(failure.path, failure.error);
  return gatingFindings(written.report, FAILING[opts.failOn], Boolean(opts.failOnNew)).length > 0 ? EXIT.findings : EXIT.ok;
}
