// The HTML report of a failing sandbox run, looked at in real Chromium (Debian's, through
// playwright-core): failures first and visible without scrolling, the smoke test's screenshots
// embedded and loading under the report's strict CSP, the trace linked beside the report.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { Report } from '../../src/model.js';
import { assembleReport } from '../../src/report/build.js';
import { HTML_CSP } from '../../src/report/html.js';
import { writeReports } from '../../src/report/write.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { findChromium, launch, type Browser } from '../../src/smoke/browser.js';
import { validateJunit } from '../support/junit-schema.js';
import { readReport } from '../support/report-schema.js';
import { endpoint, freshSandbox, runAll } from '../support/live.js';

describe('HTML report of a failing sandbox run, in Chromium', () => {
  let out: string;
  let report: Report;
  let browser: Browser;

  beforeAll(async () => {
    const dir = await freshSandbox();
    await breakSandbox('workspace-not-created', { endpoint: endpoint(), outDir: dir });
    out = mkdtempSync(join(tmpdir(), 'askedgi-html-'));
    const cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
    const startedAt = new Date();
    const t0 = performance.now();
    // Every check, the browser smoke test included: it writes its screenshots and trace below `out`.
    const { results, apiCalls } = await runAll(dir, CHECKS, out);
    const built = assembleReport({
      results,
      apiCalls,
      account: '123456789012',
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      target: { region: cfg.region!, cluster: cfg.cluster, endpoint: endpoint() },
    });
    report = writeReports(built, { formats: ['json', 'junit', 'html', 'markdown'], outDir: out, env: {} }).report;
    const chromium = findChromium('/usr/bin/chromium');
    expect(chromium.path, 'Debian chromium is not installed').toBeDefined();
    browser = await launch(chromium.path!);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the run really failed, with screenshots and a trace, and the JSON and JUnit written beside it are schema-valid', () => {
    expect(report.results.find((r) => r.id === 'browser-smoke')!.status).toBe('fail');
    expect(report.summary.fail).toBeGreaterThan(0);
    const shots = report.results.flatMap((r) => r.findings.flatMap((f) => f.attachments ?? [])).filter((a) => a.kind === 'screenshot');
    expect(shots.length).toBeGreaterThanOrEqual(3);
    // Relative to the report directory, so the folder can be archived as it is.
    for (const a of shots) {
      expect(a.path).toMatch(/^smoke\/\d\d-[a-z0-9-]+\.png$/);
      expect(existsSync(join(out, a.path))).toBe(true);
    }
    expect(readReport(join(out, 'askedgi-doctor.json'))).toEqual(JSON.parse(JSON.stringify(report)));
    validateJunit(join(out, 'junit.xml'));
  });

  it('shows the first failing check without scrolling, loads every screenshot, links the trace and breaks no CSP rule', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const failedRequests: string[] = [];
    page.on('requestfailed', (r) => failedRequests.push(r.url().slice(0, 80)));
    await page.goto(pathToFileURL(join(out, 'askedgi-doctor.html')).href);
    await page.waitForLoadState('load');

    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(HTML_CSP);
    expect(await page.locator('script').count()).toBe(0);

    // The summary lists failures first: the first row is a failing check, inside the first screen.
    const firstRow = page.locator('table.attention tbody tr').first();
    expect(await firstRow.getAttribute('class')).toBe('fail');
    const firstFailing = report.results.filter((r) => r.status === 'fail').sort((a, b) => a.step - b.step)[0]!;
    expect(await firstRow.locator('code').first().textContent()).toBe(firstFailing.id);
    expect(await page.evaluate('window.scrollY')).toBe(0);
    const box = (await firstRow.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    await expect(firstRow.isVisible()).resolves.toBe(true);

    // Every embedded screenshot decodes (a data: URI allowed by img-src data:).
    const images = page.locator('figure img');
    const expectedShots = report.results.flatMap((r) => r.findings.flatMap((f) => f.attachments ?? [])).filter((a) => a.kind === 'screenshot').length;
    expect(await images.count()).toBe(expectedShots);
    const widths = await images.evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
    expect(widths.every((w) => w > 0), `naturalWidth ${widths.join(',')}`).toBe(true);
    expect(await page.locator('figure img').first().getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('figcaption').first().textContent()).toMatch(/^01 login/);

    // The trace is a relative link to the file beside the report.
    const trace = page.locator('ul.files a');
    expect(await trace.getAttribute('href')).toBe('smoke/trace-SENSITIVE.zip');
    expect(existsSync(join(out, 'smoke', 'trace-SENSITIVE.zip'))).toBe(true);

    // Warnings are open (visible without clicking); multi-line evidence keeps its lines in <pre>.
    const warnChecks = page.locator('details.check.warn');
    for (let i = 0; i < (await warnChecks.count()); i += 1) expect(await warnChecks.nth(i).getAttribute('open')).not.toBeNull();
    expect(await page.locator('details.check.fail:not([open])').count()).toBe(0);
    const multiLine = report.results.flatMap((r) => r.findings).find((f) => f.found?.includes('\n') || f.message.includes('\n'));
    if (multiLine) expect(await page.locator('li.finding pre').count()).toBeGreaterThan(0);

    // The run's facts.
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    for (const fact of ['account123456789012', `region${report.target.region}`, `askedgi-doctor${report.tool.version}`, `Node${report.tool.node}`, 'AWS API calls']) {
      expect(facts).toContain(fact);
    }

    expect(violations).toEqual([]);
    expect(failedRequests).toEqual([]);
    const shot = join(out, 'report-first-screen.png');
    await page.screenshot({ path: shot });
    if (process.env.ASKEDGI_REPORT_SCREENSHOT) {
      copyFileSync(shot, process.env.ASKEDGI_REPORT_SCREENSHOT);
      await page.screenshot({ path: process.env.ASKEDGI_REPORT_SCREENSHOT.replace(/\.png$/, '-full.png'), fullPage: true });
    }
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });
});
