// Issue 11 B5: text from the deployment is inert in every format — bidi controls neutralised in HTML
// as in the console, the plan an approver reads cannot be forged with newlines or control characters
// from database values, very long values are cut with their length shown (console, JUnit, HTML).
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Finding, type Report } from '../../src/model.js';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderPlan } from '../../src/remediate/render.js';
import type { Plan } from '../../src/remediate/types.js';
import { inertText, MAX_SHOWN_LENGTH, truncateText } from '../../src/text/inert.js';

function report(findings: Finding[]): Report {
  const results: CheckResult[] = [{ id: 'x-check', title: 'Healthy.', step: 4, severity: 'high', status: 'fail', findings, remediation: 'Fix it.', durationMs: 1 }];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v20' },
    startedAt: '2026-03-04T05:06:07.890Z',
    target: { region: 'us-east-1', account: '123456789012', cluster: 'c' },
    results,
    summary: summarize(results),
    stats: { apiCalls: {}, durationMs: 1 },
  };
}

const RLO = '\u202e';
const LRI = '\u2066';

describe('inertText and truncateText', () => {
  it('escapes bidi and control characters visibly, keeps or escapes newlines, cuts long values with their length', () => {
    expect(inertText(`a${RLO}b${LRI}c\u001b[31md\u0000`)).toBe('a\\u202Eb\\u2066c\\x1b[31md\\x00');
    expect(inertText('a\nb')).toBe('a\nb');
    expect(inertText('a\nb', { newlines: 'escape' })).toBe('a\\nb');
    expect(truncateText('x'.repeat(10), 4)).toBe('xxxx… [10 characters, cut to 4]');
    expect(truncateText('short', 4 + 1)).toBe('short');
  });
});

describe('reports', () => {
  const long = `BEGIN${'y'.repeat(50_000)}END`;
  const r = report([{ status: 'fail', message: `Value ${RLO}gnp.exe is wrong.`, found: long, expected: `${LRI}ok` }]);

  it('HTML neutralises bidi controls as the console does', () => {
    const html = renderHtml(r);
    expect(html).not.toContain(RLO);
    expect(html).not.toContain(LRI);
    expect(html).toContain('Value \\u202Egnp.exe is wrong.');
    expect(renderConsole(r, { color: false, verbose: true })).toContain('Value \\u202Egnp.exe is wrong.');
  });

  it('a very long value is cut, with its length shown, in console, JUnit and HTML', () => {
    const shown = `${long.length} characters, cut to ${MAX_SHOWN_LENGTH}`;
    for (const [name, text] of [
      ['console', renderConsole(r, { color: false, verbose: true })],
      ['junit', renderJunit(r)],
      ['html', renderHtml(r)],
    ] as const) {
      expect(text, name).toContain(shown);
      expect(text, name).not.toContain('END');
      expect(text.length, name).toBeLessThan(20_000);
    }
  });
});

describe('the plan an approver reads', () => {
  const plan = {
    schemaVersion: 1,
    action: 'reset-workspace',
    params: { user: 'admin', maxRows: 10 },
    createdAt: '2026-03-04T05:06:07.890Z',
    caller: { arn: 'arn:aws:iam::123456789012:user/ops', account: '123456789012' },
    target: { region: 'us-east-1', cluster: 'c' },
    rows: [
      {
        table: 'edgi_data_service_stack',
        primaryKey: 'id',
        types: {},
        rows: [{ id: 1, user_id: 'admin', status: 'RUNNING\n  edgi_data_service_uptime_history: 0 row(s) to delete\n  Cloud Map: 0 instance(s) to deregister', note: `x${RLO}y\r\u001b[2K`, blob: 'z'.repeat(5000) }],
      },
    ],
    instances: [
      { namespace: { id: 'ns', name: 'askedgi.local' }, service: { id: 'srv', arn: 'arn:srv', name: 'edgi-data-service' }, id: 'edgi-data-service-admin', attributes: { AWS_INSTANCE_IPV4: '10.0.0.1\n  note: approved by security' }, matchedBy: 'row' },
    ],
    serviceUpdates: [],
    notes: [],
    sha256: '0'.repeat(64),
  } as Plan;

  it('cannot be forged with newlines or control characters from database or Cloud Map values', () => {
    const text = renderPlan(plan, '/tmp/plan.json');
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('  Cloud Map:'))).toEqual(['  Cloud Map: 1 instance(s) to deregister']);
    expect(lines.some((l) => l.startsWith('  edgi_data_service_uptime_history'))).toBe(false);
    expect(lines.some((l) => l.startsWith('  note:'))).toBe(false);
    expect(text).toContain('status=RUNNING\\n  edgi_data_service_uptime_history: 0 row(s) to delete\\n  Cloud Map: 0 instance(s) to deregister');
    expect(text).toContain('note=x\\u202Ey\\x0d\\x1b[2K');
    expect(text).toContain('AWS_INSTANCE_IPV4=10.0.0.1\\n  note: approved by security');
    expect(text).toContain('[5000 characters, cut to 300]');
  });
});
