// Shared by the browser smoke tests (smoke.test.ts, smoke-tenant.test.ts): the check, a run of it on
// a fresh sandbox (optionally broken by a fault or with changed smoke settings), and its steps.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { findCheck } from '../../src/checks/index.js';
import type { Progress } from '../../src/engine/check.js';
import type { CheckResult } from '../../src/model.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { endpoint, freshSandbox, runAll } from './live.js';

export const smokeCheck = findCheck('browser-smoke')!;

/** The smoke step a finding belongs to ("upload: …" → "upload"). */
export const stepOf = (message: string) => message.split(':')[0];

/** "<status> <step>" for each finding, e.g. "pass login". */
export const stepsOf = (result: CheckResult) => result.findings.map((f) => `${f.status} ${stepOf(f.message)}`);

/** Every step but the three upload steps passes: an edition without uploads, or uploads turned off. */
export const UPLOAD_STEPS_SKIPPED = ['pass login', 'pass open AskEdgi', 'pass workspace ready', 'skip upload', 'skip file listed', 'skip object in bucket', 'pass OpenAI key', 'pass marketplace'];

/**
 * The smoke check on a fresh sandbox: broken by `fault`, and with `smoke` settings merged into the
 * sandbox config. Returns its result and the report directory.
 */
export async function runSmokeOnSandbox(opts: { fault?: string; smoke?: Record<string, unknown>; progress?: Progress } = {}): Promise<{ result: CheckResult; out: string; dir: string }> {
  const dir = await freshSandbox();
  if (opts.fault) await breakSandbox(opts.fault, { endpoint: endpoint(), outDir: dir });
  if (opts.smoke) {
    const file = join(dir, 'askedgi-doctor.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { smoke: Record<string, unknown> };
    Object.assign(config.smoke, opts.smoke);
    writeFileSync(file, stringify(config));
  }
  const out = mkdtempSync(join(tmpdir(), 'askedgi-smoke-'));
  const { results } = await runAll(dir, [smokeCheck], out, undefined, opts.progress ? { progress: opts.progress } : {});
  return { result: results[0]!, out, dir };
}
