// One moto server for the whole integration run; test files read its endpoint with inject('motoEndpoint').
import type { TestProject } from 'vitest/node';
import { startMoto } from '../../src/sandbox/emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
  };
}
