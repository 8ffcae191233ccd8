// Waivers on fixture results: active, expired, stale, resource globs, the recomputed status, the exit
// code, the config (inline and waiversFile) and what list / explain show.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { Waiver } from '../../src/config/schema.js';
import { applyWaivers, daysLeft, resourceMatches, WAIVERS_RESULT_ID } from '../../src/engine/waivers.js';
import { ConfigError } from '../../src/errors.js';
import { baseConfig } from '../../src/inventory/reference-deployment.js';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Report } from '../../src/model.js';
import { gatingFindings } from '../../src/report/baseline.js';
import { renderJunit } from '../../src/report/junit.js';
import { assertValidReport } from '../support/report-schema.js';

const NOW = new Date('2026-12-01T10:00:00Z');

const result = (id: string, findings: CheckResult['findings']): CheckResult => ({
  id,
  title: `title of ${id}`,
  step: 3,
  severity: 'high',
  status: findings.some((f) => f.status === 'fail') ? 'fail' : findings.some((f) => f.status === 'warn') ? 'warn' : 'pass',
  findings,
  remediation: 'fix it',
  durationMs: 5,
});

const cors = () =>
  result('s3-bucket-cors', [
    { status: 'warn', message: 'Bucket acme-edgi CORS allows origin *.', resource: 'arn:aws:s3:::acme-edgi' },
    { status: 'pass', message: 'Bucket acme-edgi CORS allows GET.', resource: 'arn:aws:s3:::acme-edgi' },
  ]);
const sgs = () =>
  result('edgi-sg-ingress-elasticsearch', [
    { status: 'fail', message: 'Security group sg-1 has no 9200 rule.', resource: 'sg-1' },
    { status: 'fail', message: 'Security group sg-2 has no 9200 rule.', resource: 'sg-2' },
  ]);

const waiver = (over: Partial<Waiver> = {}): Waiver => ({ check: 's3-bucket-cors', reason: 'The runbook sets CORS *; tenant origin pending', approvedBy: 'J. Doe (SEC-42)', expires: '2026-12-31', ...over });

const report = (results: CheckResult[]): Report => ({
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'askedgi-doctor', version: '0.1.0', node: process.version },
  startedAt: NOW.toISOString(),
  target: { region: 'us-east-1', cluster: 'acme' },
  results,
  summary: summarize(results),
  stats: { apiCalls: {}, durationMs: 1 },
});

describe('applyWaivers', () => {
  it('an active waiver waives the matching non-pass findings, recomputes the status and says reason, approver and days left', () => {
    const { results } = applyWaivers([cors(), sgs()], [waiver()], NOW);
    const c = results.find((r) => r.id === 's3-bucket-cors')!;
    expect(c.status).toBe('waived');
    expect(c.findings.map((f) => f.status)).toEqual(['waived', 'pass']);
    expect(c.findings[0]!.message).toBe('Bucket acme-edgi CORS allows origin *. Waived: The runbook sets CORS *; tenant origin pending (approved by J. Doe (SEC-42); expires 2026-12-31, 30 days left).');
    expect(c.findings[0]!.resource).toBe('arn:aws:s3:::acme-edgi');
    // Other checks untouched; no synthetic result when every waiver is current and used.
    expect(results.find((r) => r.id === 'edgi-sg-ingress-elasticsearch')!.status).toBe('fail');
    expect(results.map((r) => r.id)).not.toContain(WAIVERS_RESULT_ID);
  });

  it('waived findings do not count for the exit code, even with --fail-on warn', () => {
    const { results } = applyWaivers([cors()], [waiver()], NOW);
    expect(gatingFindings(report(results), ['fail', 'error', 'warn'], false)).toEqual([]);
    expect(gatingFindings(report([cors()]), ['fail', 'error', 'warn'], false)).toHaveLength(1);
  });

  it('a resource waiver waives only its resource: the check stays fail while another finding fails', () => {
    const { results } = applyWaivers([sgs()], [waiver({ check: 'edgi-sg-ingress-elasticsearch', resource: 'sg-1' })], NOW);
    expect(results[0]!.findings.map((f) => f.status)).toEqual(['waived', 'fail']);
    expect(results[0]!.status).toBe('fail');
    const all = applyWaivers([sgs()], [waiver({ check: 'edgi-sg-ingress-elasticsearch', resource: 'sg-*' })], NOW).results;
    expect(all[0]!.status).toBe('waived');
  });

  it('resource globs: * matches any run of characters, everything else is literal', () => {
    expect(resourceMatches('arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-edgi')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::acme-*', 'arn:aws:s3:::other')).toBe(false);
    expect(resourceMatches('sg-1', 'sg-10')).toBe(false);
    expect(resourceMatches('sg-1.', 'sg-1x')).toBe(false);
    expect(resourceMatches('sg-1', undefined)).toBe(false);
    expect(resourceMatches(undefined, undefined)).toBe(true);
  });

  it('on its last day a waiver still applies (0 days left); the day after it is expired, waives nothing and is reported', () => {
    expect(daysLeft({ expires: '2026-12-01' }, NOW)).toBe(0);
    const lastDay = applyWaivers([cors()], [waiver({ expires: '2026-12-01' })], NOW).results;
    expect(lastDay[0]!.status).toBe('waived');
    expect(lastDay[0]!.findings[0]!.message).toContain('expires 2026-12-01, last day today');

    const { results } = applyWaivers([cors()], [waiver({ expires: '2026-11-30' })], NOW);
    expect(results[0]!.status).toBe('warn');
    expect(results[0]!.findings[0]!.status).toBe('warn');
    const synthetic = results.find((r) => r.id === WAIVERS_RESULT_ID)!;
    expect(synthetic.status).toBe('warn');
    expect(synthetic.step).toBe(0);
    expect(synthetic.findings).toHaveLength(1);
    expect(synthetic.findings[0]!.message).toBe(
      'The waiver of s3-bucket-cors expired on 2026-11-30 (1 day ago) and waives nothing any more: renew it with a new approval, or remove it. It was: The runbook sets CORS *; tenant origin pending (approved by J. Doe (SEC-42)).',
    );
  });

  it('a waiver that matches nothing of a check that ran is stale (warn); one for a check that did not run is not', () => {
    const { results } = applyWaivers([cors(), sgs()], [waiver({ check: 'edgi-sg-ingress-elasticsearch', resource: 'sg-9' }), waiver({ check: 'iam-user-policy' })], NOW);
    const synthetic = results.find((r) => r.id === WAIVERS_RESULT_ID)!;
    expect(synthetic.findings.map((f) => f.message)).toEqual([
      'The waiver of edgi-sg-ingress-elasticsearch (resource sg-9) is stale: it matches no failing, erroring or warning finding of that check (fixed, or the resource is named otherwise); remove it.',
    ]);
    expect(results.find((r) => r.id === 'edgi-sg-ingress-elasticsearch')!.status).toBe('fail');
  });

  it('passing and skipped findings are never waived', () => {
    const skipped = result('rds-sg-allows-edgi', [{ status: 'skip', message: 'Not run.' }]);
    skipped.status = 'skip';
    const { results } = applyWaivers([skipped], [waiver({ check: 'rds-sg-allows-edgi' })], NOW);
    expect(results[0]).toEqual(skipped);
    expect(results.find((r) => r.id === WAIVERS_RESULT_ID)!.findings[0]!.message).toContain('is stale');
  });

  it('the waived and synthetic results are a valid JSON report, and JUnit shows the waived check as skipped with the reason', () => {
    const { results } = applyWaivers([cors(), sgs()], [waiver(), waiver({ check: 'edgi-sg-ingress-elasticsearch', expires: '2026-01-01' })], NOW);
    const r = report(results);
    assertValidReport(JSON.parse(JSON.stringify(r)));
    const xml = renderJunit(r, { hostname: 'h' });
    expect(xml).toMatch(/<testcase name="s3-bucket-cors[^"]*"[^>]*>\s*<skipped type="waived" message="Bucket acme-edgi CORS allows origin \*\. Waived: The runbook sets CORS \*; tenant origin pending/);
  });
});

