// The key that seals plans and backups: 32 random bytes in a local file, created 0600 on first use,
// never written into a plan or backup. A plan or backup edited and "re-hashed" by hand does not
// verify without it. Where: $ASKEDGI_DOCTOR_SEAL_KEY_FILE, else
// ${XDG_CONFIG_HOME:-~/.config}/askedgi-doctor/seal.key.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

export const SEAL_KEY_ENV = 'ASKEDGI_DOCTOR_SEAL_KEY_FILE';

export function sealKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env[SEAL_KEY_ENV]) return env[SEAL_KEY_ENV]!;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'askedgi-doctor', 'seal.key');
}

const cache = new Map<string, Buffer>();

/** The key (created on first use); a key file others may read, or one that is not a key, is refused. */
export function sealKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const path = sealKeyPath(env);
  const cached = cache.get(path);
  if (cached) return cached;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot create the seal key ${path}: ${(err as Error).message}`);
  }
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode & 0o077) throw new UsageError(`the seal key ${path} is readable by others (mode ${mode.toString(8)}): chmod 600 it, or remove it and make new plans`);
    text = readFileSync(fd, 'utf8').trim();
  } finally {
    closeSync(fd);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new UsageError(`the seal key ${path} is not a key (64 hex digits): remove it and make new plans`);
  const key = Buffer.from(text, 'hex');
  cache.set(path, key);
  return key;
}
