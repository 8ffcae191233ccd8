// Markdown report, GitHub step summary and workflow-command annotations, and writeReports.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, summarize, worstStatus, type CheckResult, type Finding, type Report } from '../../src/model.js';
import { escapeData, escapeProperty, renderGithubAnnotations } from '../../src/report/github.js';
import { mdCode, mdText, renderMarkdown } from '../../src/report/markdown.js';
import { writeReports } from '../../src/report/write.js';
import { validateJunit } from '../support/junit-schema.js';
import { readReport } from '../support/report-schema.js';

const check = (id: string, step: number, findings: Finding[], over: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: `Healthy state of ${id}`,
  step,
  severity: 'high',
  status: worstStatus(findings),
  findings,
  remediation: `Fix ${id} as the runbook says.`,
  durationMs: 7,
  ...over,
});

const TRACEBACK = 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    boto3.client("ecs").create_service()\nAccessDeniedException: not authorized';

function sample(): Report {
  const results = [
    check('caller-identity', 0, [{ status: 'pass', message: 'Caller identity resolved.' }]),
    check('s3-bucket-cors', 3, [{ status: 'warn', message: 'Bucket b CORS allows origin *.', expected: 'https://tenant.example.com', found: '*' }]),
    check('edgi-sg-ingress-elasticsearch', 1, [
      { status: 'pass', message: 'Port 8000 open.' },
      { status: 'fail', message: 'Security group sg-1 has no inbound TCP 9200 rule from sg-es.', resource: 'sg-1 (edgi)', expected: 'TCP 9200 from sg-es', found: 'no rule' },
    ]),
    check('insight-log-errors', 10, [{ status: 'fail', message: 'Log group /ecs/x has 1 error.', resource: '/ecs/x', found: TRACEBACK }]),
    check('iam-user-policy', 4, [{ status: 'error', message: 'Access denied to iam:ListAttachedUserPolicies.' }]),
    check('rds-sg-allows-edgi', 1, [{ status: 'skip', message: 'Not run because edgi-sg-ingress-elasticsearch failed.' }]),
    check('browser-smoke', 10, [
      { status: 'fail', message: 'workspace ready: not ready (15.1 s).', attachments: [{ kind: 'screenshot', path: 'smoke/04-workspace-ready.png', caption: '04 workspace ready' }] },
    ]),
  ];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v20.20.2' },
    startedAt: '2026-12-01T08:00:00.000Z',
    target: { region: 'us-east-1', account: '123456789012', cluster: 'acme', endpoint: 'http://127.0.0.1:5000' },
    results,
    summary: summarize(results),
    stats: { apiCalls: { 'ec2:DescribeSecurityGroups': 3, 'ecs:DescribeTaskDefinition': 4 }, durationMs: 3210 },
  };
}

