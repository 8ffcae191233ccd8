// The runner's time limits (issue 11 A3 and the A2 ceiling) on the fixture inventory: a check past its
// own limit is `error` check-timeout, checks still running at the run's ceiling are `error`
// run-ceiling, a check that needs one of them is skipped because of it, and the others report.
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/engine/check.js';
import { RUNNER_CODES, runChecks } from '../../src/engine/runner.js';
import { FixtureInventory } from '../../src/inventory/fixture.js';
import type { Finding } from '../../src/model.js';
import { config, healthy } from '../support/fixture-deployment.js';

const check = (id: string, run: () => Promise<Finding[]>, needs?: string[]): Check => ({
  id,
  title: id,
  step: 9,
  severity: 'low',
  remediation: 'none',
  permissions: [],
  ...(needs ? { needs } : {}),
  run,
});

const never = () => new Promise<Finding[]>(() => undefined);
const after = (ms: number) => () => new Promise<Finding[]>((r) => setTimeout(() => r([{ status: 'pass', message: `done after ${ms} ms.` }]), ms));
const ctx = (limits: { checkTimeoutMs?: number; runTimeoutMs?: number }) => ({ outDir: 'reports', env: {}, ...limits });
const kinds = (f: Finding[]) => f.map((x) => `${x.status} ${x.code?.split('/').pop() ?? ''}`.trim());

describe('runner time limits', () => {
  it('a check past checks.timeoutSeconds is error check-timeout; a quick one still passes', async () => {
    const results = await runChecks([check('stuck', never), check('quick', after(1))], new FixtureInventory(healthy()), config(), ctx({ checkTimeoutMs: 50, runTimeoutMs: 5_000 }));
    expect(results.map((r) => [r.id, kinds(r.findings)])).toEqual([
      ['stuck', ['error check-timeout']],
      ['quick', ['pass']],
    ]);
    expect(results[0]!.findings[0]!.message).toBe('Check stuck did not finish within 0.1 s (checks.timeoutSeconds, --check-timeout) and was stopped; nothing was verified.');
  });

  it('at the run ceiling the checks still running are error run-ceiling, a check needing one is skipped, finished ones keep their result', async () => {
    const t0 = performance.now();
    const results = await runChecks(
      [check('stuck', never), check('slow', after(10_000)), check('quick', after(1)), check('dependent', after(1), ['stuck'])],
      new FixtureInventory(healthy()),
      config(),
      ctx({ checkTimeoutMs: 60_000, runTimeoutMs: 100 }),
    );
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(results.map((r) => [r.id, kinds(r.findings)])).toEqual([
      ['stuck', ['error run-ceiling']],
      ['slow', ['error run-ceiling']],
      ['quick', ['pass']],
      ['dependent', ['skip not-run']],
    ]);
    expect(results[3]!.findings[0]!.message).toBe('Not run because stuck failed.');
    expect(results[0]!.findings[0]!.message).toMatch(/^Check stuck was still running after 0\.\d s when the run reached its ceiling \(checks\.runTimeoutSeconds, --timeout\) and was stopped; nothing was verified\.$/);
  });

  it('names its kinds', () => {
    expect(RUNNER_CODES).toEqual(['check-timeout', 'run-ceiling']);
  });
});
