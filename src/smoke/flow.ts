// Runbook step 10 in a real browser: log in as admin, open AskEdgi, wait for the workspace, upload a
// file, see it listed and in the bucket, and see Settings → AI with the OpenAI key and marketplace.
import { chmod, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Config } from '../config/schema.js';
import { redactText } from '../inventory/redact.js';
import { InventoryError, type ObjectInfo } from '../inventory/types.js';
import type { Attachment, Finding, Status } from '../model.js';
import { findChromium, launch } from './browser.js';

type SmokeConfig = NonNullable<Config['smoke']>;

export interface SmokeInput {
  smoke: SmokeConfig;
  username: string;
  password: string;
  /** Where screenshots (and a trace, on failure only) are written, e.g. reports/smoke. */
  outDir: string;
  /**
   * Where the upload must land: the exact key, and a fresh read of the object there (undefined when
   * there is none). Read before and after the upload: only a changed object counts.
   */
  uploadedObject?: { key: string; read: () => Promise<ObjectInfo | undefined> };
  /** Why nothing is uploaded (--no-upload, smoke.upload: false); undefined when the upload runs. */
  noUpload?: string;
  /** Told as each step starts (the live progress line). */
  onStep?: (step: string) => void;
}

/**
 * The one file the smoke test writes to the tenant: always this name, so each run replaces the
 * previous run's file (the app stores it under the user's prefix, S3 PutObject overwrites) instead
 * of adding one per run.
 */
export const SMOKE_FILE_NAME = 'askedgi-doctor-smoke.csv';

/** Files an earlier run left in the smoke directory: its screenshots and its trace. */
const EARLIER_OUTPUT = /^(\d{2}-[a-z0-9-]+\.png|trace-SENSITIVE\.zip)$/;

