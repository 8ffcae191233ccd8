import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (the previous run's durations, else file size: in a fresh clone, size) and then the
 * fault matrix first: its three small files are the suite's longest (a re-provisioned sandbox per
 * fault), and started last they ran alone at the end of the run (CI, 2 workers).
 */
class MatrixFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const heavy = (f: TestSpecification) => (/[\\/]matrix-\d+\.test\.ts$/.test(f.moduleId) ? 1 : 0);
    return [...sorted].sort((a, b) => heavy(b) - heavy(a));
  }
}

// Two projects: unit tests run in parallel on fixture inventories; integration test files run two
// at a time, each worker against its own moto server (moto's state is global to a server).
export default defineConfig({
  test: {
    sequence: { sequencer: MatrixFirst },
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
