// run --baseline: new, known and fixed findings; --fail-on-new; baselines that are not reports.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { identify } from '../../src/engine/finding.js';
import { REPORT_SCHEMA_VERSION, summarize, worstStatus, type CheckResult, type Finding, type Report } from '../../src/model.js';
import { applyBaseline, fingerprintOf, gatingFindings, loadBaseline, normaliseMessage } from '../../src/report/baseline.js';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { assertValidReport } from '../support/report-schema.js';

const check = (id: string, findings: Finding[], step = 1): CheckResult => ({
  id,
  title: `Healthy ${id}`,
  step,
  severity: 'high',
  status: worstStatus(findings),
  findings,
  remediation: `Fix ${id}.`,
  durationMs: 5,
});

const report = (results: CheckResult[], startedAt = '2026-12-01T08:00:00.000Z'): Report => ({
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v20.20.2' },
  startedAt,
  target: { region: 'us-east-1', cluster: 'acme' },
  results,
  summary: summarize(results),
  stats: { apiCalls: {}, durationMs: 10 },
});

/** As `run --baseline` reads it: the JSON the previous run wrote. */
const asBaseline = (r: Report) => JSON.parse(renderJson(r)) as Parameters<typeof applyBaseline>[1];

const BEFORE = report([
  check('edgi-sg-ingress-elasticsearch', [{ status: 'fail', message: 'Security group sg-1 has no inbound TCP 9200 rule from sg-es (Elasticsearch).', resource: 'sg-1' }]),
  check('s3-bucket-cors', [{ status: 'warn', message: 'Bucket b CORS allows origin *.', resource: 'b' }], 3),
  check('insight-log-errors', [{ status: 'fail', message: 'Log group /ecs/x has 3 events at 2026-12-01T07:59:58.123Z (took 1.2 s).', resource: '/ecs/x' }], 10),
  check('task-role-trust', [{ status: 'fail', message: 'Role r cannot be assumed by ECS tasks.', resource: 'r' }], 5),
]);

const AFTER = report(
  [
    // Same problem, now an error instead of a fail: still known (the fingerprint ignores the status).
    check('edgi-sg-ingress-elasticsearch', [{ status: 'error', message: 'Security group sg-1 has no inbound TCP 9200 rule from sg-es (Elasticsearch).', resource: 'sg-1' }]),
    // Fixed.
    check('s3-bucket-cors', [{ status: 'pass', message: 'Bucket b CORS allows PUT from the tenant only.', resource: 'b' }], 3),
    // Same problem, other timestamp and duration: known.
    check('insight-log-errors', [{ status: 'fail', message: 'Log group /ecs/x has 3 events at 2026-12-01T09:01:02.999Z (took 0.4 s).', resource: '/ecs/x' }], 10),
    // Skipped this time: not fixed, just not looked at.
    check('task-role-trust', [{ status: 'skip', message: 'Not run because caller-identity failed.' }], 5),
    // New.
    check('insight-subnets-private', [{ status: 'fail', message: 'Subnet subnet-a routes 0.0.0.0/0 to igw-1.', resource: 'subnet-a' }, { status: 'pass', message: 'Subnet subnet-b is private.' }]),
  ],
  '2026-12-01T09:00:00.000Z',
);

describe('baseline fingerprints', () => {
  it('ignore status, case, whitespace, timestamps and durations, but not the resource or the words', () => {
    expect(normaliseMessage('Took  1.2 s at 2026-12-01T07:59:58.123Z.')).toBe(normaliseMessage('took 0.4 s at 2026-12-01T09:01:02Z.'));
    const a = fingerprintOf('c', { status: 'fail', message: 'No rule.', resource: 'sg-1' });
    expect(fingerprintOf('c', { status: 'warn', message: 'no  rule.', resource: 'sg-1' })).toBe(a);
    expect(fingerprintOf('c', { status: 'fail', message: 'No rule.', resource: 'sg-2' })).not.toBe(a);
    expect(fingerprintOf('d', { status: 'fail', message: 'No rule.', resource: 'sg-1' })).not.toBe(a);
    expect(fingerprintOf('c', { status: 'fail', message: 'No other rule.', resource: 'sg-1' })).not.toBe(a);
  });

  it('use a finding’s own fingerprint when it carries one (stable finding codes)', () => {
    expect(fingerprintOf('c', { status: 'fail', message: 'worded one way', fingerprint: 'c/missing-rule sg-1' })).toBe('c/missing-rule sg-1');
  });
});

