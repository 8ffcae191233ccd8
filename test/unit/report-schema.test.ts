// The JSON Schema of the JSON report: generated from the zod shape, committed, and strict enough
// that ajv (an independent validator) rejects what the doctor would never write.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Report } from '../../src/model.js';
import { applyBaseline } from '../../src/report/baseline.js';
import { renderJson } from '../../src/report/json.js';
import { renderReportJsonSchema, reportJsonSchema } from '../../src/report/schema.js';
import { assertValidReport, REPORT_SCHEMA_PATH } from '../support/report-schema.js';

const result = (over: Partial<CheckResult> = {}): CheckResult => ({
  id: 'browser-smoke',
  title: 'In a real browser the admin logs in',
  step: 10,
  severity: 'critical',
  status: 'fail',
  findings: [
    { status: 'pass', message: 'login: logged in (1.2 s).', attachments: [{ kind: 'screenshot', path: 'smoke/01-login.png', caption: '01 login' }] },
    { status: 'fail', message: 'workspace ready: the workspace did not become ready within 15.0 s (15.1 s).', expected: 'Workspace ready', found: 'Creating workspace…' },
    { status: 'warn', message: 'trace: written to reports/smoke/trace-SENSITIVE.zip.', attachments: [{ kind: 'trace', path: 'smoke/trace-SENSITIVE.zip', caption: 'Playwright trace' }] },
  ],
  remediation: 'Follow the failing step.',
  durationMs: 15_300,
  ...over,
});

function report(results: CheckResult[] = [result()]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v20.20.2' },
    startedAt: '2026-12-01T08:00:00.000Z',
    target: { region: 'us-east-1', account: '123456789012', cluster: 'acme', endpoint: 'http://127.0.0.1:5000' },
    results,
    summary: summarize(results),
    stats: { apiCalls: { 'ecs:DescribeTaskDefinition': 4 }, durationMs: 16_000 },
  };
}

describe('report JSON Schema', () => {
  it('the committed schema is what the zod shape generates (run `npx tsx scripts/report-schema.ts` after changing it)', () => {
    expect(readFileSync(REPORT_SCHEMA_PATH, 'utf8')).toBe(renderReportJsonSchema());
  });

  it('is draft 2020-12, names the current schemaVersion and forbids unknown properties', () => {
    const schema = reportJsonSchema() as { $schema: string; properties: { schemaVersion: { const: number } }; additionalProperties: boolean };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schemaVersion.const).toBe(REPORT_SCHEMA_VERSION);
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts a report with attachments and one with a baseline diff, as renderJson writes them', () => {
    assertValidReport(JSON.parse(renderJson(report())));
    const before = report([result({ findings: [{ status: 'fail', message: 'Old problem.', resource: 'sg-1' }] })]);
    const diffed = applyBaseline(report(), JSON.parse(renderJson(before)), 'previous.json');
    expect(diffed.baseline?.fixed).toHaveLength(1);
    assertValidReport(JSON.parse(renderJson(diffed)));
  });

  it.each([
    ['an older schemaVersion', (r: Record<string, unknown>) => ({ ...r, schemaVersion: 1 })],
    ['an unknown status', (r: Report) => ({ ...r, results: [{ ...r.results[0]!, status: 'broken' }] })],
    ['a finding without message', (r: Report) => ({ ...r, results: [{ ...r.results[0]!, findings: [{ status: 'fail' }] }] })],
    ['an unknown top-level property', (r: Record<string, unknown>) => ({ ...r, extra: true })],
    ['startedAt that is not a date-time', (r: Record<string, unknown>) => ({ ...r, startedAt: 'yesterday' })],
    ['an attachment of an unknown kind', (r: Report) => ({ ...r, results: [{ ...r.results[0]!, findings: [{ status: 'pass', message: 'm', attachments: [{ kind: 'video', path: 'a', caption: 'c' }] }] }] })],
    ['a baseline mark other than new/known', (r: Report) => ({ ...r, results: [{ ...r.results[0]!, findings: [{ status: 'fail', message: 'm', baseline: 'old' }] }] })],
  ] as const)('rejects %s', (_name, mutate) => {
    const bad = (mutate as (r: Report) => unknown)(report());
    expect(() => assertValidReport(bad)).toThrow(/does not match/);
  });
});
