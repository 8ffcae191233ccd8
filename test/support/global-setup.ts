// One moto server per integration worker: moto's state is global to a server, so two test files may
// run at once only against different servers. Files pick theirs with endpoint() (test/support/live.ts).
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/sandbox/emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
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
  project.provide('motoEndpoints', servers.map((s) => s.endpoint));
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
