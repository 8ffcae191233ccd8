import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Finding, type Report, type Status } from '../../src/model.js';
import { renderConsole, sanitizeTerminal } from '../../src/report/console.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit, xmlSafe } from '../../src/report/junit.js';
import { JUNIT_SCHEMAS, validateJunit } from '../support/junit-schema.js';
import { assertValidReport } from '../support/report-schema.js';

function result(id: string, step: number, status: Status, findings: Finding[], durationMs = 120): CheckResult {
  return {
    id,
    title: `Healthy state of ${id}`,
    step,
    severity: 'high',
    status,
    findings,
    remediation: `Remediate ${id} as the runbook says.`,
    durationMs,
  };
}

function makeReport(results: CheckResult[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v20.20.2' },
    startedAt: '2026-03-04T05:06:07.890Z',
    target: { region: 'us-east-1', account: '123456789012', cluster: 'acme-ovaledge', endpoint: 'oe-edgi.acme.local' },
    results,
    summary: summarize(results),
    stats: { apiCalls: { DescribeTaskDefinition: 3, DescribeSecurityGroups: 4, GetCallerIdentity: 1 }, durationMs: 2345 },
  };
}

function sampleReport(): Report {
  return makeReport([
    result('identity-region', 0, 'pass', [{ status: 'pass', message: 'Caller identity resolved in us-east-1.' }], 40),
    result('edgi-sg-inbound', 1, 'fail', [
      { status: 'pass', message: 'Security group sg-0edgi allows TCP 9200 from sg-0es.' },
      {
        status: 'fail',
        message: 'Security group sg-0edgi has no inbound TCP 8000 rule from the VPC CIDR.',
        resource: 'sg-0edgi',
        expected: 'TCP 8000 from 10.0.0.0/16',
        found: 'no rule',
      },
      { status: 'warn', message: 'Security group sg-0edgi allows all traffic from sg-0efs.', resource: 'sg-0edgi' },
    ], 250),
    result('insight-subnets-private', 1, 'pass', [{ status: 'pass', message: 'Subnets are private.' }], 80),
    result('rds-sg-allows-edgi', 1, 'skip', [{ status: 'skip', message: 'Skipped because edgi-sg-inbound failed.' }], 0),
    result('s3-cors', 3, 'warn', [
      { status: 'warn', message: 'Bucket acme-edgi CORS allows origin *.', expected: 'https://tenant.example.com', found: '*' },
    ]),
    result('iam-user-key', 4, 'error', [
      { status: 'error', message: 'Access denied to iam:ListAccessKeys for user edgi_user.', resource: 'edgi_user' },
    ]),
    result('iam-plaintext-keys', 4, 'waived', [
      { status: 'waived', message: 'Plaintext keys waived until 2026-06-30 (approved by J. Doe, OPS-12).' },
    ]),
    result('data-task-definition', 6, 'pass', [{ status: 'pass', message: 'edgi-data-service:7 matches.' }], 1500),
  ]);
}

const HOSTILE = `<script>alert(1)</script> &amp; "' ]]> &foo; &#1; &#x1b; \u0000 \u0001 \u001b[31mRED \u001b[2J \u001b]0;owned\u0007 \uFFFE \uD800 \u009b \u007f \u202e end`;

function hostileReport(): Report {
  const finding = (status: Status): Finding => ({
    status,
    message: `${status} ${HOSTILE}\nPASS  forged-line`,
    resource: `arn:aws:ecs:${HOSTILE}`,
    expected: `expected ${HOSTILE}`,
    found: `found ${HOSTILE}`,
  });
  return makeReport(
    (['fail', 'error', 'skip', 'warn', 'waived', 'pass'] as const).map((status, i) => ({
      ...result(`hostile-${status}${HOSTILE}`, i + 1, status, [finding(status)]),
      title: `Title ${HOSTILE}`,
      remediation: `Fix ${HOSTILE}`,
    })),
  );
}

// Every raw control character a terminal could act on, except \n.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex

