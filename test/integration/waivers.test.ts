// Waivers end to end: the CLI against the sandbox with a fault, waived in the config. Every failing
// check waived → exit 0; the JSON report shows `waived` with the reason, JUnit a skipped testcase;
// an expired and a stale waiver are reported in the synthetic `waivers` result; list and explain
// show the active waivers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { cli } from '../support/cli.js';
import { validateJunit } from '../support/junit-schema.js';
import { readReport } from '../support/report-schema.js';
import { endpoint, freshSandbox } from '../support/live.js';

interface R { id: string; status: string; findings: Array<{ status: string; message: string }> }

const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('waivers through the CLI', () => {
  let dir: string;
  let out: string;
  let failing: string[];
  beforeAll(async () => {
    dir = await freshSandbox();
    out = mkdtempSync(join(tmpdir(), 'askedgi-waivers-'));
    await breakSandbox('edgi-sg-no-9200', { endpoint: endpoint(), outDir: dir });
    const first = await cli(['run', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', join(out, 'before'), '--format', 'json', '--no-smoke']);
    expect(first.code, first.stderr).toBe(1);
    const before = readReport(join(out, 'before', 'askedgi-doctor.json')) as { results: R[] };
    failing = before.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id);
    expect(failing).toContain('edgi-sg-ingress-elasticsearch');
  });

  it('every failing check waived: exit 0, waived in JSON and console with reason, approver and days left, skipped in JUnit; expired and stale reported', async () => {
    const cfg = parse(readFileSync(join(dir, 'askedgi-doctor.yaml'), 'utf8')) as Record<string, unknown>;
    cfg.waivers = [
      ...failing.map((check) => ({ check, reason: 'Port 9200 rule pending change CHG-7', approvedBy: 'J. Doe (SEC-42)', expires: isoDay(10) })),
      { check: 's3-bucket-cors', reason: 'old exception', approvedBy: 'A. Old', expires: '2020-01-31' },
      { check: 'iam-user-policy', resource: 'sg-does-not-exist', reason: 'nothing to waive', approvedBy: 'B. Stale', expires: isoDay(100) },
    ];
    const file = join(dir, 'waived.yaml');
    writeFileSync(file, stringify(cfg));
    const r = await cli(['run', '-c', file, '-o', join(out, 'after'), '--format', 'console,json,junit', '--no-smoke']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = readReport(join(out, 'after', 'askedgi-doctor.json')) as { results: R[]; summary: Record<string, number> };
    const es = report.results.find((x) => x.id === 'edgi-sg-ingress-elasticsearch')!;
    expect(es.status).toBe('waived');
    expect(es.findings.find((f) => f.status === 'waived')!.message).toMatch(/Waived: Port 9200 rule pending change CHG-7 \(approved by J\. Doe \(SEC-42\); expires \d{4}-\d{2}-\d{2}, 10 days left\)\.$/);
    expect(report.summary.fail).toBe(0);
    expect(r.stdout).toMatch(/WAIVED\s+edgi-sg-ingress-elasticsearch/);
    const synthetic = report.results.find((x) => x.id === 'waivers')!;
    expect(synthetic.status).toBe('warn');
    expect(synthetic.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^The waiver of s3-bucket-cors expired on 2020-01-31 \(\d+ days ago\) and waives nothing any more/),
      expect.stringMatching(/^The waiver of iam-user-policy \(resource sg-does-not-exist\) is stale/),
    ]);
    const junit = join(out, 'after', 'junit.xml');
    validateJunit(junit);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase name="edgi-sg-ingress-elasticsearch[^>]*>\s*<skipped type="waived" message="[^"]*Waived: Port 9200 rule pending change CHG-7/);
    // --fail-on warn: the expired and stale waivers are warnings that count; the waived findings still do not.
    const strict = await cli(['run', '-c', file, '-o', join(out, 'strict'), '--format', 'json', '--no-smoke', '--fail-on', 'warn']);
    expect(strict.code).toBe(1);

    const list = await cli(['list', '-c', file]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/edgi-sg-ingress-elasticsearch .*\n\s+waived until \d{4}-\d{2}-\d{2} \(10 days left\): Port 9200 rule pending change CHG-7 — approved by J\. Doe \(SEC-42\)\n/);
    // The expired waiver is not active: list shows none for s3-bucket-cors.
    expect(list.stdout).not.toContain('old exception');
    const explain = await cli(['explain', 'iam-user-policy', '-c', file]);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/active waivers \(1\):\n {2}waived for sg-does-not-exist until \d{4}-\d{2}-\d{2} \(100 days left\): nothing to waive — approved by B\. Stale\n/);
  });
});
