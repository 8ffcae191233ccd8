// Node's on-disk compile cache. No imports but node: built-ins, so that bin/askedgi-doctor.js can
// turn it on before anything else of the doctor is loaded (and cached).
import module from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Node's compile cache goes: $ASKEDGI_DOCTOR_CACHE_DIR, else $XDG_CACHE_HOME/askedgi-doctor,
 * else ~/.cache/askedgi-doctor, else the system temp folder. Safe to delete at any time.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASKEDGI_DOCTOR_CACHE_DIR) return env.ASKEDGI_DOCTOR_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'askedgi-doctor');
  let home = '';
  try {
    home = homedir();
  } catch {
    // no home directory (a locked-down CI user): fall back to the temp folder
  }
  return join(home || tmpdir(), home ? '.cache' : '', 'askedgi-doctor');
}

/**
 * Node's on-disk compile cache (Node ≥ 22.1; a no-op on Node 20) for every module loaded after
 * this call. NODE_DISABLE_COMPILE_CACHE=1 turns it off; a cache that cannot be written is ignored.
 */
export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable(join(cacheDir(), 'compile-cache'));
  } catch {
    // a cache is an optimisation only
  }
}

