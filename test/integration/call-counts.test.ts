// The inventory reads each thing once per run: every IAM role and user one GetRole/GetUser and one
// listing of its policies, however many checks (policy, trust, effective permissions, key owner) look
// at it; and the log searches of a group start all their filter queries at once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveInventory } from '../../src/inventory/live.js';
import { logFilterPatterns } from '../../src/inventory/log-patterns.js';
import { SANDBOX_NAMES } from '../../src/sandbox/provision/names.js';
import { cli } from '../support/cli.js';
import { HANG, startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { endpoint, freshSandbox } from '../support/live.js';
import { readReport } from '../support/report-schema.js';

describe('API calls per run (report stats.apiCalls)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await freshSandbox();
  });

  it('each IAM role and user is read once: one GetRole/GetUser and one listing of its policies per principal', async () => {
    const out = mkdtempSync(join(tmpdir(), 'askedgi-calls-'));
    const r = await cli(['run', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', out, '-f', 'json', '--no-smoke']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = readReport(join(out, 'askedgi-doctor.json'));
    const calls = report.stats.apiCalls as Record<string, number>;
    const ids = (report.results as { id: string }[]).map((x) => x.id);
    // Every check reading these principals ran: the task role's policy and trust, the effective
    // permissions of the task role, the execution role and the Edgi user, the key owner.
    expect(ids).toEqual(expect.arrayContaining(['task-role-policy', 'task-role-trust', 'task-role-effective-permissions', 'execution-role-effective-permissions', 'edgi-user-effective-permissions', 'iam-user-policy', 'edgi-access-key-owner']));
    // The sandbox's principals: the task role and the execution role, and the Edgi user.
    const roles = new Set([SANDBOX_NAMES.iam.taskRole, SANDBOX_NAMES.iam.executionRole]);
    expect(calls['iam:GetRole']).toBe(roles.size);
    expect(calls['iam:ListAttachedRolePolicies']).toBe(roles.size);
    expect(calls['iam:ListRolePolicies']).toBe(roles.size);
    expect(calls['iam:GetUser']).toBe(1);
    expect(calls['iam:ListAttachedUserPolicies']).toBe(1);
    expect(calls['iam:ListUserPolicies']).toBe(1);
    expect(calls['iam:ListAccessKeys']).toBe(1);
    // SQS_QUEUE_PREFIX (Insight), EDGI_CLIENT_PREFIX (UI/Job, the same prefix in the sandbox) and the
    // built names' `<prefix>-`: one listing serves all three.
    expect(ids).toEqual(expect.arrayContaining(['insight-sqs-queues', 'task-role-effective-permissions', 'edgi-user-effective-permissions']));
    expect(calls['sqs:ListQueues']).toBe(1);
  });

  describe('SQS queue listings', () => {
    const { queuePrefix } = SANDBOX_NAMES;
    let other: string;
    beforeAll(async () => {
      // A queue outside the deployment's prefix, and one that extends it without the separator.
      const { CreateQueueCommand, SQSClient } = await import('@aws-sdk/client-sqs');
      const sqs = new SQSClient({ region: 'us-east-1', endpoint: endpoint() });
      try {
        other = (await sqs.send(new CreateQueueCommand({ QueueName: 'unrelated-queue' }))).QueueUrl!;
        await sqs.send(new CreateQueueCommand({ QueueName: `${queuePrefix}x-sibling` }));
      } finally {
        sqs.destroy();
      }
    });
    const listing = async (...prefixes: string[]) => {
      const inv = new LiveInventory({ region: 'us-east-1', endpoint: endpoint() });
      try {
        const lists = [];
        for (const p of prefixes) lists.push(await inv.sqsQueues(p));
        return { lists, calls: inv.apiCalls()['sqs:ListQueues'] };
      } finally {
        inv.destroy();
      }
    };

    it('a prefix that extends one already listed is served from that listing, with exactly the queues its own ListQueues returns', async () => {
      for (const longer of [`${queuePrefix}-`, `${queuePrefix}-ai`, `${queuePrefix}x`, `${queuePrefix}-none`]) {
        const alone = await listing(longer);
        const derived = await listing(queuePrefix, longer);
        expect(alone.calls).toBe(1);
        expect(derived.calls).toBe(1);
        expect(derived.lists[1]).toEqual(alone.lists[0]);
      }
      // Not vacuous: the deployment's listing holds the sibling, the separator's listing does not.
      const { lists } = await listing(queuePrefix, `${queuePrefix}-`, `${queuePrefix}x`);
      expect(lists[0]!.length).toBe(3);
      expect(lists[1]!.length).toBe(2);
      expect(lists[2]!.map((u) => u.split('/').pop())).toEqual([`${queuePrefix}x-sibling`]);
    });

    it('a prefix that does not extend one already listed is listed on its own', async () => {
      const { lists, calls } = await listing(queuePrefix, 'unrelated', `${queuePrefix}-`.slice(0, 3));
      expect(calls).toBe(3);
      expect(lists[1]).toEqual([other]);
      expect(lists[0]).not.toContain(other);
    });
  });

  describe('log searches', () => {
    let proxy: FaultProxy;
    afterAll(async () => {
      await proxy?.close();
    });

    it('start every filter query of a group at once (not one after another)', async () => {
      // FilterLogEvents never answers: one after another, only the first query would ever be sent
      // before the search fails; started at once, every query reaches the endpoint.
      proxy = await startFaultProxy(endpoint(), (req) => (req.operation === 'FilterLogEvents' ? HANG : undefined));
      const inv = new LiveInventory({ region: 'us-east-1', endpoint: proxy.endpoint, maxAttempts: 1, timeouts: { requestMs: 2000 } });
      try {
        const terms = ['ERROR', 'Exception', 'Traceback'];
        const patterns = logFilterPatterns(terms, false);
        expect(patterns.length).toBeGreaterThan(1);
        const t0 = performance.now();
        await expect(inv.searchLogs(SANDBOX_NAMES.logGroups.insight, terms, 60, 5)).rejects.toThrow(/logs:FilterLogEvents .*timed out after 2 s/);
        expect(proxy.seen.filter((op) => op === 'FilterLogEvents')).toHaveLength(patterns.length);
        // All timed out together, not one timeout after another.
        expect(performance.now() - t0).toBeLessThan(2000 * 2);
        expect(inv.apiCalls()['logs:FilterLogEvents']).toBe(patterns.length);
      } finally {
        inv.destroy();
      }
    });
  });
});
