// Issue 11 A3 and the A2 ceiling: a check that never settles, or awaits a referenced timer for an
// hour, is stopped after its time limit (checks.timeoutSeconds, --check-timeout) and is `error` for
// that check only; the whole run has a ceiling (checks.runTimeoutSeconds, --timeout). Either way the
// other checks report, the reports are written, the exit code follows the findings, and the process
// ends right after the reports (it does not linger on the abandoned work).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureEmulatorCredentials } from '../../src/sandbox/emulator.js';
import { cli } from '../support/cli.js';
import { readReport } from '../support/report-schema.js';
import { endpoint } from '../support/live.js';

const plugins = resolve(import.meta.dirname, '../fixtures/plugins');
const tmp = mkdtempSync(join(tmpdir(), 'askedgi-timeouts-'));
const env = () => ({ AWS_ENDPOINT_URL: endpoint() });

const config = (name: string, checks: string) => {
  const p = join(tmp, `${name}.yaml`);
  const modules = ['never-settles.mjs', 'forever-timer.mjs', 'quick.mjs'].map((m) => JSON.stringify(join(plugins, m)));
  writeFileSync(
    p,
    [
      'region: us-east-1',
      'cluster: c',
      'securityGroups: { elasticsearch: sg-1, rds: sg-2, efs: sg-3 }',
      'efs: { fileSystemId: fs-1 }',
      `checks: { modules: [${modules.join(', ')}]${checks} }`,
    ].join('\n'),
  );
  return p;
};

// The runner's kinds; reports may qualify them by check (`<check-id>/<kind>`, issue 15).
const CHECK_TIMEOUT = expect.stringMatching(/^(?:[a-z0-9-]+\/)?check-timeout$/);
const RUN_CEILING = expect.stringMatching(/^(?:[a-z0-9-]+\/)?run-ceiling$/);

const ONLY = ['--only', 'caller-identity,never-settles,forever-timer,quick'];

type Result = { id: string; status: string; findings: { status: string; code?: string; message: string }[] };

/** Runs the CLI and returns its result, the report's results by id and the seconds it took. */
async function timedRun(args: string[]) {
  const t0 = performance.now();
  const r = await cli(args, env());
  const seconds = (performance.now() - t0) / 1000;
  return { r, seconds };
}

/** The report's result of each check id (a missing one fails the test). */
function resultsOf(out: string): (id: string) => Result {
  const results = readReport(join(out, 'askedgi-doctor.json')).results as Result[];
  return (id) => {
    const r = results.find((x) => x.id === id);
    if (!r) throw new Error(`no result for ${id} in the report`);
    return r;
  };
}

describe('a check that never settles is stopped; the run still reports', () => {
  beforeAll(() => ensureEmulatorCredentials());
  it('checks.timeoutSeconds: the stopped checks are error check-timeout, the others report, reports written, exit 1, in bounded time', async () => {
    const out = mkdtempSync(join(tmp, 'out-'));
    const { r, seconds } = await timedRun(['run', '-c', config('check-timeout', ', timeoutSeconds: 2'), '-o', out, ...ONLY]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const result = resultsOf(out);
    for (const id of ['never-settles', 'forever-timer']) {
      expect(result(id).status).toBe('error');
      expect(result(id).findings).toEqual([
        expect.objectContaining({ status: 'error', code: CHECK_TIMEOUT, message: `Check ${id} did not finish within 2 s (checks.timeoutSeconds, --check-timeout) and was stopped; nothing was verified.` }),
      ]);
    }
    expect(result('caller-identity').status).toBe('pass');
    expect(result('quick').status).toBe('pass');
    expect(readdirSync(out).sort()).toEqual(['askedgi-doctor.html', 'askedgi-doctor.json', 'junit.xml']);
    expect(r.stdout).toMatch(/ERROR\s+never-settles/);
    // The one-hour timer of forever-timer must not keep the process: it ends after the reports.
    expect(seconds).toBeLessThan(30);
  });

  it('--check-timeout overrides the config', async () => {
    const out = mkdtempSync(join(tmp, 'out-'));
    const { r, seconds } = await timedRun(['run', '-c', config('cli-check-timeout', ', timeoutSeconds: 600'), '-o', out, '-f', 'json', ...ONLY, '--check-timeout', '1']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const result = resultsOf(out);
    expect(result('never-settles').findings[0]).toMatchObject({ code: CHECK_TIMEOUT, message: expect.stringContaining('within 1 s') });
    expect(result('forever-timer').findings[0]).toMatchObject({ code: CHECK_TIMEOUT });
    expect(seconds).toBeLessThan(30);
  });

  it('the run ceiling (--timeout, over checks.runTimeoutSeconds): checks still running become error run-ceiling, reports written, exit 1', async () => {
    const out = mkdtempSync(join(tmp, 'out-'));
    const { r, seconds } = await timedRun(['run', '-c', config('ceiling', ', runTimeoutSeconds: 600'), '-o', out, ...ONLY, '--timeout', '3']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const result = resultsOf(out);
    for (const id of ['never-settles', 'forever-timer']) {
      expect(result(id).status).toBe('error');
      expect(result(id).findings).toEqual([
        expect.objectContaining({ status: 'error', code: RUN_CEILING, message: expect.stringMatching(new RegExp(`^Check ${id} was still running after \\d+(\\.\\d)? s when the run reached its ceiling \\(checks\\.runTimeoutSeconds, --timeout\\) and was stopped`)) }),
      ]);
    }
    expect(result('caller-identity').status).toBe('pass');
    expect(result('quick').status).toBe('pass');
    expect(readdirSync(out).sort()).toEqual(['askedgi-doctor.html', 'askedgi-doctor.json', 'junit.xml']);
    // The check limit (120 s default) is far away, the plugin's timer an hour: only the ceiling ended it.
    expect(seconds).toBeLessThan(30);
  });

  it('checks.runTimeoutSeconds in the config sets the ceiling; with --fail-on none the exit is 0 (per findings)', async () => {
    const out = mkdtempSync(join(tmp, 'out-'));
    const { r, seconds } = await timedRun(['run', '-c', config('ceiling-config', ', runTimeoutSeconds: 2'), '-o', out, '-f', 'json', ...ONLY, '--fail-on', 'none']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(resultsOf(out)('never-settles').findings[0]).toMatchObject({ code: RUN_CEILING });
    expect(seconds).toBeLessThan(30);
  });

  it('a timeout that is not a positive number of seconds is a usage error (exit 2)', async () => {
    for (const [flag, value] of [['--timeout', '0'], ['--check-timeout', 'soon']] as const) {
      const r = await cli(['run', '-c', config('bad', ''), '-o', tmp, flag, value], env());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`expected a number of seconds greater than 0 (at most 86400); got ${JSON.stringify(value)}`);
    }
  });
});
