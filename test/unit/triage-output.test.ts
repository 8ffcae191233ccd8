// Triage output of `run` (issue 14 item 5) without a process: the "Needs attention" block, --quiet,
// --severity, -o - in writeReports, and the progress line (when it is drawn, what it says, and that
// the runner calls its hooks once per check).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { parseSeverities } from '../../src/commands/options.js';
import type { Progress } from '../../src/engine/check.js';
import { runChecks } from '../../src/engine/runner.js';
import { UsageError } from '../../src/errors.js';
import { FixtureInventory } from '../../src/inventory/fixture.js';
import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type Finding, type Report, type Severity, type Status } from '../../src/model.js';
import { gatingFindings } from '../../src/report/baseline.js';
import { renderConsole, renderNeedsAttention } from '../../src/report/console.js';
import { createProgressLine, progressWanted, renderProgressLine } from '../../src/report/progress.js';
import { filterBySeverity } from '../../src/report/severity-filter.js';
import { writeReports } from '../../src/report/write.js';
import { config, healthy } from '../support/fixture-deployment.js';
import { assertValidReport } from '../support/report-schema.js';

function result(id: string, step: number, status: Status, findings: Finding[], severity: Severity = 'high'): CheckResult {
  return { id, title: `Healthy state of ${id}`, step, severity, status, findings, remediation: `Fix ${id} as the runbook says.`, durationMs: 10 };
}

function makeReport(results: CheckResult[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v22.0.0' },
    startedAt: '2026-03-04T05:06:07.890Z',
    target: { region: 'us-east-1', account: '123456789012', cluster: 'acme' },
    results,
    summary: summarize(results),
    stats: { apiCalls: { 'sts:GetCallerIdentity': 1 }, durationMs: 1234 },
  };
}

/** Ninety passing checks with a warning, an error and two failures among them, in runbook order. */
function mixedReport(): Report {
  const results: CheckResult[] = [];
  for (let i = 0; i < 90; i++) results.push(result(`ok-${i}`, i % 11, 'pass', [{ status: 'pass', message: `Fine ${i}.` }]));
  results.splice(3, 0, result('early-warn', 0, 'warn', [{ status: 'warn', message: 'Rule broader than needed.' }], 'low'));
  results.splice(20, 0, result('mid-error', 2, 'error', [{ status: 'error', message: 'Access denied: ecs:DescribeServices.' }], 'medium'));
  results.splice(40, 0, result('late-fail', 5, 'fail', [
    { status: 'fail', message: 'Task role misses s3:PutObject.\nsecond line of detail' },
    { status: 'fail', message: 'Task role misses s3:GetObject.' },
    { status: 'pass', message: 'Trust is fine.' },
  ], 'critical'));
  results.splice(60, 0, result('other-fail', 8, 'fail', [{ status: 'fail', message: 'Queue missing.' }], 'critical'));
  results.push(result('skipped', 9, 'skip', [{ status: 'skip', message: 'Not run because late-fail failed.' }]));
  results.push(result('accepted', 9, 'waived', [{ status: 'waived', message: 'Accepted CORS *.' }]));
  return makeReport(results);
}

