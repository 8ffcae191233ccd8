// One moto server per integration worker: moto's state is global to a server, so two test files may
// run at once only against different servers. A file claims a free server with endpoint()
// (test/support/live.ts) through a lock file in motoLockDir, and releases it when it ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/sandbox/emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
    motoLockDir: string;
  }
}

/** As many as the integration project's workers (vitest.config.ts). */
export const INTEGRATION_WORKERS = 2;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers: MotoServer[] = [];
  try {
    for (let i = 0; i < INTEGRATION_WORKERS; i += 1) servers.push(await startMoto());
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  const lockDir = mkdtempSync(join(tmpdir(), 'askedgi-moto-locks-'));
  project.provide('motoEndpoints', servers.map((s) => s.endpoint));
  project.provide('motoLockDir', lockDir);
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(lockDir, { recursive: true, force: true });
  };
}
