// The HTML report's structure, fast (the Chromium test in test/integration/report-html.test.ts
// looks at it for real): failures first, warnings open, evidence in <pre>, run facts, attachments.
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, summarize, worstStatus, type CheckResult, type Finding, type Report } from '../../src/model.js';
import { HTML_CSP, renderHtml } from '../../src/report/html.js';

const check = (id: string, step: number, findings: Finding[]): CheckResult => ({
  id,
  title: `Healthy ${id}`,
  step,
  severity: 'high',
  status: worstStatus(findings),
  findings,
  remediation: `Fix ${id}.`,
  durationMs: 3,
});

const LOG = '2026-12-01 08:18:30 ERROR [edgi.workspace] creation failed\nTraceback (most recent call last):\n  File "svc.py", line 9\nAccessDeniedException: <not authorized>';

function sample(): Report {
  const results = [
    check('caller-identity', 0, [{ status: 'pass', message: 'Caller resolved.' }]),
    check('s3-bucket-cors', 3, [{ status: 'warn', message: 'CORS allows origin *.' }]),
    check('iam-user-policy', 4, [{ status: 'error', message: 'Access denied to iam:ListAttachedUserPolicies.' }]),
    check('insight-log-errors', 10, [{ status: 'fail', message: 'Log group /ecs/x has 1 error.', found: LOG }]),
    check('edgi-sg-ingress-rds', 1, [{ status: 'fail', message: 'No TCP 3306 rule.', resource: 'sg-1' }, { status: 'fail', message: 'Second problem.' }]),
    check('rds-sg-allows-edgi', 1, [{ status: 'skip', message: 'Not run because edgi-sg-ingress-rds failed.' }]),
  ];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '9.9.9', node: 'v20.20.2' },
    startedAt: '2026-12-01T08:00:00.000Z',
    target: { region: 'eu-west-1', account: '210987654321', cluster: 'acme', endpoint: 'http://127.0.0.1:5000' },
    results,
    summary: summarize(results),
    stats: { apiCalls: { 'ec2:DescribeSecurityGroups': 3, 'iam:GetUser': 2 }, durationMs: 2500 },
  };
}

describe('html reporter layout', () => {
  const html = renderHtml(sample());
  const attention = html.slice(html.indexOf('<section class="needs-attention">'), html.indexOf('</section>', html.indexOf('<section class="needs-attention">')));

  it('puts Needs attention before the facts and the steps, failures first, then errors, then warnings', () => {
    expect(html.indexOf('needs-attention')).toBeLessThan(html.indexOf('facts-section'));
    expect(html.indexOf('facts-section')).toBeLessThan(html.indexOf('Step 0 — '));
    const rows = [...attention.matchAll(/<tr class="(\w+)"><td>.*?<\/td><td><a href="#check-(\d+)"><code>([^<]+)<\/code>/g)].map((m) => `${m[1]} ${m[3]} #${m[2]}`);
    expect(rows).toEqual(['fail edgi-sg-ingress-rds #4', 'fail insight-log-errors #3', 'error iam-user-policy #2', 'warn s3-bucket-cors #1']);
    // One line per check: the first cause and how many more, and the fix.
    expect(attention).toContain('<td>No TCP 3306 rule. (+1 more)</td><td>Fix edgi-sg-ingress-rds.</td>');
    expect(attention).toContain('<td>Log group /ecs/x has 1 error.</td>');
    expect(html).toContain('<details class="check fail" id="check-4" open>');
    expect(attention).not.toContain('caller-identity');
  });

  it('opens failing, erroring and warning checks, and leaves passing and skipped ones closed', () => {
    expect(html).toMatch(/<details class="check warn" id="check-1" open>/);
    expect(html).toMatch(/<details class="check error" id="check-2" open>/);
    expect(html).toMatch(/<details class="check pass" id="check-0">/);
    expect(html).toMatch(/<details class="check skip" id="check-5">/);
  });

  it('keeps multi-line evidence in <pre>, escaped', () => {
    expect(html).toContain(`<dt>found</dt><dd><pre>${LOG.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</pre></dd>`);
  });

  it('shows the run facts and the verdict', () => {
    const facts = html.slice(html.indexOf('<dl class="facts">'), html.indexOf('</dl>', html.indexOf('<dl class="facts">')));
    for (const [k, v] of [['account', '210987654321'], ['region', 'eu-west-1'], ['cluster', 'acme'], ['endpoint', '<code>http://127.0.0.1:5000</code>'], ['duration', '2.50s'], ['AWS API calls', '5'], ['askedgi-doctor', '9.9.9'], ['Node', 'v20.20.2']]) {
      expect(facts).toContain(`<dt>${k}</dt><dd>${v}</dd>`);
    }
    expect(html).toContain('<div class="verdict bad"><strong>2 failed, 1 could not be verified, 1 with warnings of 6 checks</strong></div>');
  });

  it('has the strict CSP and nothing that loads or runs', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
    expect(HTML_CSP).toMatch(/^default-src 'none';/);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\son\w+=/i);
  });

  it('embeds only screenshots it was given, and links relative paths percent-encoded', () => {
    const r = sample();
    const shot = { kind: 'screenshot' as const, path: 'smoke/01 "login".png', caption: '01 <login>' };
    const trace = { kind: 'trace' as const, path: 'smoke/trace-SENSITIVE.zip', caption: 'trace' };
    const withShots = { ...r, results: [check('browser-smoke', 10, [{ status: 'fail', message: 'login failed.', attachments: [shot, trace] }])] };
    const page = renderHtml(withShots, { images: { [shot.path]: 'data:image/png;base64,AAAA' } });
    expect(page).toContain('<a href="smoke/01%20%22login%22.png"><img src="data:image/png;base64,AAAA" alt="01 &lt;login&gt;"></a><figcaption>01 &lt;login&gt;</figcaption>');
    expect(page).toContain('<a href="smoke/trace-SENSITIVE.zip">');
    expect(renderHtml(withShots)).toContain('screenshot not found: <code>smoke/01 &quot;login&quot;.png</code>');
  });
});