describe('Needs attention', () => {
  it('lists failures, then errors, then warnings, one line each with id, first message, how many more and the fix', () => {
    const lines = renderNeedsAttention(mixedReport(), { color: false });
    expect(lines[0]).toBe('Needs attention (4):');
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['FAIL late-fail', 'FAIL other-fail', 'ERROR mid-error', 'WARN early-warn']);
    expect(lines[1]).toMatch(/^ {2}FAIL {4}late-fail {3}Task role misses s3:PutObject\. \(\+1 more\) fix: Fix late-fail as the runbook says\.$/);
    expect(lines[1]).not.toContain('second line');
    expect(lines.join('\n')).not.toMatch(/skipped|accepted|ok-\d/);
  });

  it('comes after the per-step report and before the summary line; absent when everything passes', () => {
    const text = renderConsole(mixedReport(), { color: false });
    const at = text.indexOf('Needs attention (4):');
    expect(at).toBeGreaterThan(text.lastIndexOf('Step '));
    expect(at).toBeLessThan(text.indexOf('Summary:'));
    const clean = renderConsole(makeReport([result('a', 0, 'pass', [{ status: 'pass', message: 'ok.' }])]), { color: false });
    expect(clean).not.toContain('Needs attention');
  });

  it('cuts a long message and fix to one line of bounded length and keeps terminal controls inert', () => {
    const r = result('long', 1, 'fail', [{ status: 'fail', message: `\u001b[2J${'x'.repeat(500)}` }]);
    r.remediation = 'y'.repeat(500);
    const [, line] = renderNeedsAttention(makeReport([r]), { color: false });
    expect(line).not.toContain('\u001b');
    expect(line).toContain('\\x1b[2J');
    expect(line!.length).toBeLessThan(400);
    expect(line).toMatch(/x…\s+fix: y+…$/);
  });
});

describe('--quiet', () => {
  it('prints only the Needs attention block and the summary line', () => {
    const text = renderConsole(mixedReport(), { color: false, quiet: true });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Needs attention (4):');
    expect(lines).toHaveLength(4 + 1 + 1 + 1);
    expect(lines.at(-1)).toMatch(/^Summary: 90 pass, 2 fail, 1 warn, 1 error, 1 skip, 1 waived in 1\.23s · 1 AWS API call$/);
    expect(text).not.toMatch(/Step \d|askedgi-doctor 0\.1\.0|region us-east-1/);
  });

  it('with nothing to attend to it is the summary line alone', () => {
    const text = renderConsole(makeReport([result('a', 0, 'pass', [{ status: 'pass', message: 'ok.' }])]), { color: false, quiet: true });
    expect(text).toMatch(/^Summary: 1 pass, 0 fail, 0 warn, 0 error, 0 skip, 0 waived in [^\n]+\n$/);
  });
});

describe('--severity', () => {
  it('keeps only checks of the given severities, recounts the summary and records the filter; the report stays valid', () => {
    const filtered = filterBySeverity(mixedReport(), ['critical', 'medium']);
    expect(filtered.results.map((r) => r.id)).toEqual(['mid-error', 'late-fail', 'other-fail']);
    expect(filtered.summary).toEqual({ pass: 0, fail: 2, warn: 0, error: 1, skip: 0, waived: 0 });
    expect(filtered.filter).toEqual({ severity: ['critical', 'medium'], notReported: 93 });
    assertValidReport(JSON.parse(JSON.stringify(filtered)));
    expect(renderConsole(filtered, { color: false, quiet: true })).toContain('· severity critical, medium (93 checks of other severities not reported)');
  });

  it('only the kept checks gate the exit code', () => {
    const report = mixedReport();
    expect(gatingFindings(filterBySeverity(report, ['low']), ['warn', 'fail', 'error'], false).map((g) => g.check)).toEqual(['early-warn']);
    expect(gatingFindings(filterBySeverity(report, ['low']), ['fail', 'error'], false)).toEqual([]);
    expect(gatingFindings(filterBySeverity(report, ['critical']), ['fail', 'error'], false).map((g) => g.check)).toEqual(['late-fail', 'late-fail', 'other-fail']);
  });

  it('parses a comma-separated, case-insensitive, repeatable list and rejects unknown severities as a usage error', () => {
    expect(parseSeverities('Critical, high')).toEqual(['critical', 'high']);
    expect(parseSeverities('low', parseSeverities('high,low'))).toEqual(['high', 'low']);
    expect(() => parseSeverities('severe')).toThrow(UsageError);
    expect(() => parseSeverities('severe')).toThrow(/unknown severity severe; expected critical, high, medium, low/);
    expect(() => parseSeverities(' , ')).toThrow(/no severity given/);
  });
});

