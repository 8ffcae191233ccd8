// The system Chromium, driven by playwright-core (never a downloaded browser: there is none here).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

/** Flags that keep Chromium quiet and working on a closed network (no background calls home). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The Chromium to use: config, then CHROMIUM_PATH, then the usual locations. */
export function findChromium(configured?: string): { path?: string; tried: string[] } {
  const candidates = [configured, process.env.CHROMIUM_PATH, ...KNOWN_PATHS].filter((p): p is string => Boolean(p));
  return { path: candidates.find((p) => existsSync(p)), tried: candidates };
}

export interface Browser {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** A fresh persistent context in a new, empty user-data directory, removed on close. */
export async function launch(executablePath: string): Promise<Browser> {
  // Loaded here, not at the top: only a run that starts the browser pays for playwright-core.
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'askedgi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const version = context.browser()?.version() ?? (await versionFromPage(context));
  return {
    context,
    version,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

async function versionFromPage(context: BrowserContext): Promise<string> {
  const page = context.pages()[0] ?? (await context.newPage());
  const ua = String(await page.evaluate('navigator.userAgent'));
  return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? 'unknown';
}
