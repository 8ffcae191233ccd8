// Files of the guard: private (0600) writes flushed to disk, the append-only audit log, and the
// per-plan lock.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { maskKnown, maskSecrets } from '../secrets/mask.js';

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is flushed.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes a new file with mode 0600 and flushes it (and its directory entry) to disk before
 * returning. Never overwrites: 'wx' fails when the file exists. Known secret values are masked;
 * so are secret shapes unless `keepShapes` (a backup keeps its rows' secret columns for an exact
 * restore).
 */
export function writePrivateFileSync(path: string, text: string, opts: { keepShapes?: boolean } = {}): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, opts.keepShapes ? maskKnown(text) : maskSecrets(text));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dirname(path));
}

/** Appends one line (mode 0600 when the file is created) and flushes it. */
export function appendLineSync(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${maskSecrets(line).replace(/\n/g, ' ')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/**
 * An exclusive lock: `<path>.lock` created with 'wx' (atomic: exactly one creator wins). It holds
 * the owner's pid, host and time. A lock left behind by a crashed apply is not removed
 * automatically: the message names its owner and age so an engineer can check and delete it.
 */
export function acquireLock(target: string): () => void {
  const lock = `${target}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let owner = 'unknown owner';
    try {
      const o = JSON.parse(readFileSync(lock, 'utf8')) as { pid?: number; host?: string; since?: string };
      const alive = o.host === hostname() && typeof o.pid === 'number' ? isAlive(o.pid) : undefined;
      owner = `pid ${o.pid ?? '?'} on ${o.host ?? '?'} since ${o.since ?? '?'}${alive === false ? ' — that process is gone: the lock is stale; delete the lock file after checking that no apply or restore is running' : ''}`;
    } catch {
      // The other process has created the file but not written it yet.
    }
    throw new LockHeldError(`another apply or restore of this file is in progress (lock ${lock}, ${owner}).`);
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  } finally {
    closeSync(fd);
  }
  return () => {
    try {
      unlinkSync(lock);
    } catch {
      // Already gone.
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock, or undefined after `onHeld` was told who holds it (apply and restore refuse then). */
export function tryLock(target: string, onHeld: (message: string) => void): (() => void) | undefined {
  try {
    return acquireLock(target);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    onHeld(err.message);
    return undefined;
  }
}
