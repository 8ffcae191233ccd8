import { defineConfig } from 'vitest/config';

// Two projects: unit tests run in parallel on fixture inventories; integration test files run two
// at a time, each worker against its own moto server (moto's state is global to a server).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          setupFiles: ['test/support/quiet.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/quiet.ts'],
          fileParallelism: true,
          maxWorkers: 2,
          // After the unit tests: projects with different worker counts run as separate groups.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
