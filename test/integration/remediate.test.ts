// `remediate` against the real parts: moto, MariaDB and the OvalEdge-like app. Every point of the
// guard, every fault to survive (a dropped DB connection at COMMIT, Cloud Map failing after the
// commit, two applies at once, a hand-edited plan, a user with no rows), the end-to-end repair of the
// 'workspace not created' fault, and restore giving back exactly the original rows.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeregisterInstanceCommand, RegisterInstanceCommand } from '@aws-sdk/client-servicediscovery';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backup, Plan } from '../../src/remediate/types.js';
import { writeAppFlags } from '../../src/sandbox/app/state.js';
import { connectApp, dbUrl, STACK_TABLE, UPTIME_TABLE } from '../../src/sandbox/database.js';
import { readSandboxState } from '../../src/sandbox/faults/index.js';
import { cli } from '../support/cli.js';
import { currentStack, endpoint } from '../support/live.js';
import { remediate, startAwsProxy, startMysqlProxy, type Outcome } from '../support/remediate.js';
import { APPROVER, remediateSession } from '../support/remediate-session.js';

const root = resolve(import.meta.dirname, '../..');

const session = remediateSession();
const { fresh, cfgArgs, plan, apply, restore, audit, backups } = session;

/** Every row of both tables, in full, as plain JSON (dates as ISO strings). */
async function allRows(): Promise<{ stack: Record<string, unknown>[]; uptime: Record<string, unknown>[] }> {
  const conn = await connectApp(currentStack().database);
  try {
    const [stack] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${STACK_TABLE} ORDER BY id`);
    const [uptime] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${UPTIME_TABLE} ORDER BY id`);
    return JSON.parse(JSON.stringify({ stack, uptime })) as { stack: Record<string, unknown>[]; uptime: Record<string, unknown>[] };
  } finally {
    await conn.end();
  }
}

async function sql(statement: string, params: unknown[] = []): Promise<void> {
  const conn = await connectApp(currentStack().database);
  try {
    await conn.query(statement, params);
  } finally {
    await conn.end();
  }
}

const adminInstance = () => session.cloudMapInstance(currentStack().state.cloudMap.dataServiceId, 'edgi-data-service-admin');

const mode = (path: string) => statSync(path).mode & 0o777;