describe('markdown reporter', () => {
  const md = renderMarkdown(sample());

  it('starts with the run facts and a summary table of statuses', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## askedgi-doctor — acme in us-east-1');
    expect(lines[2]).toBe('account `123456789012` · region `us-east-1` · cluster `acme` · endpoint `http://127.0.0.1:5000` · started 2026-12-01T08:00:00.000Z · 3.21s · 7 AWS API calls · askedgi-doctor 0.1.0 · Node v20.20.2');
    expect(md).toContain('| status | checks |\n|---|---:|\n| ✅ pass | 1 |\n| ❌ fail | 3 |\n| ⚠️ warn | 1 |\n| ⛔ error | 1 |\n| ⏭️ skip | 1 |\n| 🔕 waived | 0 |');
  });

  it('lists the non-passing checks failures first, with expected/found and the fix, multi-line evidence fenced', () => {
    const attention = md.slice(md.indexOf('### Needs attention'));
    const order = [...attention.matchAll(/^#### \S+ (FAIL|ERROR|WARN) `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['FAIL edgi-sg-ingress-elasticsearch', 'FAIL insight-log-errors', 'FAIL browser-smoke', 'ERROR iam-user-policy', 'WARN s3-bucket-cors']);
    expect(attention).toContain('- **FAIL** Security group sg-1 has no inbound TCP 9200 rule from sg-es.\n    - resource: `sg-1 (edgi)`\n    - expected: TCP 9200 from sg-es\n    - found: no rule');
    expect(attention).toContain('**Fix:** Fix edgi-sg-ingress-elasticsearch as the runbook says.');
    expect(attention).toContain(`    - found:\n\n      \`\`\`text\n${TRACEBACK.split('\n').map((l) => `      ${l}`).join('\n')}\n      \`\`\``);
    expect(attention).toContain('    - screenshot: [04 workspace ready](smoke/04-workspace-ready.png)');
    expect(attention).not.toContain('Port 8000 open.');
  });

  it('collapses skipped and passing checks in <details>', () => {
    expect(md).toMatch(/<details><summary>Skipped and waived checks \(1\)<\/summary>\n\n\| status \| step \| check \| reason \|\n\|---\|---:\|---\|---\|\n\| ⏭️ skip \| 1 \| `rds-sg-allows-edgi` \| Not run because edgi-sg-ingress-elasticsearch failed\. \|\n\n<\/details>/);
    expect(md).toMatch(/<details><summary>Passing checks \(1\)<\/summary>\n\n\| step \| check \| healthy state \|\n\|---:\|---\|---\|\n\| 0 \| `caller-identity` \| Healthy state of caller-identity \|\n\n<\/details>\n$/);
  });

  it('keeps hostile values inert: no raw HTML, no links, no broken table cells, no forged lines', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](https://evil.example) **bold** | cell `tick` \u001b[31m\nsecond line';
    expect(mdText(hostile)).toBe('&lt;img src=x onerror=alert\\(1\\)&gt; \\[click\\]\\(https://evil.example\\) \\*\\*bold\\*\\* \\| cell \\`tick\\` \\\\u001b\\[31m second line');
    expect(mdCode('a`b|c')).toBe('``a`b|c``');
    expect(mdCode('a`b|c', true)).toBe('``a`b\\|c``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    const r = sample();
    const bad = renderMarkdown({ ...r, results: [check(`id${hostile}`, 1, [{ status: 'fail', message: hostile, resource: hostile, expected: '```\n# heading', found: '````' }], { title: hostile, remediation: hostile })] });
    // Raw text only inside code spans and fenced blocks, where Markdown renders it literally.
    const outsideCode = bad.replace(/^( *)(`{3,})text\n[\s\S]*?\n\1\2$/gm, '').replace(/(`+) ?[\s\S]*? ?\1/g, '');
    expect(outsideCode).not.toMatch(/<img/);
    expect(outsideCode).not.toMatch(/[^\\]\]\(https/);
    expect(bad).not.toContain('\u001b');
    expect(outsideCode).not.toMatch(/^# heading/m);
    // The expected block's own ``` cannot close the fence it sits in.
    expect(bad).toContain('      ````text\n      ```\n      # heading\n      ````');
  });

  it('says so when nothing needs attention or nothing ran', () => {
    const r = sample();
    const ok = [check('caller-identity', 0, [{ status: 'pass', message: 'ok.' }])];
    expect(renderMarkdown({ ...r, results: ok, summary: summarize(ok) })).toContain('Nothing failed, errored or warned.');
    expect(renderMarkdown({ ...r, results: [], summary: summarize([]) })).toContain('No checks ran.');
  });
});

describe('GitHub workflow commands', () => {
  it('escape data and properties as @actions/core does', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a: b, c%\n')).toBe('a%3A b%2C c%25%0A');
  });

  it('one ::error per failing or erroring check and one ::warning per warning check, titles only', () => {
    const out = renderGithubAnnotations(sample());
    expect(out.split('\n').filter(Boolean)).toEqual([
      '::warning title=askedgi-doctor s3-bucket-cors (step 3) warn::s3-bucket-cors: Healthy state of s3-bucket-cors',
      '::error title=askedgi-doctor edgi-sg-ingress-elasticsearch (step 1) fail::edgi-sg-ingress-elasticsearch: Healthy state of edgi-sg-ingress-elasticsearch',
      '::error title=askedgi-doctor insight-log-errors (step 10) fail::insight-log-errors: Healthy state of insight-log-errors',
      '::error title=askedgi-doctor iam-user-policy (step 4) error::iam-user-policy: Healthy state of iam-user-policy',
      '::error title=askedgi-doctor browser-smoke (step 10) fail::browser-smoke: Healthy state of browser-smoke',
    ]);
    // Findings (AWS values, log lines) never reach an annotation.
    expect(out).not.toContain('sg-1');
    expect(out).not.toContain('Traceback');
  });

  it('a plugin title cannot start a command of its own or break the title property', () => {
    const r = sample();
    const evil = check('x,y:z', 1, [{ status: 'fail', message: 'm' }], { title: 'ok\n::add-mask::x\r%' });
    const out = renderGithubAnnotations({ ...r, results: [evil] });
    expect(out).toBe('::error title=askedgi-doctor x%2Cy%3Az (step 1) fail::x,y:z: ok%0A::add-mask::x%0D%25\n');
  });
});

describe('writeReports', () => {
  it('writes each chosen format, appends the Markdown to GITHUB_STEP_SUMMARY and annotates under GITHUB_ACTIONS', () => {
    const out = mkdtempSync(join(tmpdir(), 'askedgi-write-'));
    const summary = join(out, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    let stdout = '';
    const { files, report } = writeReports(sample(), {
      formats: ['console', 'json', 'junit', 'html', 'markdown'],
      outDir: join(out, 'reports'),
      env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
      stdout: (s) => (stdout += s),
      hostname: 'ci',
    });
    expect(files).toEqual(['askedgi-doctor.json', 'junit.xml', 'askedgi-doctor.html', 'askedgi-doctor.md'].map((f) => join(out, 'reports', f)).concat(summary));
    expect(readReport(join(out, 'reports', 'askedgi-doctor.json'))).toEqual(JSON.parse(JSON.stringify(report)));
    validateJunit(join(out, 'reports', 'junit.xml'));
    const md = readFileSync(join(out, 'reports', 'askedgi-doctor.md'), 'utf8');
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${md}\n`);
    expect(stdout).toContain('Summary: 1 pass, 3 fail');
    expect(stdout).toMatch(/^::error title=askedgi-doctor edgi-sg-ingress-elasticsearch/m);
  });

  it('writes nothing to the step summary or annotations outside GitHub Actions, and only the formats asked for', () => {
    const out = mkdtempSync(join(tmpdir(), 'askedgi-write-'));
    let stdout = '';
    const { files } = writeReports(sample(), { formats: ['markdown'], outDir: out, env: {}, stdout: (s) => (stdout += s) });
    expect(files).toEqual([join(out, 'askedgi-doctor.md')]);
    expect(stdout).toBe('');
    expect(existsSync(join(out, 'askedgi-doctor.json'))).toBe(false);
  });

  it('makes attachment paths relative to the report directory and embeds the screenshots it finds there', () => {
    const out = mkdtempSync(join(tmpdir(), 'askedgi-write-'));
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const smokeDir = join(out, 'smoke');
    mkdirSync(smokeDir);
    writeFileSync(join(smokeDir, '01-login.png'), png);
    const r = sample();
    const withShots: Report = {
      ...r,
      results: [check('browser-smoke', 10, [
        { status: 'fail', message: 'login: rejected.', attachments: [{ kind: 'screenshot', path: join(smokeDir, '01-login.png'), caption: '01 login' }, { kind: 'screenshot', path: join(smokeDir, '02-gone.png'), caption: '02 gone' }] },
        { status: 'warn', message: 'trace written.', attachments: [{ kind: 'trace', path: join(smokeDir, 'trace-SENSITIVE.zip'), caption: 'trace' }] },
      ])],
    };
    const { report } = writeReports(withShots, { formats: ['json', 'html'], outDir: out, env: {} });
    expect(report.results[0]!.findings.flatMap((f) => f.attachments!.map((a) => a.path))).toEqual(['smoke/01-login.png', 'smoke/02-gone.png', 'smoke/trace-SENSITIVE.zip']);
    const html = readFileSync(join(out, 'askedgi-doctor.html'), 'utf8');
    expect(html).toContain(`<a href="smoke/01-login.png"><img src="data:image/png;base64,${png.toString('base64')}" alt="01 login"></a><figcaption>01 login</figcaption>`);
    expect(html).toContain('<p class="missing">screenshot not found: <code>smoke/02-gone.png</code></p>');
    expect(html).toContain('<a href="smoke/trace-SENSITIVE.zip">smoke/trace-SENSITIVE.zip</a>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`);
  });
});