describe('-o - (writeReports toStdout)', () => {
  it('writes the one format to stdout, no file, and GitHub annotations to stderr', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'askedgi-triage-')), 'out');
    const out: string[] = [];
    const err: string[] = [];
    const written = writeReports(mixedReport(), { formats: ['json'], outDir: dir, toStdout: true, env: { GITHUB_ACTIONS: 'true' }, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) });
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!).summary.fail).toBe(2);
    expect(written.files).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(err.join('')).toMatch(/^::error title=askedgi-doctor late-fail/m);
  });
});

describe('progress line', () => {
  it('is drawn only on a terminal, never in CI, on a dumb terminal or with --quiet', () => {
    expect(progressWanted({ isTTY: true }, {})).toBe(true);
    expect(progressWanted({ isTTY: true }, { CI: 'false' })).toBe(true);
    expect(progressWanted({ isTTY: false }, {})).toBe(false);
    expect(progressWanted({}, {})).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: '1' })).toBe(false);
    expect(progressWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(progressWanted({ isTTY: true }, {}, true)).toBe(false);
  });

  it('says how many are done and which are running, the longest-running first with seconds and step', () => {
    expect(renderProgressLine(12, 61, [{ id: 'insight-task-env', startedAt: 1000 }], 1500)).toBe('[12/61] checking insight-task-env…');
    expect(renderProgressLine(60, 61, [], 0)).toBe('[60/61] checking…');
    const line = renderProgressLine(3, 61, [{ id: 'fast', startedAt: 9000 }, { id: 'browser-smoke', startedAt: 0, step: 'upload' }], 14_500);
    expect(line).toBe('[3/61] checking browser-smoke 14s (upload), fast 5s…');
  });

  it('never wraps: it fits the terminal width, naming how many more run', () => {
    const running = Array.from({ length: 12 }, (_, i) => ({ id: `check-number-${i}`, startedAt: i }));
    const line = renderProgressLine(1, 61, running, 100, 60);
    expect(line.length).toBeLessThanOrEqual(59);
    expect(line).toMatch(/^\[1\/61\] checking check-number-0, check-number-1 \+10 more…$/);
    expect(renderProgressLine(1, 61, [{ id: 'x'.repeat(200), startedAt: 0 }], 0, 40).length).toBeLessThanOrEqual(39);
  });

  it('rewrites one line in place and clears it at the end; a run that drew nothing clears nothing', () => {
    const writes: string[] = [];
    let now = 0;
    const line = createProgressLine(2, { isTTY: true, columns: 80, write: (t) => void writes.push(t) }, () => now);
    line.onStart!('a');
    line.onStep!('a', 'login');
    now = 3000;
    line.onDone!(result('a', 0, 'pass', []));
    line.finish();
    line.finish();
    expect(writes).toEqual(['\r\x1b[2K[0/2] checking a…', '\r\x1b[2K[0/2] checking a (login)…', '\r\x1b[2K[1/2] checking…', '\r\x1b[2K']);
    const none: string[] = [];
    createProgressLine(1, { isTTY: true, write: (t) => void none.push(t) }).finish();
    expect(none).toEqual([]);
  });

  it('the runner reports every check done exactly once, and a start before each done of a check that ran', async () => {
    const events: string[] = [];
    const progress: Progress = { onStart: (id) => void events.push(`start ${id}`), onDone: (r) => void events.push(`done ${r.id}`) };
    const results = await runChecks(CHECKS, new FixtureInventory(healthy()), config(), { outDir: 'reports', env: {}, smokeDisabled: 'test', progress });
    const done = events.filter((e) => e.startsWith('done ')).map((e) => e.slice(5));
    expect(done.sort()).toEqual(results.map((r) => r.id).sort());
    for (const id of events.filter((e) => e.startsWith('start ')).map((e) => e.slice(6))) {
      expect(events.indexOf(`start ${id}`)).toBeLessThan(events.indexOf(`done ${id}`));
    }
    expect(events.filter((e) => e.startsWith('start ')).length).toBeGreaterThan(CHECKS.length / 2);
  });
});
