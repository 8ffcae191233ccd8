// A correct deployment in another region (issue 10, point 4): the same sandbox provisioned into
// eu-west-1 passes every check exactly as the one in us-east-1 does; nothing assumes us-east-1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandboxStack, type SandboxStack } from '../../src/sandbox/stack.js';
import { CHECKS_WITHOUT_BROWSER, CLEAN_STATUS, endpoint, runAll } from '../support/live.js';

let stack: SandboxStack | undefined;
const dir = mkdtempSync(join(tmpdir(), 'askedgi-sandbox-eu-'));

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox in a second region', () => {
  it('eu-west-1: the clean sandbox passes every check', async () => {
    stack = await startSandboxStack({ endpoint: endpoint(), dir, region: 'eu-west-1' });
    Object.assign(process.env, stack.env);
    expect(stack.state.region).toBe('eu-west-1');
    const { results } = await runAll(dir);
    const notClean = results.filter((r) => r.status !== (CLEAN_STATUS[r.id] ?? 'pass')).map((r) => ({ id: r.id, status: r.status, findings: r.findings }));
    expect(notClean).toEqual([]);
    expect(results.map((r) => r.id).sort()).toEqual(CHECKS_WITHOUT_BROWSER.map((c) => c.id).sort());
    // The checks really looked at eu-west-1 resources.
    const logging = results.find((r) => r.id === 'insight-task-logging')!;
    expect(logging.findings[0]!.message).toContain('in eu-west-1');
  });
});
