// The report options of `askedgi-doctor run` end to end, against the sandbox: -f markdown, the GitHub
// step summary and annotations, --baseline and --fail-on-new, and baselines that are not reports.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { cli } from '../support/cli.js';
import { validateJunit } from '../support/junit-schema.js';
import { endpoint, freshSandbox } from '../support/live.js';
import { readTypedReport } from '../support/report-schema.js';

const ONLY = 'caller-identity,edgi-sg-ingress-elasticsearch,edgi-sg-ingress-rds,rds-sg-allows-edgi,s3-bucket-cors';

describe('run: Markdown, GitHub Actions and baselines', () => {
  let dir: string;
  let cfg: string;
  let tmp: string;
  beforeAll(async () => {
    dir = await freshSandbox();
    cfg = join(dir, 'askedgi-doctor.yaml');
    tmp = mkdtempSync(join(tmpdir(), 'askedgi-report-cli-'));
  });

  it('-f markdown writes askedgi-doctor.md and GITHUB_STEP_SUMMARY gets the same text appended; a clean run annotates nothing', async () => {
    const out = join(tmp, 'clean');
    const summary = join(tmp, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await cli(['run', '-c', cfg, '-o', out, '-f', 'console,json,junit,markdown', '--no-smoke', '--no-db'], { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const md = readFileSync(join(out, 'askedgi-doctor.md'), 'utf8');
    expect(md).toMatch(/^## askedgi-doctor — \S+ in us-east-1\n/);
    expect(md).toContain('| ❌ fail | 0 |');
    expect(md).toMatch(/<details><summary>Passing checks \(\d+\)<\/summary>/);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);
    expect(r.stdout).not.toMatch(/^::(error|warning)/m);
    expect(r.stderr).toContain(summary);
    readTypedReport(join(out, 'askedgi-doctor.json'));
    validateJunit(join(out, 'junit.xml'));
    expect(existsSync(join(out, 'askedgi-doctor.html'))).toBe(false);
  });

  it('--baseline marks a new failure as new, --fail-on-new then passes on the same failure, annotations name the check', async () => {
    const before = join(tmp, 'before');
    expect((await cli(['run', '-c', cfg, '-o', before, '--only', ONLY, '-f', 'json'])).code).toBe(0);
    await breakSandbox('edgi-sg-no-9200', { endpoint: endpoint(), outDir: dir });

    const first = join(tmp, 'first');
    const r1 = await cli(['run', '-c', cfg, '-o', first, '--only', ONLY, '-f', 'console,json,markdown,html', '--baseline', join(before, 'askedgi-doctor.json'), '--fail-on-new'], { GITHUB_ACTIONS: 'true' });
    expect(r1.code, r1.stdout + r1.stderr).toBe(1);
    expect(r1.stdout).toMatch(/• \[new\] Security group sg-\w+ .*has no inbound TCP 9200 rule/);
    expect(r1.stdout).toMatch(/^Baseline: .*before\/askedgi-doctor\.json \(.+\): 1 new, 0 known, 0 fixed$/m);
    expect(r1.stdout).toMatch(/^::error title=askedgi-doctor edgi-sg-ingress-elasticsearch \(step 1\) fail::edgi-sg-ingress-elasticsearch: .+ \(new since the baseline\)$/m);
    const report = readTypedReport(join(first, 'askedgi-doctor.json'));
    expect(report.baseline).toMatchObject({ file: join(before, 'askedgi-doctor.json'), new: 1, known: 0, fixed: [] });
    const failing = report.results.find((x) => x.id === 'edgi-sg-ingress-elasticsearch')!;
    expect(failing.findings.filter((f) => f.status === 'fail').map((f) => f.baseline)).toEqual(['new']);
    expect(readFileSync(join(first, 'askedgi-doctor.md'), 'utf8')).toMatch(/- \*\*FAIL\*\* _\(new\)_ Security group/);
    expect(readFileSync(join(first, 'askedgi-doctor.html'), 'utf8')).toContain('<span class="tag new">1 new</span>');

    // The same failure again: known. --fail-on-new passes; without it the failure still gates.
    // The baseline is read before the run, so it may be the file this run overwrites.
    const second = join(tmp, 'second');
    const r2 = await cli(['run', '-c', cfg, '-o', first, '--only', ONLY, '-f', 'console,json', '--baseline', join(first, 'askedgi-doctor.json'), '--fail-on-new']);
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/• \[known\] Security group/);
    expect(readTypedReport(join(first, 'askedgi-doctor.json')).baseline).toMatchObject({ new: 0, known: 1 });
    const r3 = await cli(['run', '-c', cfg, '-o', second, '--only', ONLY, '-f', 'json', '--baseline', join(first, 'askedgi-doctor.json')]);
    expect(r3.code).toBe(1);

    // Fixed: the clean sandbox against the failing baseline lists it.
    await freshSandbox();
    const r4 = await cli(['run', '-c', cfg, '-o', join(tmp, 'fixed'), '--only', ONLY, '-f', 'console,json', '--baseline', join(first, 'askedgi-doctor.json')]);
    expect(r4.code).toBe(0);
    expect(r4.stdout).toMatch(/^ {2}fixed edgi-sg-ingress-elasticsearch: Security group .*9200/m);
    expect(readTypedReport(join(tmp, 'fixed', 'askedgi-doctor.json')).baseline!.fixed.map((f) => f.check)).toEqual(['edgi-sg-ingress-elasticsearch']);
  });

  it('a baseline that is missing or not a doctor JSON report is one line on stderr and exit 2, before anything runs', async () => {
    const out = join(tmp, 'bad');
    const missing = join(tmp, 'nope.json');
    const m = await cli(['run', '-c', cfg, '-o', out, '--baseline', missing]);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe(`askedgi-doctor: --baseline ${missing}: no such file\n`);
    expect(m.stdout).toBe('');
    const junit = join(tmp, 'clean', 'junit.xml');
    const j = await cli(['run', '-c', cfg, '-o', out, '--baseline', junit]);
    expect(j.code).toBe(2);
    expect(j.stderr).toBe(`askedgi-doctor: --baseline ${junit}: not an askedgi-doctor JSON report (not JSON)\n`);
    const other = join(tmp, 'other.json');
    writeFileSync(other, JSON.stringify({ schemaVersion: 1, steps: [] }));
    const o = await cli(['run', '-c', cfg, '-o', out, '--baseline', other]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^askedgi-doctor: --baseline .*other\.json: not an askedgi-doctor JSON report \(tool: .+\)\n$/);
    const n = await cli(['run', '-c', cfg, '-o', out, '--fail-on-new']);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe('askedgi-doctor: --fail-on-new needs --baseline <previous askedgi-doctor.json>\n');
    expect(existsSync(out)).toBe(false);
  });
});