async function login(): Promise<number> {
  const res = await fetch(`${currentStack().baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: currentStack().env.ASKEDGI_ADMIN_PASSWORD! }).toString(),
    redirect: 'manual',
  });
  await res.text();
  return res.status;
}

async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('remediate list', () => {
  it('shows each action, what it touches and the permissions it needs', async () => {
    const r = await remediate(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reset-workspace --user <id|email>');
    expect(r.stdout).toContain('redeploy-latest --service <insight|ui|job>');
    expect(r.stdout).toContain('servicediscovery:DeregisterInstance');
    // Cloud Map (de)registers in a DNS namespace with the caller's Route 53 permissions.
    expect(r.stdout).toContain('route53:ChangeResourceRecordSets');
    expect(r.stdout).toContain('ecs:UpdateService');
    expect(r.stdout).toContain('edgi_data_service_uptime_history');
    const json = JSON.parse((await remediate(['list', '--json'])).stdout) as { name: string; permissions: string[] }[];
    expect(json.map((a) => a.name)).toEqual(['reset-workspace', 'redeploy-latest']);
  });
});

describe('remediate reset-workspace: the guard', () => {
  let original: Awaited<ReturnType<typeof allRows>>;
  let originalInstance: Record<string, string> | undefined;
  let planFile: string;
  let thePlan: Plan;

  beforeAll(async () => {
    await fresh();
    original = await allRows();
    originalInstance = await adminInstance();
  });

  it('plan writes a read-only plan: every row in full, the instance with its attributes, caller, time and sha256 (mode 0600)', async () => {
    const { file, plan: p, r } = await plan(['reset-workspace', '--user', 'admin']);
    planFile = file;
    thePlan = p;
    expect(file).toMatch(/\/plans\/.+-reset-workspace\.json$/);
    expect(mode(file)).toBe(0o600);
    expect(p.schemaVersion).toBe(1);
    expect(p.caller.arn).toMatch(/^arn:aws:/);
    expect(p.caller.account).toBe(currentStack().state.accountId);
    expect(Date.now() - Date.parse(p.createdAt)).toBeLessThan(60_000);
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stack = p.rows.find((s) => s.table === STACK_TABLE)!;
    const uptime = p.rows.find((s) => s.table === UPTIME_TABLE)!;
    expect(stack.rows).toHaveLength(1);
    expect(uptime.rows).toHaveLength(1);
    expect(Object.keys(stack.rows[0]!).sort()).toEqual(Object.keys(original.stack[0]!).sort());
    expect(stack.rows[0]).toMatchObject({ user_id: 'admin', service_name: 'edgi-data-service-admin', status: 'RUNNING' });
    expect(p.instances).toHaveLength(1);
    expect(p.instances[0]).toMatchObject({ id: 'edgi-data-service-admin', matchedBy: 'row', attributes: originalInstance });
    expect(r.stdout).toContain('Nothing was changed');
    expect(await allRows()).toEqual(original);
    expect(await adminInstance()).toEqual(originalInstance);
  });

  it('apply without --confirm or without --approved-by prints the plan, changes nothing and exits 3', async () => {
    for (const extra of [[], ['--confirm'], APPROVER]) {
      const r = await apply(planFile, extra);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toContain(`sha256:  ${thePlan.sha256}`);
      expect(r.stderr).toContain('Confirmation required: nothing was changed');
    }
    expect(await allRows()).toEqual(original);
    expect(await adminInstance()).toEqual(originalInstance);
  });

  it('in a child process with no TTY (as in CI) it never prompts: exit 3', async () => {
    const r = await new Promise<Outcome>((done, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts'), 'remediate', 'apply', planFile, ...cfgArgs(['--confirm'])], {
        cwd: root,
        env: { ...process.env, CI: 'true' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.once('error', reject);
      child.once('close', (code) => done({ code: code ?? -1, stdout, stderr }));
      // stdin stays open and silent: a prompt would hang until the test times out.
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('never prompts');
    expect(await allRows()).toEqual(original);
  });

  it('refuses a malformed approver as a usage error (exit 2)', async () => {
    expect((await apply(planFile, ['--confirm', '--approved-by', 'jane'])).code).toBe(2);
  });

  it('refuses a hand-edited plan (hash mismatch), changing nothing', async () => {
    const edited = planFile.replace(/\.json$/, '-edited.json');
    const p = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    p.rows[0]!.rows[0]!.status = 'FAILED';
    writeFileSync(edited, JSON.stringify(p, null, 2));
    const r = await apply(edited, ['--confirm', ...APPROVER]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was modified after it was written, or sealed with another key \(recorded seal [0-9a-f]{64}, its content seals to [0-9a-f]{64} with the local seal key\)/);
    expect(await allRows()).toEqual(original);
  });

  it('refuses a plan older than the limit, and a plan over the blast-radius cap', async () => {
    const old = await apply(planFile, ['--confirm', ...APPROVER, '--max-age', '0s']);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/old, older than the limit of 0 ms: make a new plan/);
    const capped = await apply(planFile, ['--confirm', ...APPROVER, '--max-rows', '1']);
    expect(capped.code).toBe(1);
    expect(capped.stderr).toContain('the plan removes 2 rows, more than --max-rows 1');
    expect(await allRows()).toEqual(original);
    expect(audit().filter((e) => e.outcome === 'refused' && e.step === 'guard')).toHaveLength(2);
  });

  it('refuses drift (a row changed since the plan), saying exactly what differs', async () => {
    await sql(`UPDATE ${STACK_TABLE} SET status = 'STOPPED', updated_at = updated_at WHERE user_id = 'admin'`);
    const r = await apply(planFile, ['--confirm', ...APPROVER]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('drift');
    expect(r.stderr).toMatch(/edgi_data_service_stack row id=\d+ column status changed: planned "RUNNING", now "STOPPED"/);
    await sql(`UPDATE ${STACK_TABLE} SET status = 'RUNNING', updated_at = updated_at WHERE user_id = 'admin'`);
    expect(await allRows()).toEqual(original);
    expect(await adminInstance()).toEqual(originalInstance);
  });

  it('refuses drift in Cloud Map (the instance re-registered with other attributes), saying exactly what differs', async () => {
    // Deregister first: moto's RegisterInstance appends a second instance with the same id instead of updating it.
    const register = async (attributes: Record<string, string>) => {
      const ids = { ServiceId: currentStack().state.cloudMap.dataServiceId, InstanceId: 'edgi-data-service-admin' };
      await session.clients.cloudMap.send(new DeregisterInstanceCommand(ids));
      await session.clients.cloudMap.send(new RegisterInstanceCommand({ ...ids, Attributes: attributes }));
    };
    await register({ ...originalInstance, AWS_INSTANCE_IPV4: '10.9.9.9' });
    try {
      const r = await apply(planFile, ['--confirm', ...APPROVER]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Cloud Map instance edgi-data-service-admin attributes changed: AWS_INSTANCE_IPV4: planned 10.20.1.50, now 10.9.9.9');
      expect(await allRows()).toEqual(original);
    } finally {
      await register(originalInstance!);
    }
    expect(await adminInstance()).toEqual(originalInstance);
  });

  it('two applies of the same plan at once: one succeeds, the other refuses', async () => {
    const [a, b] = await Promise.all([apply(planFile, ['--confirm', ...APPROVER]), apply(planFile, ['--confirm', ...APPROVER])]);
    const codes = [a.code, b.code].sort();
    expect(codes, a.stdout + a.stderr + b.stdout + b.stderr).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toMatch(/in progress|already applied/);
    const winner = a.code === 0 ? a : b;
    expect(winner.stdout).toMatch(/Deleted 2 row\(s\) by primary key in one transaction/);
    expect(winner.stdout).toContain('deregistered (operation SUCCESS)');
    expect(winner.stdout).toContain('Log in again as admin to recreate the workspace.');
    const now = await allRows();
    expect(now.stack).toHaveLength(0);
    expect(now.uptime).toHaveLength(0);
    expect(await adminInstance()).toBeUndefined();
  });

  it('wrote the backup (exact rows, the instance, 0600) and one audit line per step', async () => {
    const files = backups();
    expect(files).toHaveLength(1);
    expect(mode(files[0]!)).toBe(0o600);
    const b = JSON.parse(readFileSync(files[0]!, 'utf8')) as Backup;
    expect(b.planSha256).toBe(thePlan.sha256);
    expect(b.rows.flatMap((s) => s.rows)).toHaveLength(2);
    expect(b.instances.map((i) => [i.id, i.attributes])).toEqual([['edgi-data-service-admin', originalInstance]]);
    const lines = audit().filter((e) => e.command === 'apply' && e.outcome === 'succeeded');
    expect(lines.map((e) => e.step)).toEqual(['database', 'cloud-map']);
    for (const e of lines) {
      expect(e).toMatchObject({ approver: 'Jane Roe OPS-1234', planSha256: thePlan.sha256, callerArn: thePlan.caller.arn });
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(lines[0]!.changes).toEqual([`${UPTIME_TABLE}#${original.uptime[0]!.id}`, `${STACK_TABLE}#${original.stack[0]!.id}`]);
    expect(lines[1]!.changes).toEqual(['edgi-data-service-admin']);
  });

  it('a re-apply of the applied plan is refused', async () => {
    const r = await apply(planFile, ['--confirm', ...APPROVER]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already applied');
  });

  it('restore needs --confirm (exit 3), refuses a hand-edited backup, then gives back exactly the original rows and instance', async () => {
    const [file] = backups();
    expect((await restore(file!)).code).toBe(3);
    const edited = file!.replace(/\.json$/, '-edited.json');
    const b = JSON.parse(readFileSync(file!, 'utf8')) as Backup;
    b.rows[0]!.rows[0]!.project_id = 'prj-forged';
    writeFileSync(edited, JSON.stringify(b));
    const forged = await restore(edited, ['--confirm', ...APPROVER]);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('modified after it was written');
    const r = await restore(file!, ['--confirm', ...APPROVER]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Re-inserted 2 row(s) in one transaction');
    expect(await allRows()).toEqual(original);
    expect(await adminInstance()).toEqual(originalInstance);
    expect(audit().filter((e) => e.command === 'restore' && e.outcome === 'succeeded').map((e) => e.step)).toEqual(['database', 'cloud-map']);
  });

  it('--all needs an explicit --max-rows (exit 2) and is refused at plan time over the cap', async () => {
    expect((await remediate(['plan', 'reset-workspace', '--all', ...cfgArgs()])).code).toBe(2);
    const over = await remediate(['plan', 'reset-workspace', '--all', '--max-rows', '1', ...cfgArgs()]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('the plan removes 2 rows, more than --max-rows 1');
    const { plan: p } = await plan(['reset-workspace', '--all', '--max-rows', '5']);
    expect(p.rows.flatMap((s) => s.rows)).toHaveLength(2);
    expect(p.instances.map((i) => i.matchedBy)).toEqual(['all']);
    expect(await allRows()).toEqual(original);
  });

  it('a user with no rows: nothing to do, exit 0 for plan and apply', async () => {
    const { file, r } = await plan(['reset-workspace', '--user', 'nobody@example.com']);
    expect(r.stdout).toContain('nothing to do');
    const a = await apply(file, ['--confirm', ...APPROVER]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Nothing to do');
    expect(await allRows()).toEqual(original);
  });

  it('usage errors exit 2', async () => {
    expect((await remediate(['plan', 'drop-everything', ...cfgArgs()])).code).toBe(2);
    expect((await remediate(['plan', 'reset-workspace', ...cfgArgs()])).code).toBe(2);
    expect((await remediate(['plan', 'reset-workspace', '--user', 'admin', '--all', '--max-rows', '3', ...cfgArgs()])).code).toBe(2);
    expect((await remediate(['plan', 'redeploy-latest', '--service', 'db', ...cfgArgs()])).code).toBe(2);
  });
});

describe('remediate reset-workspace: faults it survives', () => {
  it('the DB connection dropped at COMMIT: nothing deleted, backup on disk; a second apply succeeds', async () => {
    await fresh();
    const original = await allRows();
    const db = currentStack().database;
    const proxy = await startMysqlProxy({ host: db.host, port: db.port });
    const direct = process.env.ASKEDGI_DB_URL;
    process.env.ASKEDGI_DB_URL = dbUrl({ ...db, port: proxy.port });
    try {
      const { file } = await plan(['reset-workspace', '--user', 'admin']);
      proxy.cutOnCommit = true;
      const first = await apply(file, ['--confirm', ...APPROVER]);
      expect(proxy.cuts).toBe(1);
      expect(first.code, first.stdout + first.stderr).toBe(1);
      expect(first.stdout).toContain('The transaction was rolled back: no row was deleted.');
      expect(first.stdout).toContain('Cloud Map: not touched; edgi-data-service-admin still registered.');
      expect(await allRows()).toEqual(original);
      expect(await adminInstance()).toBeDefined();
      expect(backups()).toHaveLength(1);
      expect(audit().at(-1)).toMatchObject({ step: 'database', outcome: 'failed' });
      const second = await apply(file, ['--confirm', ...APPROVER]);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect((await allRows()).stack).toHaveLength(0);
      expect(await adminInstance()).toBeUndefined();
    } finally {
      process.env.ASKEDGI_DB_URL = direct;
      await proxy.close();
    }
  });

  it('Cloud Map failing after the DB commit: the outcome says what was and was not done; re-apply completes it; restore puts everything back', async () => {
    await fresh();
    const original = await allRows();
    const originalInstance = await adminInstance();
    const proxy = await startAwsProxy(endpoint());
    try {
      const via = ['--endpoint', proxy.endpoint];
      const { file } = await plan(['reset-workspace', '--user', 'admin', ...via]);
      proxy.failDeregister = true;
      const first = await apply(file, ['--confirm', ...APPROVER, ...via]);
      expect(first.code, first.stdout + first.stderr).toBe(1);
      expect(proxy.failed).toBeGreaterThan(0);
      expect(first.stdout).toMatch(/Done:\n {2}- Deleted 2 row\(s\) by primary key in one transaction/);
      expect(first.stdout).toMatch(/NOT done:\n {2}- Cloud Map instance edgi-data-service-admin in .+: NOT deregistered/);
      expect(first.stdout).toContain('re-apply this plan (the database part is recorded as done and is skipped)');
      expect((await allRows()).stack).toHaveLength(0);
      expect(await adminInstance()).toEqual(originalInstance);
      expect(audit().map((e) => [e.step, e.outcome])).toEqual([
        ['database', 'succeeded'],
        ['cloud-map', 'failed'],
      ]);

      proxy.failDeregister = false;
      const again = await apply(file, ['--confirm', ...APPROVER, ...via]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain('Database: already done by an earlier apply of this plan');
      expect(again.stdout).toContain('deregistered (operation SUCCESS)');
      expect(await adminInstance()).toBeUndefined();

      const [firstBackup] = backups().sort();
      const r = await restore(firstBackup!, ['--confirm', ...APPROVER, ...via]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(await allRows()).toEqual(original);
      expect(await adminInstance()).toEqual(originalInstance);
    } finally {
      await proxy.close();
    }
  });
});

describe('remediate end to end on the sandbox', () => {
  it("repairs 'workspace not created': plan → apply → re-login → diagnose healthy; backup and audit on disk; restore puts the removed row back", async () => {
    await fresh('workspace-not-created');
    const broken = await allRows();
    expect(broken.stack).toMatchObject([{ user_id: 'admin', project_id: null, status: 'FAILED' }]);
    const before = await cli(['diagnose', 'workspace', '--user', 'admin', '--no-smoke', ...cfgArgs()]);
    expect(before.code).toBe(1);

    const { file, plan: p } = await plan(['reset-workspace', '--user', 'admin']);
    expect(p.rows.flatMap((s) => s.rows)).toHaveLength(1);
    expect(p.instances).toHaveLength(0);
    const a = await apply(file, ['--confirm', ...APPROVER]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stdout).toContain('Log in again as admin to recreate the workspace.');

    // The cause is fixed (the task role can create workspaces again), then the admin logs in.
    await writeAppFlags(session.dir, { workspaceCreationFails: false });
    expect(await login()).toBe(302);
    await until('the data service to register in Cloud Map', async () => (await adminInstance()) !== undefined);
    const after = await cli(['diagnose', 'workspace', '--user', 'admin', '--no-smoke', ...cfgArgs()]);
    expect(after.stdout).toContain('Workspace of admin: HEALTHY');
    expect(after.code, after.stdout + after.stderr).toBe(0);

    const [backup] = backups();
    expect(backup).toBeDefined();
    expect(audit().filter((e) => e.outcome === 'succeeded').map((e) => e.step)).toEqual(['database']);

    const r = await restore(backup!, ['--confirm', ...APPROVER]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const restored = await allRows();
    expect(restored.stack.filter((row) => row.id === broken.stack[0]!.id)).toEqual(broken.stack);
  });
});

describe('remediate redeploy-latest', () => {
  it('plans from → to, updates the service to the latest ACTIVE revision; on moto the PRIMARY deployment does not move, so exit 4; restore sets it back', async () => {
    await fresh('ui-not-latest');
    const state = await readSandboxState(session.dir); // as the fault left it: the new UI revision
    const { file, plan: p } = await plan(['redeploy-latest', '--service', 'ui']);
    expect(p.serviceUpdates).toHaveLength(1);
    const u = p.serviceUpdates[0]!;
    expect(u.to).toBe(state.taskDefinitions.ui);
    expect(u.from).not.toBe(u.to);
    expect((await apply(file)).code).toBe(3);

    const a = await apply(file, ['--confirm', ...APPROVER]);
    expect(a.stdout).toMatch(/ECS service ovaledge-ui updated to ovaledge-ui:\d+ \(was ovaledge-ui:\d+\), new deployment forced/);
    expect(a.stdout).toContain(`pass: ECS service ovaledge-ui is set to`);
    expect(a.stdout).toMatch(/FAIL: check ovaledge-services-latest: The PRIMARY deployment/);
    expect(a.code, a.stdout + a.stderr).toBe(4);
    const svc = await session.clients.ecs.send(new DescribeServicesCommand({ cluster: state.cluster.name, services: ['ovaledge-ui'] }));
    expect(svc.services?.[0]?.taskDefinition).toBe(u.to);

    const [backup] = backups();
    const r = await restore(backup!, ['--confirm', ...APPROVER]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const back = await session.clients.ecs.send(new DescribeServicesCommand({ cluster: state.cluster.name, services: ['ovaledge-ui'] }));
    expect(back.services?.[0]?.taskDefinition).toBe(u.from);
  });

  it('a service already on the latest revision: nothing to do, exit 0', async () => {
    const { r, plan: p } = await plan(['redeploy-latest', '--service', 'insight']);
    expect(p.serviceUpdates).toHaveLength(0);
    expect(r.stdout).toContain('nothing to do');
  });
});
