// Triage output of `askedgi-doctor run` end to end against the sandbox (issue 14 item 5): the live
// progress line appears on a terminal (a real pty through `script -qec`) and never without one or in
// CI; -q prints only the Needs attention block and the summary; --severity filters what is reported
// and what gates the exit code; -f json -o - puts exactly the JSON report on stdout.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { cli, cliOnTerminal as onTerminal } from '../support/cli.js';
import { endpoint, freshSandbox } from '../support/live.js';
import { assertValidReport } from '../support/report-schema.js';

const root = resolve(import.meta.dirname, '../..');
const ONLY = 'caller-identity,edgi-sg-ingress-elasticsearch,edgi-sg-ingress-rds,rds-sg-allows-edgi,s3-bucket-cors';
/** The start of a redraw of the progress line: carriage return, erase line, "[done/total]". */
// eslint-disable-next-line no-control-regex -- the escape sequence is what is asserted
const PROGRESS = /\r\x1b\[2K\[\d+\/5\] checking/;

describe('run: triage output', () => {
  let cfg: string;
  let tmp: string;
  beforeAll(async () => {
    const dir = await freshSandbox();
    cfg = join(dir, 'askedgi-doctor.yaml');
    tmp = mkdtempSync(join(tmpdir(), 'askedgi-triage-'));
    // Two critical checks fail (no TCP 9200 from Elasticsearch, no 3306 into RDS); s3-bucket-cors (high) warns (CORS *).
    for (const fault of ['edgi-sg-no-9200', 'rds-sg-no-edgi', 's3-cors-any-origin']) await breakSandbox(fault, { endpoint: endpoint(), outDir: dir });
  });

  it('on a terminal the progress line is drawn in place and cleared before the report', async () => {
    const r = await onTerminal(['run', '-c', cfg, '-o', join(tmp, 'tty'), '--only', ONLY, '-f', 'console'], { CI: undefined, GITHUB_ACTIONS: undefined });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(PROGRESS);
    expect(r.stdout).toMatch(/\[5\/5\] checking…/);
    // The last thing of the progress line is its erasure, and the report follows it.
    const lastClear = r.stdout.lastIndexOf('\r\x1b[2K');
    expect(r.stdout.slice(lastClear + 5)).not.toMatch(/checking/);
    expect(r.stdout.slice(lastClear)).toMatch(/Step 1 — /);
    expect(r.stdout).toMatch(/Needs attention \(3\):/);
  });

  it('on a terminal in CI (CI=true) there is no progress line', async () => {
    const r = await onTerminal(['run', '-c', cfg, '-o', join(tmp, 'tty-ci'), '--only', ONLY, '-f', 'console'], { CI: 'true' });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/Summary: /);
    expect(r.stdout).not.toMatch(/checking/);
    expect(r.stdout).not.toContain('\x1b[2K');
  });

  it('without a terminal (a pipe) there is no progress line, CI or not; the Needs attention block lists the failures', async () => {
    for (const CI of [undefined, 'true']) {
      const r = await cli(['run', '-c', cfg, '-o', join(tmp, `pipe-${CI ?? 'local'}`), '--only', ONLY, '-f', 'console'], { CI });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr + r.stdout).not.toMatch(/checking/);
      expect(r.stderr + r.stdout).not.toContain('\x1b');
      const attention = r.stdout.slice(r.stdout.indexOf('Needs attention'));
      expect(attention).toMatch(/^Needs attention \(3\):\n {2}FAIL {4}edgi-sg-ingress-elasticsearch +Security group .+ fix: .+\n {2}FAIL {4}rds-sg-allows-edgi +.+ fix: .+\n {2}WARN {4}s3-bucket-cors +.+ fix: .+\n\nSummary: /);
    }
  });

  it('-q prints only the Needs attention block and the summary line', async () => {
    const out = join(tmp, 'quiet');
    const r = await cli(['run', '-c', cfg, '-o', out, '--only', ONLY, '-q', '-f', 'console,json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Needs attention (3):');
    expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['FAIL edgi-sg-ingress-elasticsearch', 'FAIL rds-sg-allows-edgi', 'WARN s3-bucket-cors']);
    expect(lines.slice(1, 4).every((l) => / fix: \S/.test(l))).toBe(true);
    expect(lines.slice(4)).toEqual(['', expect.stringMatching(/^Summary: 2 pass, 2 fail, 1 warn, 0 error, 0 skip, 0 waived in .+ AWS API calls?$/)]);
    expect(r.stderr).not.toMatch(/Reports written|checking/);
    assertValidReport(JSON.parse(readFileSync(join(out, 'askedgi-doctor.json'), 'utf8')));
  });

  it('--severity reports and gates on the given severities only; all checks still run; the JSON report records the filter', async () => {
    const high = join(tmp, 'high');
    const r1 = await cli(['run', '-c', cfg, '-o', high, '--only', ONLY, '--severity', 'high,low', '-f', 'console,json']);
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    expect(r1.stdout).not.toMatch(/edgi-sg-ingress-elasticsearch|rds-sg-allows-edgi|caller-identity/);
    expect(r1.stdout).toMatch(/Needs attention \(1\):\n {2}WARN {4}s3-bucket-cors /);
    expect(r1.stdout).toMatch(/Summary: 0 pass, 0 fail, 1 warn, .+ · severity high, low \(4 checks of other severities not reported\)/);
    const report = JSON.parse(readFileSync(join(high, 'askedgi-doctor.json'), 'utf8'));
    assertValidReport(report);
    expect(report.filter).toEqual({ severity: ['high', 'low'], notReported: 4 });
    expect(report.results.map((r: { id: string }) => r.id)).toEqual(['s3-bucket-cors']);
    // The security-group checks left out of the report still ran: their reads are counted.
    expect(report.stats.apiCalls['ec2:DescribeSecurityGroups']).toBeGreaterThan(0);

    const warnGates = await cli(['run', '-c', cfg, '-o', join(tmp, 'high-warn'), '--only', ONLY, '--severity', 'high', '--fail-on', 'warn', '-q', '-f', 'console']);
    expect(warnGates.code).toBe(1);

    const critical = await cli(['run', '-c', cfg, '-o', join(tmp, 'critical'), '--only', ONLY, '--severity', 'critical', '-q', '-f', 'console']);
    expect(critical.code).toBe(1);
    expect(critical.stdout).toMatch(/^Needs attention \(2\):\n.+FAIL.+\n.+FAIL.+\n\nSummary: 2 pass, 2 fail, 0 warn/);

    const bad = await cli(['run', '-c', cfg, '--severity', 'urgent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--severity: unknown severity urgent/);
  });

  it('-f json -o - writes exactly the JSON report to stdout and no file', async () => {
    const r = await cli(['run', '-c', cfg, '-o', '-', '-f', 'json', '--only', ONLY, '--severity', 'critical']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.startsWith('{')).toBe(true);
    const report = JSON.parse(r.stdout);
    assertValidReport(report);
    expect(report.summary.fail).toBe(2);
    expect(report.filter).toEqual({ severity: ['critical'], notReported: 1 });
    // stderr has no report of its own either (only what Node itself may warn about).
    expect(r.stderr).not.toMatch(/Reports written|Summary|checking/);
    expect(existsSync(join(root, '-'))).toBe(false);

    const md = await cli(['run', '-c', cfg, '-o', '-', '-f', 'markdown', '--only', ONLY]);
    expect(md.stdout).toMatch(/^## askedgi-doctor — /);
  });

  it('-o - with more than one format (or the default four) is a usage error: exit 2, one line, nothing run', async () => {
    for (const args of [['-f', 'json,junit'], []]) {
      const r = await cli(['run', '-c', cfg, '-o', '-', ...args, '--only', ONLY]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/-o - writes exactly one format to stdout; got .+: choose one with -f/);
    }
  });
});