describe('waivers in the config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waivers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ids = CHECKS.map((c) => c.id);
  const write = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : stringify(value));
    return file;
  };
  const problems = (file: string): string[] => {
    try {
      loadConfig(file, { checkIds: ids, env: {} });
    } catch (err) {
      if (err instanceof ConfigError) return err.message.split('\n').slice(1).map((l) => l.trim());
      throw err;
    }
    throw new Error('accepted');
  };

  it('inline waivers and a waiversFile (relative to the config, list or waivers: form) are merged', () => {
    write('more-waivers.yaml', { waivers: [waiver({ check: 'edgi-sg-ingress-elasticsearch', resource: 'sg-*' })] });
    const cfg = loadConfig(write('a.yaml', { ...baseConfig(), waivers: [waiver({ check: 's3-bucket-cors' })], waiversFile: 'more-waivers.yaml' }), { checkIds: ids, env: {} });
    expect(cfg.waivers.map((w) => w.check)).toEqual(['s3-bucket-cors', 'edgi-sg-ingress-elasticsearch']);
    write('list-waivers.yaml', [waiver()]);
    expect(loadConfig(write('b.yaml', { ...baseConfig(), waiversFile: 'list-waivers.yaml' }), { checkIds: ids, env: {} }).waivers).toHaveLength(1);
  });

  it('an unknown check id, a missing expiry and a date that does not exist are config errors', () => {
    const { expires: _e, ...noExpiry } = waiver();
    expect(problems(write('c.yaml', { ...baseConfig(), waivers: [waiver({ check: 's3-bucket-corz' })] }))).toEqual(['waivers[0].check: unknown check id "s3-bucket-corz" (did you mean "s3-bucket-cors"?)']);
    expect(problems(write('d.yaml', { ...baseConfig(), waivers: [noExpiry] }))).toEqual(['waivers[0].expires: the required key "expires" is missing in waivers[0] (expected a string)']);
    expect(problems(write('e.yaml', { ...baseConfig(), waivers: [waiver({ expires: '2026-02-30' })] }))).toEqual(['waivers[0].expires: expected a date that exists, like 2026-12-31']);
    expect(problems(write('f.yaml', { ...baseConfig(), waivers: [waiver({ expires: '31/12/2026' })] }))[0]).toBe('waivers[0].expires: expected a date like 2026-12-31 (YYYY-MM-DD)');
  });

  it('a broken or missing waiversFile is an error naming that file', () => {
    write('bad-waivers.yaml', [{ check: 's3-bucket-cors', reason: 'r', approvedBy: 'a' }]);
    expect(() => loadConfig(write('g.yaml', { ...baseConfig(), waiversFile: 'bad-waivers.yaml' }), { checkIds: ids, env: {} })).toThrow(/bad-waivers\.yaml: invalid configuration\n {2}waivers\[0\]\.expires: the required key "expires" is missing/);
    expect(() => loadConfig(write('h.yaml', { ...baseConfig(), waiversFile: 'nope.yaml' }), { checkIds: ids, env: {} })).toThrow(/nope\.yaml: invalid configuration\n {2}file not found/);
  });
});