describe('applyBaseline', () => {
  const diffed = applyBaseline(AFTER, asBaseline(BEFORE), 'reports/previous.json');
  const marks = Object.fromEntries(diffed.results.map((r) => [r.id, r.findings.map((f) => f.baseline ?? '-').join(',')]));

  it('marks each non-pass finding new or known, and leaves passing ones alone', () => {
    expect(marks).toEqual({
      'edgi-sg-ingress-elasticsearch': 'known',
      's3-bucket-cors': '-',
      'insight-log-errors': 'known',
      'task-role-trust': 'new',
      'insight-subnets-private': 'new,-',
    });
    expect(diffed.baseline).toMatchObject({ file: 'reports/previous.json', startedAt: BEFORE.startedAt, new: 2, known: 2 });
  });

  it('lists as fixed only problems of checks that ran and no longer report them', () => {
    expect(diffed.baseline!.fixed.map((f) => [f.check, f.status, f.resource])).toEqual([['s3-bucket-cors', 'warn', 'b']]);
    expect(diffed.baseline!.fixed[0]!.fingerprint).toBe(fingerprintOf('s3-bucket-cors', BEFORE.results[1]!.findings[0]!));
  });

  it('matches identical findings one to one', () => {
    const twice = (n: number) => report([check('c', Array.from({ length: n }, () => ({ status: 'fail' as const, message: 'Same.', resource: 'x' })))]);
    const d = applyBaseline(twice(3), asBaseline(twice(1)), 'b.json');
    expect(d.results[0]!.findings.map((f) => f.baseline)).toEqual(['known', 'new', 'new']);
    expect(applyBaseline(twice(1), asBaseline(twice(3)), 'b.json').baseline!.fixed).toHaveLength(2);
  });

  it('keeps the input untouched and writes a schema-valid JSON report carrying the diff', () => {
    expect(AFTER.results.flatMap((r) => r.findings).some((f) => f.baseline)).toBe(false);
    const json = JSON.parse(renderJson(diffed));
    assertValidReport(json);
    expect(json.baseline.fixed[0].check).toBe('s3-bucket-cors');
    expect(json.results[4].findings[0].baseline).toBe('new');
  });

  it('console, Markdown and HTML show new/known marks and the fixed findings', () => {
    const con = renderConsole(diffed, { color: false });
    expect(con).toContain('[new] Subnet subnet-a routes 0.0.0.0/0 to igw-1.');
    expect(con).toContain('[known] Security group sg-1');
    expect(con).toContain('Baseline: reports/previous.json (2026-12-01T08:00:00.000Z): 2 new, 2 known, 1 fixed');
    expect(con).toContain('fixed s3-bucket-cors: Bucket b CORS allows origin *.');
    const md = renderMarkdown(diffed);
    expect(md).toContain('**Baseline** `reports/previous.json` (started 2026-12-01T08:00:00.000Z): 2 new, 2 known, 1 fixed.');
    expect(md).toContain('- **FAIL** _(new)_ Subnet subnet-a routes 0.0.0.0/0 to igw-1.');
    expect(md).toMatch(/### Fixed since the baseline\n\n- `s3-bucket-cors` was \*\*WARN\*\*: Bucket b CORS allows origin \\\*\./);
    const html = renderHtml(diffed);
    expect(html).toContain('<span class="tag new">2 new</span>');
    expect(html).toContain('<span class="tag fixed">1 fixed</span>');
    expect(html).toMatch(/<ul class="fixed"><li><span class="badge warn">WARN<\/span> <code>s3-bucket-cors<\/code> Bucket b CORS allows origin \*\./);
    expect(html).toMatch(/<span class="badge fail">FAIL<\/span> <span class="tag new">new<\/span> <span class="msg">Subnet subnet-a/);
  });
});

describe('applyBaseline by fingerprint (finding codes, schemaVersion 3)', () => {
  const coded = (id: string, kind: string, message: string, resource?: string): CheckResult =>
    check(id, [identify(id, { status: 'fail', code: kind, message, ...(resource !== undefined ? { resource } : {}) })]);

  it('a reworded message with the same code and resource is known; another resource is new', () => {
    const before = report([coded('edgi-sg-ingress-rds', 'missing-rule', 'Security group sg-1 has no inbound TCP 3306 rule.', 'sg-1')]);
    const after = report([
      check('edgi-sg-ingress-rds', [
        identify('edgi-sg-ingress-rds', { status: 'fail', code: 'missing-rule', message: 'MySQL traffic to sg-1 is blocked: no rule for TCP 3306.', resource: 'sg-1' }),
        identify('edgi-sg-ingress-rds', { status: 'fail', code: 'missing-rule', message: 'Security group sg-1 has no inbound TCP 3306 rule.', resource: 'sg-2' }),
      ]),
    ]);
    const d = applyBaseline(after, asBaseline(before), 'b.json');
    expect(d.results[0]!.findings.map((f) => f.baseline)).toEqual(['known', 'new']);
    expect(d.baseline).toMatchObject({ new: 1, known: 1, fixed: [] });
  });

  it('the same message under another code is a different finding, and the fixed one names its code', () => {
    const before = report([coded('c', 'too-open', 'Rule r is wrong.', 'sg-1')]);
    const after = report([coded('c', 'missing-rule', 'Rule r is wrong.', 'sg-1')]);
    const d = applyBaseline(after, asBaseline(before), 'b.json');
    expect(d.results[0]!.findings[0]!.baseline).toBe('new');
    expect(d.baseline!.fixed).toEqual([{ check: 'c', status: 'fail', message: 'Rule r is wrong.', resource: 'sg-1', code: 'c/too-open', fingerprint: 'c/too-open@sg-1' }]);
  });

  it('a baseline of schemaVersion 2 (no fingerprints) is matched by check, resource and message on both sides', () => {
    const old = { ...asBaseline(report([check('c', [{ status: 'fail', message: 'Rule r is wrong.', resource: 'sg-1' }, { status: 'warn', message: 'Gone now.', resource: 'sg-9' }])])), schemaVersion: 2 };
    const after = report([coded('c', 'missing-rule', 'Rule  r is WRONG.', 'sg-1')]);
    const d = applyBaseline(after, old, 'v2.json');
    expect(d.results[0]!.findings[0]!.baseline).toBe('known');
    expect(d.baseline!.fixed).toEqual([{ check: 'c', status: 'warn', message: 'Gone now.', resource: 'sg-9', fingerprint: 'c | sg-9 | gone now.' }]);
    assertValidReport(JSON.parse(renderJson(d)));
  });
});

describe('gatingFindings (--fail-on and --fail-on-new)', () => {
  const diffed = applyBaseline(AFTER, asBaseline(BEFORE), 'b.json');

  it('without --fail-on-new every finding at the --fail-on statuses gates', () => {
    expect(gatingFindings(diffed, ['fail', 'error'], false).map((g) => g.check)).toEqual(['edgi-sg-ingress-elasticsearch', 'insight-log-errors', 'insight-subnets-private']);
  });

  it('with --fail-on-new only new ones do, and a run with only known problems passes', () => {
    expect(gatingFindings(diffed, ['fail', 'error'], true).map((g) => g.check)).toEqual(['insight-subnets-private']);
    const sameAgain = applyBaseline(BEFORE, asBaseline(BEFORE), 'b.json');
    expect(gatingFindings(sameAgain, ['warn', 'fail', 'error'], true)).toEqual([]);
    expect(gatingFindings(sameAgain, ['warn', 'fail', 'error'], false)).toHaveLength(4);
  });
});

describe('loadBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'askedgi-baseline-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const message = (path: string) => {
    try {
      loadBaseline(path);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error('loadBaseline did not throw');
  };

  it('reads a report this version wrote, and one of schemaVersion 1', () => {
    expect(loadBaseline(file('now.json', renderJson(BEFORE))).results).toHaveLength(4);
    expect(loadBaseline(file('v1.json', JSON.stringify({ ...BEFORE, schemaVersion: 1 }))).schemaVersion).toBe(1);
  });

  it('refuses anything else with one line naming the file', () => {
    const missing = join(dir, 'nope.json');
    expect(message(missing)).toBe(`--baseline ${missing}: no such file`);
    mkdirSync(join(dir, 'adir'));
    expect(message(join(dir, 'adir'))).toBe(`--baseline ${join(dir, 'adir')}: is a directory`);
    const notJson = file('junit.xml', '<?xml version="1.0"?><testsuites/>');
    expect(message(notJson)).toBe(`--baseline ${notJson}: not an askedgi-doctor JSON report (not JSON)`);
    const other = file('package.json', JSON.stringify({ name: 'x', version: '1.0.0' }));
    expect(message(other)).toMatch(new RegExp(`^--baseline ${other.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not an askedgi-doctor JSON report \\(schemaVersion: .+\\)$`));
    const plan = file('plan.json', JSON.stringify({ schemaVersion: 1, tool: { name: 'other-tool' }, startedAt: 'x', results: [] }));
    expect(message(plan)).toMatch(/not an askedgi-doctor JSON report \(tool\.name: /);
    for (const m of [message(missing), message(notJson), message(other), message(plan)]) expect(m).not.toContain('\n');
  });
});
