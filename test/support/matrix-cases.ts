import { describe, expect, it } from 'vitest';
import { breakSandbox, FAULTS } from '../../src/sandbox/faults/index.js';
import { withDependents } from '../../src/sandbox/faults/support.js';
import { CHECKS_WITHOUT_BROWSER, CLEAN_STATUS, endpoint, freshSandbox, runAll, statusMap } from './live.js';

// The ground truth: the clean sandbox passes every check, and each fault flips exactly the checks
// it names to the status it names, nothing else. The browser smoke test is compared in smoke.test.ts.
/**
 * The fault matrix in `parts` files (test/integration/matrix-<part>.test.ts): each file takes every
 * `parts`-th fault, so the two vitest workers share the matrix instead of one file being the suite's
 * tail (each fault re-provisions the sandbox: ~3.5 s). Part 1 also runs the clean sandbox.
 */
export function faultMatrix(part: number, parts: number): void {
  describe(`fault matrix against moto through the live inventory (part ${part} of ${parts})`, () => {
    it.runIf(part === 1)('the clean sandbox passes every check, reading only', async () => {
      const dir = await freshSandbox();
      const { results, apiCalls } = await runAll(dir);
      const notPassing = results.filter((r) => r.status !== (CLEAN_STATUS[r.id] ?? 'pass')).map((r) => ({ id: r.id, status: r.status, findings: r.findings }));
      expect(notPassing).toEqual([]);
      expect(results.find((r) => r.id === 'insight-endpoint-reachable')!.findings[0]!.message).toMatch(/reachable only inside the VPC/);
      expect(results.map((r) => r.id).sort()).toEqual(CHECKS_WITHOUT_BROWSER.map((c) => c.id).sort());
      // Read-only invariant: every operation any client sent is a read.
      const ops = Object.keys(apiCalls);
      expect(ops.length).toBeGreaterThan(5);
      for (const op of ops) expect(op).toMatch(/^([a-z0-9-]+:(Describe|List|Get|Filter|Head)[A-Za-z0-9]*|iam:SimulatePrincipalPolicy|mysql:(SELECT|SET))$/);
      expect(apiCalls['mysql:SELECT']).toBeGreaterThan(0);
    });

    it.each(FAULTS.filter((_, i) => i % parts === part - 1).map((f) => [f.name, f] as const))('fault %s flips exactly its expected checks', async (name, fault) => {
      const dir = await freshSandbox();
      await breakSandbox(name, { endpoint: endpoint(), outDir: dir });
      const { results } = await runAll(dir);
      const direct = withDependents(fault.expect);
      const expected = Object.fromEntries(CHECKS_WITHOUT_BROWSER.map((c) => [c.id, direct[c.id] ?? CLEAN_STATUS[c.id] ?? 'pass']));
      expect(statusMap(results)).toEqual(expected);
    });
  });
}