describe('junit reporter', () => {
  let dir: string;

  beforeAll(() => {
    // Fail loudly rather than skip: the schema check is the point of these tests.
    for (const schema of JUNIT_SCHEMAS) expect(existsSync(schema), `JUnit schema missing at ${schema}`).toBe(true);
    expect(() => execFileSync('xmllint', ['--version'], { stdio: 'pipe' }), 'xmllint is not installed').not.toThrow();
    dir = mkdtempSync(path.join(tmpdir(), 'askedgi-junit-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  let fileCount = 0;
  function write(xml: string): string {
    const file = path.join(dir, `report-${fileCount++}.xml`);
    writeFileSync(file, xml, 'utf8');
    return file;
  }

  function validate(xml: string): void {
    // Throws with xmllint's message unless valid against the Jenkins and the strict Ant schema.
    validateJunit(write(xml));
  }

  function xpath(xml: string, expr: string): string {
    return execFileSync('xmllint', ['--xpath', expr, write(xml)], { encoding: 'utf8', stdio: 'pipe' }).trim();
  }

  it('validates against the Jenkins and the strict Ant JUnit schemas', () => {
    validate(renderJunit(sampleReport(), { hostname: 'ci-runner-1' }));
  });

  it('validates with zero results and has no testsuite', () => {
    const xml = renderJunit(makeReport([]), { hostname: 'h' });
    validate(xml);
    expect(xpath(xml, 'count(//testsuite)')).toBe('0');
  });

  it('starts with the XML declaration and a testsuites root without attributes', () => {
    const xml = renderJunit(sampleReport(), { hostname: 'h' });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toMatch(/<testsuites>/);
    expect(xpath(xml, 'count(/testsuites/@*)')).toBe('0');
  });

  it('has one suite per step with results, with correct counts and attributes', () => {
    const xml = renderJunit(sampleReport(), { hostname: 'ci-runner-1' });
    expect(xpath(xml, 'count(//testsuite)')).toBe('5');
    const suite = (attrName: string, n: number): string => xpath(xml, `string(//testsuite[${n}]/@${attrName})`);
    expect(suite('name', 2)).toBe('askedgi-doctor step 1: Network security');
    expect([suite('tests', 2), suite('failures', 2), suite('errors', 2), suite('skipped', 2)]).toEqual(['3', '1', '0', '1']);
    expect([suite('tests', 4), suite('failures', 4), suite('errors', 4), suite('skipped', 4)]).toEqual(['2', '0', '1', '1']); // the waived check counts as skipped
    expect(suite('name', 4)).toBe('askedgi-doctor step 4: IAM user');
    expect(suite('time', 2)).toBe('0.330');
    expect(suite('id', 1)).toBe('0');
    expect(suite('id', 5)).toBe('4');
    expect(suite('name', 5)).toBe('askedgi-doctor step 6: Data task definition');
    expect(suite('package', 1)).toBe('askedgi-doctor');
    expect(suite('hostname', 1)).toBe('ci-runner-1');
    expect(suite('timestamp', 1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(suite('timestamp', 1)).toBe('2026-03-04T05:06:07');
    expect(xpath(xml, 'string(//testsuite[1]/properties/property[@name="region"]/@value)')).toBe('us-east-1');
    expect(xpath(xml, 'string(//testsuite[1]/properties/property[@name="cluster"]/@value)')).toBe('acme-ovaledge');
  });

  it('orders suite children: properties, testcases, system-out, system-err', () => {
    const xml = renderJunit(sampleReport(), { hostname: 'h' });
    expect(xpath(xml, 'name(//testsuite[2]/*[1])')).toBe('properties');
    expect(xpath(xml, 'name(//testsuite[2]/*[last()])')).toBe('system-err');
    expect(xpath(xml, 'name(//testsuite[2]/*[last()-1])')).toBe('system-out');
    expect(xpath(xml, 'count(//testsuite[2]/*[not(self::testcase)][preceding-sibling::testcase and following-sibling::testcase])')).toBe('0');
    expect(xpath(xml, 'count(//testsuite[2]/testcase)')).toBe('3');
  });

  it('maps statuses to failure, error, skipped and passing testcases', () => {
    const xml = renderJunit(sampleReport(), { hostname: 'h' });
    const tc = (id: string): string => `//testcase[starts-with(@name, "${id}: ")]`;
    expect(xpath(xml, `string(${tc('edgi-sg-inbound')}/@classname)`)).toBe('askedgi-doctor.step1');
    expect(xpath(xml, `string(${tc('edgi-sg-inbound')}/failure/@type)`)).toBe('fail');
    expect(xpath(xml, `string(${tc('edgi-sg-inbound')}/failure/@message)`)).toBe(
      'Security group sg-0edgi has no inbound TCP 8000 rule from the VPC CIDR.',
    );
    const body = xpath(xml, `string(${tc('edgi-sg-inbound')}/failure)`);
    expect(body).toContain('expected: TCP 8000 from 10.0.0.0/16');
    expect(body).toContain('found: no rule');
    expect(body).toContain('fix: Remediate edgi-sg-inbound as the runbook says.');
    expect(body).not.toContain('allows TCP 9200');
    expect(xpath(xml, `string(${tc('iam-user-key')}/error/@type)`)).toBe('error');
    expect(xpath(xml, `string(${tc('rds-sg-allows-edgi')}/skipped/@message)`)).toBe('Skipped because edgi-sg-inbound failed.');
    expect(xpath(xml, `string(${tc('rds-sg-allows-edgi')}/skipped/@type)`)).toBe('skip');
    expect(xpath(xml, `count(${tc('s3-cors')}/*[self::failure or self::error or self::skipped])`)).toBe('0');
    // Warnings pass, with their findings in the suite's system-out (the strict Ant schema has none per testcase).
    expect(xpath(xml, `count(${tc('s3-cors')}/*)`)).toBe('0');
    // A waived check is skipped, with the waiver's reason; its findings are in system-out too.
    expect(xpath(xml, `string(${tc('iam-plaintext-keys')}/skipped/@type)`)).toBe('waived');
    expect(xpath(xml, `string(${tc('iam-plaintext-keys')}/skipped/@message)`)).toBe('Plaintext keys waived until 2026-06-30 (approved by J. Doe, OPS-12).');
    expect(xpath(xml, `string(${tc('iam-plaintext-keys')}/../@skipped)`)).toBe('1');
    expect(xpath(xml, `string(${tc('s3-cors')}/../system-out)`)).toContain('s3-cors: warn\n[WARN] Bucket acme-edgi CORS allows origin *.');
    expect(xpath(xml, `string(${tc('iam-plaintext-keys')}/../system-out)`)).toContain('iam-plaintext-keys: waived\n[WAIVED] Plaintext keys waived until');
    expect(xpath(xml, 'count(//testcase[count(failure|error|skipped) > 1])')).toBe('0');
    expect(xpath(xml, 'count(//testcase)')).toBe('8');
    expect(xpath(xml, `string(${tc('data-task-definition')}/@time)`)).toBe('1.500');
  });

  it('keeps hostile text inert and the document valid', () => {
    const xml = renderJunit(hostileReport(), { hostname: `host${HOSTILE}` });
    validate(xml);
    expect(xpath(xml, 'count(//script)')).toBe('0');
    expect(xpath(xml, 'count(//testsuite)')).toBe('6');
    expect(xpath(xml, 'count(//testcase)')).toBe('6');
    expect(xpath(xml, 'count(//failure)')).toBe('1');
    expect(xpath(xml, 'count(//error)')).toBe('1');
    expect(xpath(xml, 'count(//skipped)')).toBe('2');
    const message = xpath(xml, 'string(//failure/@message)');
    expect(message).toContain('<script>alert(1)</script> &amp; "\' ]]>');
    expect(xpath(xml, 'string(//failure)')).toContain('expected: expected <script>alert(1)</script> &amp; "\' ]]> &foo; &#1; &#x1b;');
    expect(xpath(xml, 'string(//testcase[1]/@name)')).toContain('hostile-fail<script>alert(1)</script> &amp; "\' ]]> &foo; &#1;');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &quot;&apos; ]]&gt; &amp;foo; &amp;#1;');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/); // eslint-disable-line no-control-regex
    expect(xml).not.toMatch(/[\uD800-\uDFFF]/u);
  });

  it('xmlSafe removes only what XML 1.0 forbids', () => {
    expect(xmlSafe('a\u0000b\u0001c\u001bd\tE\nF\rG\uFFFEH\uFFFFI\uD800J')).toBe('abcd\tE\nF\rGHIJ');
    expect(xmlSafe('emoji \u{1F600} kept, \u0085 kept')).toBe('emoji \u{1F600} kept, \u0085 kept');
  });
});

describe('console reporter', () => {
  it('has no ANSI codes without color and some with color', () => {
    const plain = renderConsole(sampleReport(), { color: false });
    const colored = renderConsole(sampleReport(), { color: true });
    expect(plain).not.toContain('\u001b');
    expect(colored).toMatch(/\u001b\[\d+m/); // eslint-disable-line no-control-regex
  });

  it('prints a header, groups by step and closes with a summary', () => {
    const out = renderConsole(sampleReport(), { color: false });
    const lines = out.split('\n');
    expect(lines[0]).toBe('askedgi-doctor 0.1.0 (node v20.20.2)');
    expect(out).toContain('region us-east-1 · account 123456789012 · cluster acme-ovaledge');
    expect(out).toContain('endpoint oe-edgi.acme.local');
    const headings = lines.filter((l) => l.startsWith('Step '));
    expect(headings).toEqual([
      'Step 0 — Identity and region',
      'Step 1 — Network security',
      'Step 3 — S3 bucket',
      'Step 4 — IAM user',
      'Step 6 — Data task definition',
    ]);
    const step1 = out.slice(out.indexOf('Step 1 —'), out.indexOf('Step 3 —'));
    expect(step1).toMatch(/^ {2}FAIL {4}edgi-sg-inbound {10}Healthy state of edgi-sg-inbound$/m);
    expect(step1).toMatch(/^ {2}PASS {4}insight-subnets-private/m);
    expect(step1).toMatch(/^ {2}SKIP {4}rds-sg-allows-edgi/m);
    expect(out).toMatch(/^ {2}WAIVED {2}iam-plaintext-keys/m);
    expect(out).toMatch(/^ {2}ERROR {3}iam-user-key/m);
    expect(lines.at(-2)).toBe('Summary: 3 pass, 1 fail, 1 warn, 1 error, 1 skip, 1 waived in 2.35s · 8 AWS API calls');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('shows expected, found and fix under failures, and passing findings only when verbose', () => {
    const out = renderConsole(sampleReport(), { color: false });
    expect(out).toContain('Security group sg-0edgi has no inbound TCP 8000 rule from the VPC CIDR.');
    expect(out).toMatch(/expected: TCP 8000 from 10\.0\.0\.0\/16\n/);
    expect(out).toMatch(/found: {4}no rule\n/);
    expect(out).toContain('fix: Remediate edgi-sg-inbound as the runbook says.');
    expect(out).toContain('fix: Remediate iam-user-key');
    expect(out).toContain('Skipped because edgi-sg-inbound failed.');
    expect(out).not.toContain('fix: Remediate rds-sg-allows-edgi');
    expect(out).not.toContain('allows TCP 9200');
    expect(out).not.toContain('Subnets are private.');
    const verbose = renderConsole(sampleReport(), { color: false, verbose: true });
    expect(verbose).toContain('allows TCP 9200');
    expect(verbose).toContain('Subnets are private.');
    expect(verbose).toContain('DescribeSecurityGroups: 4');
  });

  it('handles a report without results', () => {
    const out = renderConsole(makeReport([]), { color: false });
    expect(out).toContain('No checks ran.');
    expect(out).toContain('Summary: 0 pass, 0 fail, 0 warn, 0 error, 0 skip, 0 waived');
  });

  it('never lets hostile control characters reach the terminal raw', () => {
    for (const color of [false, true]) {
      const out = renderConsole(hostileReport(), { color, verbose: true });
      // With color on, every ESC must start one of our own SGR sequences.
      const withoutOwnColors = out.replace(/\u001b\[\d+m/g, ''); // eslint-disable-line no-control-regex
      expect(withoutOwnColors).not.toMatch(RAW_CONTROL);
      expect(out).not.toMatch(/[\uD800-\uDFFF]/u);
      expect(out).toContain('\\x1b[31mRED');
      expect(out).toContain('\\x1b[2J');
      expect(out).not.toMatch(/^PASS {2}forged-line/m);
    }
  });

  it('sanitizeTerminal escapes controls visibly and keeps newlines and ordinary text', () => {
    expect(sanitizeTerminal('a\u001b[31mb')).toBe('a\\x1b[31mb');
    expect(sanitizeTerminal('x\u0000y\u0007z\rq\u007f\u009b')).toBe('x\\x00y\\x07z\\x0dq\\x7f\\x9b');
    expect(sanitizeTerminal('l1\nl2\tt')).toBe('l1\nl2 t');
    expect(sanitizeTerminal('abc\u202Edef')).toBe('abc\\u202Edef');
    expect(sanitizeTerminal('ünïcødé \u{1F600} <ok>')).toBe('ünïcødé \u{1F600} <ok>');
  });
});

describe('json reporter', () => {
  it('round-trips with schemaVersion first and summary counts', () => {
    const report = sampleReport();
    const out = renderJson(report);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toBe(`  "schemaVersion": ${REPORT_SCHEMA_VERSION},`);
    const parsed: unknown = JSON.parse(out);
    assertValidReport(parsed);
    expect(parsed).toEqual(report);
    expect(Object.keys(parsed as Record<string, unknown>)[0]).toBe('schemaVersion');
    expect((parsed as Report).summary).toEqual({ pass: 3, fail: 1, warn: 1, error: 1, skip: 1, waived: 1 });
  });

  it('round-trips hostile text exactly and emits no raw control characters', () => {
    const report = hostileReport();
    const out = renderJson(report);
    expect(JSON.parse(out)).toEqual(report);
    assertValidReport(JSON.parse(out));
    expect(out.slice(0, -1)).not.toMatch(RAW_CONTROL);
  });
});

describe('html reporter', () => {
  it('renders every check grouped by step, escapes hostile values, and loads nothing external', async () => {
    const { renderHtml } = await import('../../src/report/html.js');
    const base = sampleReport();
    const hostile = {
      ...base,
      results: base.results.map((r, i) =>
        i === 0 ? { ...r, findings: [{ status: 'fail' as const, message: '<script>alert(1)</script> "quoted" & \u0007bell', resource: "sg-1' onmouseover='x", expected: '<b>', found: ']]>' }] } : r,
      ),
    };
    const html = renderHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; \\x07bell');
    expect(html).toContain('sg-1&#39; onmouseover=&#39;x');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).toContain("default-src 'none'");
    for (const r of base.results) expect(html).toContain(`<code>${r.id}</code>`);
    expect(html.indexOf('Step 0')).toBeLessThan(html.indexOf('Step 1'));
  });
});
