import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCheck } from '../../src/checks/index.js';
import type { Progress } from '../../src/engine/check.js';
import { SMOKE_STEPS } from '../../src/smoke/flow.js';
import { writeAppFlags } from '../../src/sandbox/app/state.js';
import { breakSandbox, FAULTS } from '../../src/sandbox/faults/index.js';
import { withDependents } from '../../src/sandbox/faults/support.js';
import { currentStack, endpoint, freshSandbox, runAll } from '../support/live.js';
import { runSmokeOnSandbox, smokeCheck, stepOf, stepsOf, UPLOAD_STEPS_SKIPPED } from '../support/smoke.js';

// The browser smoke test in real Chromium (Debian's, through playwright-core) against the sandbox's
// OvalEdge-like app: passing on the clean sandbox, and failing at the right step for each fault.
const smoke = (fault?: string, progress?: Progress) => runSmokeOnSandbox({ fault, progress });

describe('browser smoke test in real Chromium', () => {
  it('passes every step on the clean sandbox, with a screenshot per step and no trace; the progress line hears of each step', async () => {
    const steps: string[] = [];
    const { result, out } = await smoke(undefined, { onStep: (id, step) => void steps.push(`${id}: ${step}`) });
    expect(steps).toEqual(SMOKE_STEPS.map((s) => `browser-smoke: ${s}`));
    expect(result.findings.map((f) => `${f.status} ${stepOf(f.message)}`)).toEqual([
      'pass login',
      'pass open AskEdgi',
      'pass workspace ready',
      'pass upload',
      'pass file listed',
      'pass object in bucket',
      'pass OpenAI key',
      'pass marketplace',
    ]);
    expect(result.status).toBe('pass');
    expect(result.findings.find((f) => f.message.startsWith('object in bucket'))!.message).toMatch(/the object askedgi\/admin\/askedgi-doctor-smoke\.csv is in the bucket, written by this upload \(ETag "\w+", last modified [\dT:.-]+Z; none before\)/);
    const shots = readdirSync(join(out, 'smoke'));
    expect(shots.filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(8);
    expect(existsSync(join(out, 'smoke', 'trace-SENSITIVE.zip'))).toBe(false);
    const password = currentStack().env.ASKEDGI_ADMIN_PASSWORD!;
    expect(JSON.stringify(result)).not.toContain(password);
    expect(shots.join(' ')).not.toContain(password);
  });

  // Issue 12 item 6: the object is read at its exact key before and after the upload; a previous
  // run's file that the upload did not replace is stale, never a pass.
  it('an upload the app claims but never stores fails "object in bucket" although the previous run\'s file is listed and in the bucket', async () => {
    const dir = await freshSandbox();
    const out = mkdtempSync(join(tmpdir(), 'askedgi-smoke-'));
    expect((await runAll(dir, [smokeCheck], out)).results[0]!.status).toBe('pass');
    const second = (await runAll(dir, [smokeCheck], out)).results[0]!;
    expect(second.status).toBe('pass');
    expect(second.findings.find((f) => f.message.startsWith('object in bucket'))!.message).toMatch(/written by this upload \(ETag "\w+", .*; before: ETag "\w+"/);
    await writeAppFlags(dir, { uploadDiscarded: true });
    const stale = (await runAll(dir, [smokeCheck], out)).results[0]!;
    expect(stale.findings.map((f) => `${f.status} ${stepOf(f.message)}`).slice(0, 6)).toEqual([
      'pass login',
      'pass open AskEdgi',
      'pass workspace ready',
      'pass upload',
      'pass file listed',
      'fail object in bucket',
    ]);
    const finding = stale.findings[5]!;
    expect(finding.message).toMatch(/^object in bucket: the object at askedgi\/admin\/askedgi-doctor-smoke\.csv is unchanged since before the upload \(a previous run's file\): this upload did not reach the bucket/);
    expect(finding).toMatchObject({ expected: 'a new ETag or last-modified time after the upload', found: expect.stringMatching(/^ETag "\w+", last modified /) });
    expect(stale.status).toBe('fail');
  });

  it('the Metadata Analytics edition skips the upload steps and still checks the rest', async () => {
    const { result: r } = await runSmokeOnSandbox({ smoke: { edition: 'metadata-analytics' } });
    expect(stepsOf(r)).toEqual(UPLOAD_STEPS_SKIPPED);
    expect(r.findings[3]!.message).toContain('the metadata-analytics edition does not allow uploads');
    expect(r.status).toBe('pass');
  });

  const cases: [string, string, string][] = [
    ['workspace-not-created', 'fail', 'workspace ready'],
    ['stale-workspace-row', 'fail', 'workspace ready'],
    ['upload-rejected', 'fail', 'upload'],
    ['marketplace-missing', 'fail', 'marketplace'],
    ['login-sso-redirect', 'skip', 'login'],
  ];

  it('every fault that names browser-smoke is covered here', () => {
    expect(FAULTS.filter((f) => withDependents(f.expect)['browser-smoke']).map((f) => f.name).sort()).toEqual([...cases.map((c) => c[0]), 'ovaledge-unreachable'].sort());
  });

  it('fault ovaledge-unreachable: the reachability probe fails first and the smoke test is skipped because of it', async () => {
    const dir = await freshSandbox();
    await breakSandbox('ovaledge-unreachable', { endpoint: endpoint(), outDir: dir });
    const { results } = await runAll(dir, [findCheck('ovaledge-reachable')!, smokeCheck], mkdtempSync(join(tmpdir(), 'askedgi-smoke-')));
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['ovaledge-reachable', 'fail'],
      ['browser-smoke', 'skip'],
    ]);
    expect(results[1]!.findings[0]!.message).toBe('Not run because ovaledge-reachable failed.');
  });

  it.each(cases)('fault %s: %s at step "%s", later steps skipped, trace written only on failure', async (fault, status, step) => {
    const { result, out } = await smoke(fault);
    expect(result.status).toBe(withDependents(FAULTS.find((f) => f.name === fault)!.expect)['browser-smoke']);
    const first = result.findings.find((f) => f.status !== 'pass')!;
    expect(first.status).toBe(status);
    expect(stepOf(first.message)).toBe(step);
    const after = result.findings.slice(result.findings.indexOf(first) + 1).filter((f) => !f.message.startsWith('trace:'));
    expect(after.every((f) => f.status === 'skip')).toBe(true);
    expect(existsSync(join(out, 'smoke', 'trace-SENSITIVE.zip'))).toBe(status === 'fail');
    if (status === 'skip') expect(first.message).toMatch(/redirects to localhost:\d+ \(single sign-on\)/);
  });
});
