// The system Chromium, driven by playwright-core (never a downloaded browser: there is none here).
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { exitOnSignal } from '../runtime.js';
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
  /** The profile directory (cookies, cache): removed on close, on exit and on SIGINT/SIGTERM. */
  userDataDir: string;
  close(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Removes `dir` if the process ends before `close()`: on exit, and on SIGINT/SIGTERM/SIGHUP (Ctrl-C).
 * After a signal the process ends: with the signal raised again when nobody else listens, else
 * with exit code 128 + its number (Playwright's own handlers only close the browser; its exit
 * handler then kills Chromium before this one removes the directory: register after the launch).
 * Returns the function that unregisters.
 */
export function removeOnExit(dir: string): () => void {
  // On the way out Chromium may still be writing its profile while it dies: remove, wait a moment, again.
  const remove = () => {
    for (let attempt = 0; attempt < 5 && existsSync(dir); attempt += 1) {
      if (attempt > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2, retryDelay: 20 });
      } catch {
        // Best effort on the way out.
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    for (const s of SIGNALS) process.off(s, onSignal);
    if (process.listenerCount(signal) === 0) {
      remove();
      process.off('exit', remove);
      process.kill(process.pid, signal);
      return;
    }
    // Others listen (Playwright closes the browser and would keep the process alive): a CLI that the
    // user interrupted ends; the exit handlers (Playwright's kill of Chromium, then this removal) run.
    exitOnSignal(signal);
  };
  const unregister = () => {
    process.off('exit', remove);
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  process.on('exit', remove);
  for (const s of SIGNALS) process.on(s, onSignal);
  return unregister;
}

/** A fresh persistent context in a new, empty user-data directory, removed on close. */
export async function launch(executablePath: string): Promise<Browser> {
  // Loaded here, not at the top: only a run that starts the browser pays for playwright-core.
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'askedgi-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const unregister = removeOnExit(userDataDir);
  const version = context.browser()?.version() ?? (await versionFromPage(context));
  return {
    context,
    version,
    userDataDir,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
      unregister();
    },
  };
}

async function versionFromPage(context: BrowserContext): Promise<string> {
  const page = context.pages()[0] ?? (await context.newPage());
  const ua = String(await page.evaluate('navigator.userAgent'));
  return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? 'unknown';
}
