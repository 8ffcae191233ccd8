// askedgi-doctor run: every check of the runbook against the account (read-only), then reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { maskSecrets } from '../secrets/mask.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runChecks } from '../engine/runner.js';
import { EXIT, ReportWriteError, type ExitCode } from '../errors.js';
import { openInventory } from '../inventory/open.js';
import type { Report } from '../model.js';
import { buildReport } from '../report/build.js';
import { renderConsole, sanitizeTerminal } from '../report/console.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { loadSetup, selectChecks } from './catalog.js';
import { FAILING, useColor, type FailOn, type Format } from './options.js';
import { writeErr, writeOut } from './output.js';

export interface RunOptions {
  config: string;
  only?: string[];
  skip?: string[];
  failOn: FailOn;
  out: string;
  format: Format[];
  endpoint?: string;
  verbose?: boolean;
  /** commander's --no-smoke / --no-db / --no-upload: false when left out. */
  smoke: boolean;
  upload: boolean;
  db: boolean;
  inVpc?: boolean;
}

const FILES: Partial<Record<Format, { name: string; render: (r: Report) => string }>> = {
  json: { name: 'askedgi-doctor.json', render: renderJson },
  junit: { name: 'junit.xml', render: (r) => renderJunit(r, { hostname: hostname() }) },
  html: { name: 'askedgi-doctor.html', render: renderHtml },
};

export async function runCommand(opts: RunOptions): Promise<ExitCode> {
  const { cfg, checks: catalog } = await loadSetup(opts.config);
  const checks = selectChecks(catalog, opts.only ?? cfg.checks.only, [...(opts.skip ?? []), ...cfg.checks.skip]);
  const { inventory, target } = openInventory(cfg, { endpoint: opts.endpoint, ...(opts.db ? {} : { databaseLeftOut: 'left out by --no-db' }) });
  // Start every read the config already determines (only the selected checks' actions).
  inventory.prefetch(cfg, checks.flatMap((c) => c.permissions));
  const ctx = { outDir: opts.out, env: process.env, ...(opts.inVpc ? { inVpc: true } : {}), ...(opts.smoke ? {} : { smokeDisabled: 'left out by --no-smoke' }), ...(opts.upload ? {} : { uploadDisabled: 'left out by --no-upload' }) };
  const startedAt = new Date();
  const t0 = performance.now();
  let report: Report;
  try {
    const results = await runChecks(checks, inventory, cfg, ctx);
    report = await buildReport({ results, inventory, startedAt, durationMs: Math.round(performance.now() - t0), target });
  } finally {
    inventory.destroy();
  }
  return writeReports(report, opts);
}

/**
 * Every requested report that can be written is written, and the console report is printed even
 * when a file cannot be. Afterwards, the first renderer crash is rethrown (exit INTERNAL), else the
 * first file that could not be written is a ReportWriteError (exit 2, one line); else the exit code
 * follows --fail-on.
 */
async function writeReports(report: Report, opts: Pick<RunOptions, 'format' | 'out' | 'failOn' | 'verbose'>): Promise<ExitCode> {
  const written: string[] = [];
  let writeFailure: ReportWriteError | undefined;
  let crash: unknown;
  for (const format of opts.format) {
    const file = FILES[format];
    if (!file) continue;
    let text: string;
    try {
      text = file.render(report);
    } catch (err) {
      crash ??= err;
      continue;
    }
    const path = join(opts.out, file.name);
    try {
      mkdirSync(opts.out, { recursive: true });
      writeFileSync(path, maskSecrets(text), 'utf8');
      written.push(path);
    } catch (err) {
      writeFailure ??= new ReportWriteError(path, err);
    }
  }
  if (opts.format.includes('console')) {
    try {
      await writeOut(renderConsole(report, { color: useColor(), verbose: opts.verbose }));
    } catch (err) {
      crash ??= err;
    }
  }
  if (written.length > 0) writeErr(sanitizeTerminal(`Reports written: ${written.join(', ')}\n`));
  if (crash !== undefined) throw crash;
  if (writeFailure) throw writeFailure;
  const failing = FAILING[opts.failOn];
  return report.results.some((r) => failing.includes(r.status)) ? EXIT.findings : EXIT.ok;
}
