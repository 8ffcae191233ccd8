// Finding codes in every reporter: JUnit failure/error type, Markdown <sub>, HTML <small class="code">,
// the console only with --verbose, and the JSON report (valid against the schema).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../src/engine/finding.js';
import { REPORT_SCHEMA_VERSION, summarize, worstStatus, type CheckResult, type Finding, type Report } from '../../src/model.js';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { validateJunit } from '../support/junit-schema.js';
import { assertValidReport } from '../support/report-schema.js';

const result = (id: string, findings: Finding[]): CheckResult => ({
  id,
  title: `Healthy ${id}`,
  step: 1,
  severity: 'high',
  status: worstStatus(findings),
  findings: findings.map((f) => identify(id, f)),
  remediation: `Fix ${id}.`,
  durationMs: 3,
});

const results = [
  result('edgi-sg-ingress-rds', [
    { status: 'pass', message: 'Rule for sg-0 is there.' },
    { status: 'fail', code: 'missing-rule', message: 'Security group sg-1 has no inbound TCP 3306 rule.', resource: 'sg-1' },
    { status: 'warn', code: 'rule-too-open', message: 'Security group sg-2 allows too much.', resource: 'sg-2' },
  ]),
  result('insight-service-network', [{ status: 'error', code: 'access-denied', message: 'Access denied reading service s.', resource: 's' }]),
  result('caller-identity', [{ status: 'pass', message: 'Caller is fine.' }]),
];

const report: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v22.0.0' },
  startedAt: '2026-12-01T08:00:00.000Z',
  target: { region: 'us-east-1', cluster: 'acme' },
  results,
  summary: summarize(results),
  stats: { apiCalls: {}, durationMs: 10 },
};

describe('finding codes in reports', () => {
  it('JSON carries code and fingerprint on every non-pass finding and validates against the schema', () => {
    const json = JSON.parse(renderJson(report)) as Report;
    assertValidReport(json);
    expect(json.results[0]!.findings.map((f) => [f.code, f.fingerprint])).toEqual([
      [undefined, undefined],
      ['edgi-sg-ingress-rds/missing-rule', 'edgi-sg-ingress-rds/missing-rule@sg-1'],
      ['edgi-sg-ingress-rds/rule-too-open', 'edgi-sg-ingress-rds/rule-too-open@sg-2'],
    ]);
  });

  it('JUnit: the failure and error type is the code of the finding that set the status; still schema-valid', () => {
    const xml = renderJunit(report, { hostname: 'h' });
    expect(xml).toMatch(/<failure type="edgi-sg-ingress-rds\/missing-rule" message="/);
    expect(xml).toMatch(/<error type="insight-service-network\/access-denied" message="/);
    const file = join(mkdtempSync(join(tmpdir(), 'codes-junit-')), 'junit.xml');
    writeFileSync(file, xml);
    validateJunit(file);
  });

  it('Markdown shows the code in <sub> after the message', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('- **FAIL** Security group sg-1 has no inbound TCP 3306 rule. <sub>`edgi-sg-ingress-rds/missing-rule`</sub>');
    expect(md).toContain('<sub>`insight-service-network/access-denied`</sub>');
  });

  it('HTML shows the code in <small class="code">', () => {
    const html = renderHtml(report);
    expect(html).toContain('<span class="msg">Security group sg-1 has no inbound TCP 3306 rule.</span> <small class="code">edgi-sg-ingress-rds/missing-rule</small>');
  });

  it('the console shows codes only with --verbose', () => {
    expect(renderConsole(report, { color: false })).not.toContain('edgi-sg-ingress-rds/missing-rule');
    const verbose = renderConsole(report, { color: false, verbose: true });
    expect(verbose).toMatch(/code: {5}edgi-sg-ingress-rds\/missing-rule\n/);
    expect(verbose).toMatch(/code: {5}insight-service-network\/access-denied\n/);
  });
});