async function removeEarlierOutput(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (EARLIER_OUTPUT.test(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** Stops tracing into `path` readable by the owner only (it holds session cookies): umask 077 while it is written, then 0600. */
async function writeTracePrivately(stop: (path: string) => Promise<void>, path: string): Promise<void> {
  const before = process.umask(0o077);
  try {
    await stop(path);
  } finally {
    process.umask(before);
  }
  await chmod(path, 0o600);
}

export const SMOKE_STEPS = ['login', 'open AskEdgi', 'workspace ready', 'upload', 'file listed', 'object in bucket', 'OpenAI key', 'marketplace'] as const;
type StepName = (typeof SMOKE_STEPS)[number];

/** The finding kind of a step: its name in kebab-case ('OpenAI key' → 'openai-key'); diagnose keys on it. */
export const stepCode = (step: string): string => step.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Every kind the smoke test reports: one per step, the trace of a failed run, and no browser. */
export const SMOKE_CODES = [...SMOKE_STEPS.map(stepCode), 'trace-written', 'no-chromium'] as const;

class StepFailure extends Error {
  constructor(
    readonly status: Status,
    message: string,
    readonly expected?: string,
    readonly found?: string,
    /** A step that does not apply (an edition without uploads) lets the later steps run. */
    readonly notApplicable = false,
  ) {
    super(message);
  }
}

const notApplicable = (message: string) => new StepFailure('skip', message, undefined, undefined, true);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The same object: neither its ETag nor its last-modified time changed (either alone would do for a rewrite). */
const sameObject = (a: ObjectInfo, b: ObjectInfo) => a.etag === b.etag && a.lastModified === b.lastModified;

const describeObject = (o: ObjectInfo) => [o.etag && `ETag ${o.etag}`, o.lastModified && `last modified ${o.lastModified}`].filter(Boolean).join(', ') || 'no ETag or time listed';

/** The bucket could not be read: `error` naming the action (not a failed upload). */
function unreadable(err: unknown, key: string, when: string): StepFailure {
  const detail = err instanceof InventoryError ? err.message : err instanceof Error ? err.message : String(err);
  return new StepFailure('error', `the object at ${key} could not be read ${when}: ${detail}`);
}

function selector(page: Page, custom: string | undefined, fallback: (p: Page) => Locator): Locator {
  return custom ? page.locator(custom) : fallback(page);
}

export async function runSmoke(input: SmokeInput): Promise<Finding[]> {
  const { smoke } = input;
  const base = smoke.baseUrl.replace(/\/+$/, '');
  const scrub = (s: string) => redactText(input.password ? s.split(input.password).join('<redacted>') : s);
  const findings: Finding[] = [];
  const chromium = findChromium(smoke.chromiumPath);
  if (!chromium.path) {
    return [{ status: 'error', code: 'no-chromium', message: `No Chromium found (tried ${chromium.tried.join(', ')}); install Debian's chromium or set smoke.chromiumPath or CHROMIUM_PATH.`, expected: 'a Chromium executable', found: 'none' }];
  }
  await mkdir(input.outDir, { recursive: true, mode: 0o700 });
  // Screenshots of an earlier run must not pass for this run's (a step that takes none would leave an old one).
  await removeEarlierOutput(input.outDir);
  const browser = await launch(chromium.path);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(Math.min(smoke.timeoutMs, 30_000));
  const sel = smoke.selectors;
  let shot = 0;
  const passwordFields = () => [page.locator('input[type="password"]')];
  // Every screenshot taken, attached to the finding of the step it belongs to (reports embed them).
  const shots: Attachment[] = [];
  const screenshot = async (step: StepName, caption: string = step) => {
    shot += 1;
    // File names carry the step only; password fields are masked in every picture.
    const file = join(input.outDir, `${String(shot).padStart(2, '0')}-${step.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    const taken = await page.screenshot({ path: file, fullPage: true, mask: passwordFields() }).then(() => true, () => false);
    if (taken) shots.push({ kind: 'screenshot', path: file, caption: `${String(shot).padStart(2, '0')} ${caption}` });
  };
  let stopAll: Finding | undefined;
  const step = async (name: StepName, fn: () => Promise<string>): Promise<void> => {
    if (stopAll) {
      findings.push({ status: 'skip', code: stepCode(name), message: `${name}: ${stopAll.message}` });
      return;
    }
    input.onStep?.(name);
    const t0 = performance.now();
    const firstShot = shots.length;
    try {
      const message = await fn();
      findings.push({ status: 'pass', code: stepCode(name), message: `${name}: ${scrub(message)} (${seconds(performance.now() - t0)}).` });
    } catch (err) {
      const f = err instanceof StepFailure ? err : new StepFailure('fail', err instanceof Error ? err.message.split('\n')[0]! : String(err));
      const finding: Finding = { status: f.status, code: stepCode(name), message: `${name}: ${scrub(f.message)} (${seconds(performance.now() - t0)}).` };
      if (f.expected !== undefined) finding.expected = scrub(f.expected);
      if (f.found !== undefined) finding.found = scrub(f.found);
      findings.push(finding);
      // Later steps depend on this one: they are reported as skipped with the reason.
      if (!f.notApplicable) stopAll = { status: 'skip', code: stepCode(name), message: f.status === 'skip' ? f.message : `not run because "${name}" did not pass` };
    } finally {
      await screenshot(name, `${name}: after the step`);
      const last = findings[findings.length - 1];
      if (last && shots.length > firstShot) last.attachments = shots.slice(firstShot);
    }
  };

  let traced = false;
  let failed = false;
  try {
    await step('login', async () => {
      await page.goto(`${base}/login`, { timeout: smoke.timeoutMs });
      const landed = new URL(page.url());
      if (landed.host !== new URL(base).host) {
        throw new StepFailure('skip', `the login page redirects to ${landed.host} (single sign-on); the smoke test needs the OvalEdge login form`);
      }
      await selector(page, sel.username, (p) => p.getByLabel(/user ?id|user ?name|e-?mail/i)).fill(input.username);
      await selector(page, sel.password, (p) => p.getByLabel(/password/i)).fill(input.password);
      await screenshot('login', 'login: the form filled in (password masked)');
      await selector(page, sel.submit, (p) => p.getByRole('button', { name: /sign in|log ?in/i })).click();
      await page.waitForURL((u) => !u.pathname.endsWith('/login'), { timeout: smoke.timeoutMs }).catch(() => undefined);
      const alert = page.getByRole('alert');
      if (new URL(page.url()).pathname.endsWith('/login') || (await alert.count()) > 0) {
        const text = (await alert.first().textContent().catch(() => null))?.trim() || 'still on the login page';
        throw new StepFailure('fail', `login as ${input.username} was rejected`, 'the OvalEdge home page', text);
      }
      return `logged in as ${input.username} in Chromium ${browser.version} (${chromium.path}, playwright-core)`;
    });
    if (!stopAll) {
      // Tracing starts after the login so the trace holds no typed credentials.
      await browser.context.tracing.start({ screenshots: true, snapshots: true });
      traced = true;
    }
    await step('open AskEdgi', async () => {
      await selector(page, sel.askedgi, (p) => p.getByRole('link', { name: /askedgi/i })).first().click();
      await page.getByRole('heading', { name: /askedgi/i }).first().waitFor();
      return 'the AskEdgi module opened';
    });
    await step('workspace ready', async () => {
      const status = selector(page, sel.workspaceReady, (p) => p.getByRole('status'));
      try {
        await status.filter({ hasText: /workspace ready/i }).first().waitFor({ timeout: smoke.timeoutMs });
      } catch {
        const text = (await status.first().textContent().catch(() => null))?.trim() || 'no workspace status shown';
        throw new StepFailure('fail', `the workspace did not become ready within ${seconds(smoke.timeoutMs)}`, 'Workspace ready', text);
      }
      return ((await status.first().textContent()) ?? 'workspace ready').trim();
    });
    const fileName = SMOKE_FILE_NAME;
    const noUpload = smoke.edition !== 'data-analytics' ? `the ${smoke.edition} edition does not allow uploads` : input.noUpload;
    // The object at the upload's key before the upload (a previous run's file, or none): the upload
    // counts only when the object afterwards differs from it.
    let before: Promise<{ info?: ObjectInfo } | { error: unknown }> | undefined;
    await step('upload', async () => {
      if (noUpload) throw notApplicable(noUpload);
      before = input.uploadedObject?.read().then((info) => ({ info }), (error: unknown) => ({ error }));
      await before;
      const dir = await mkdtemp(join(tmpdir(), 'askedgi-smoke-'));
      const file = join(dir, fileName);
      await writeFile(file, `id,name,value\n1,alpha,10\n2,beta,20\n3,gamma,30\n# written by askedgi-doctor at ${new Date().toISOString()}; replaced by its next run\n`);
      try {
        await selector(page, sel.filesButton, (p) => p.getByRole('button', { name: /^files$/i })).click();
        await selector(page, sel.fileInput, (p) => p.getByLabel(/browse to upload/i)).setInputFiles(file);
        const listed = selector(page, sel.fileList, (p) => p.getByRole('list', { name: /workspace data/i })).getByText(fileName);
        const alert = page.getByRole('alert').filter({ hasText: /upload/i });
        await Promise.race([listed.waitFor({ timeout: smoke.timeoutMs }), alert.waitFor({ timeout: smoke.timeoutMs })]);
        if ((await alert.count()) > 0) throw new StepFailure('fail', `uploading ${fileName} failed`, 'the file accepted', ((await alert.first().textContent()) ?? '').trim());
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return `uploaded ${fileName} (replacing an earlier run's copy, if any)`;
    });
    await step('file listed', async () => {
      if (noUpload) throw notApplicable(noUpload);
      await selector(page, sel.fileList, (p) => p.getByRole('list', { name: /workspace data/i })).getByText(fileName).waitFor();
      return `${fileName} appears in the workspace data list`;
    });
    await step('object in bucket', async () => {
      if (noUpload) throw notApplicable(noUpload);
      if (!input.uploadedObject || !before) throw new StepFailure('error', 'the bucket could not be read (no BUCKET_NAME on the Data task definition)');
      const { key } = input.uploadedObject;
      const earlier = await before;
      if ('error' in earlier) throw unreadable(earlier.error, key, 'before the upload');
      const now = await input.uploadedObject.read().catch((err: unknown) => {
        throw unreadable(err, key, 'after the upload');
      });
      if (!now) throw new StepFailure('fail', `${fileName} is listed but not in the bucket at ${key}`, `an object at ${key}`, 'none');
      if (earlier.info && sameObject(earlier.info, now)) {
        throw new StepFailure('fail', `the object at ${key} is unchanged since before the upload (a previous run's file): this upload did not reach the bucket`, 'a new ETag or last-modified time after the upload', describeObject(now));
      }
      return `the object ${key} is in the bucket, written by this upload (${describeObject(now)}${earlier.info ? `; before: ${describeObject(earlier.info)}` : '; none before'})`;
    });
    await step('OpenAI key', async () => {
      await page.goto(`${base}/home`);
      await selector(page, sel.settingsAi, (p) => p.getByRole('link', { name: /settings/i })).first().click();
      await page.getByRole('link', { name: /^ai$/i }).first().click();
      const state = selector(page, sel.openAiKeyState, (p) => p.getByText(/api key:/i)).first();
      const text = ((await state.textContent()) ?? '').trim();
      if (!/configured/i.test(text) || /not configured/i.test(text)) {
        throw new StepFailure('fail', 'Settings → AI → OpenAI has no API key configured', 'API key: Configured', text);
      }
      return 'Settings → AI shows the OpenAI API key configured';
    });
    await step('marketplace', async () => {
      const section = selector(page, sel.marketplace, (p) => p.getByRole('region', { name: /marketplace/i }));
      if ((await section.count()) === 0) throw new StepFailure('fail', 'Settings → AI shows no marketplace details', 'a Marketplace section', 'none');
      return 'Settings → AI shows the marketplace details';
    });
    failed = findings.some((f) => f.status === 'fail' || f.status === 'error');
  } finally {
    if (traced) {
      if (failed) {
        const trace = join(input.outDir, 'trace-SENSITIVE.zip');
        await writeTracePrivately((path) => browser.context.tracing.stop({ path }), trace).catch(() => undefined);
        findings.push({
          status: 'warn',
code: 'trace-written',           message: `trace: written to ${trace} because a step failed; it holds the session (cookies, pages) — treat it as sensitive and delete it after use.`,
          attachments: [{ kind: 'trace', path: trace, caption: 'Playwright trace of the failed run (npx playwright show-trace); sensitive: holds the session' }],
        });
      } else {
        await browser.context.tracing.stop().catch(() => undefined);
      }
    }
    await browser.close();
  }
  return findings;
}
