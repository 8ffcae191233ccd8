// Issue 11 C: remediation acts only on what it re-reads. Plans and backups are sealed with a local key
// (a re-hashed file is refused); a plan sealed with that key is still only a request: apply derives
// the rows and Cloud Map instances from the live state for the plan's action and user and refuses
// what differs; restore accepts only the configured tables and the data services' registry; the
// user's instance is matched exactly; after a crash past COMMIT the backup holding the rows is named.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeregisterInstanceCommand, RegisterInstanceCommand } from '@aws-sdk/client-servicediscovery';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { contentHash, seal } from '../../src/remediate/guard.js';
import type { Backup } from '../../src/remediate/types.js';
import { connectApp, STACK_TABLE } from '../../src/sandbox/database.js';
import { currentStack, endpoint } from '../support/live.js';
import { startAwsProxy } from '../support/remediate.js';
import { APPROVER, remediateSession } from '../support/remediate-session.js';

const session = remediateSession();
const { fresh, plan, audit, backups } = session;
const apply = (file: string, extra: string[] = []) => session.apply(file, ['--confirm', ...APPROVER, ...extra]);
const restore = (file: string, extra: string[] = []) => session.restore(file, ['--confirm', ...APPROVER, ...extra]);
const instance = (serviceId: string, id: string) => session.cloudMapInstance(serviceId, id);

async function stackRows(): Promise<number> {
  const conn = await connectApp(currentStack().database);
  try {
    const [r] = await conn.query<RowDataPacket[]>(`SELECT id FROM ${STACK_TABLE}`);
    return r.length;
  } finally {
    await conn.end();
  }
}
const writeSealed = (path: string, doc: object) => writeFileSync(path, JSON.stringify(seal<{ sha256: string }>({ ...doc, sha256: undefined } as object)));

describe('remediation acts only on what it re-reads', () => {
  it('a plan edited and re-hashed by hand (sha256 recomputed) is refused: the seal is keyed', async () => {
    await fresh();
    const { file, plan: p } = await plan(['reset-workspace', '--user', 'admin']);
    const forged = { ...p, params: { ...p.params, maxRows: 99 } };
    const path = file.replace(/\.json$/, '-forged.json');
    writeFileSync(path, JSON.stringify({ ...forged, sha256: contentHash(forged) }));
    const r = await apply(path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/modified after it was written, or sealed with another key/);
    expect(await stackRows()).toBe(1);
  });

  it('a plan sealed with the key that adds the Insight instance (a forged request) is refused as drift; nothing is removed', async () => {
    await fresh();
    const { file, plan: p } = await plan(['reset-workspace', '--user', 'admin']);
    const cm = currentStack().state.cloudMap;
    const insightAttrs = (await instance(cm.insightServiceId, cm.insightInstanceId))!;
    expect(insightAttrs).toBeDefined();
    const forged = {
      ...p,
      instances: [...p.instances, { namespace: p.instances[0]!.namespace, service: { id: cm.insightServiceId, arn: cm.insightServiceArn, name: 'oe-edgi-insights-service' }, id: cm.insightInstanceId, attributes: insightAttrs, matchedBy: 'row' }],
    };
    const path = file.replace(/\.json$/, '-forged.json');
    writeSealed(path, forged);
    const r = await apply(path);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('drift');
    expect(r.stderr).toContain(`Cloud Map instance ${cm.insightInstanceId} in oe-edgi-insights-service.`);
    expect(r.stderr).toContain("is not in the data services' registry");
    expect(await instance(cm.insightServiceId, cm.insightInstanceId)).toEqual(insightAttrs);
    expect(await stackRows()).toBe(1);
  });

  it('a sealed backup naming another table, or an instance of another Cloud Map service, is refused by restore', async () => {
    await fresh();
    const { file } = await plan(['reset-workspace', '--user', 'admin']);
    const a = await apply(file);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const [real] = backups();
    const b = JSON.parse(readFileSync(real!, 'utf8')) as Backup;
    const cm = currentStack().state.cloudMap;
    const otherTable = join(session.out, 'backups', 'forged-table.json');
    writeSealed(otherTable, { ...b, rows: [{ ...b.rows[0]!, table: 'mysql.user' }] });
    const t = await restore(otherTable);
    expect(t.code, t.stdout + t.stderr).toBe(1);
    expect(t.stderr).toContain('table mysql.user (primary key id) is not database.stackTable or database.uptimeTable of the config');
    const otherService = join(session.out, 'backups', 'forged-instance.json');
    writeSealed(otherService, { ...b, rows: [], instances: [{ ...b.instances[0]!, id: 'planted-1', service: { id: cm.insightServiceId, arn: cm.insightServiceArn, name: 'oe-edgi-insights-service' } }] });
    const s = await restore(otherService);
    expect(s.code, s.stdout + s.stderr).toBe(1);
    expect(s.stderr).toMatch(/Cloud Map instance planted-1 in oe-edgi-insights-service\.\S+ \(\S+\) is not in the data services' registry/);
    expect(await instance(cm.insightServiceId, 'planted-1')).toBeUndefined();
    expect(await stackRows()).toBe(0);
    // The real backup still restores.
    expect((await restore(real!)).code).toBe(0);
    expect(await stackRows()).toBe(1);
  });

  it("--user admin matches its instance exactly: another user's instance whose name ends in -admin is never planned or touched", async () => {
    await fresh();
    const cm = currentStack().state.cloudMap;
    const jo = { ServiceId: cm.dataServiceId, InstanceId: 'edgi-data-service-jo-admin' };
    await session.clients.cloudMap.send(new RegisterInstanceCommand({ ...jo, Attributes: { AWS_INSTANCE_IPV4: '10.20.1.77', AWS_INSTANCE_PORT: '8000', ECS_SERVICE_NAME: 'edgi-data-service-jo-admin' } }));
    try {
      const { file, plan: p } = await plan(['reset-workspace', '--user', 'admin']);
      expect(p.instances.map((i) => [i.id, i.matchedBy])).toEqual([['edgi-data-service-admin', 'row']]);
      const a = await apply(file);
      expect(a.code, a.stdout + a.stderr).toBe(0);
      expect(await instance(cm.dataServiceId, 'edgi-data-service-jo-admin')).toMatchObject({ ECS_SERVICE_NAME: 'edgi-data-service-jo-admin' });
      expect(await instance(cm.dataServiceId, 'edgi-data-service-admin')).toBeUndefined();
    } finally {
      await session.clients.cloudMap.send(new DeregisterInstanceCommand(jo)).catch(() => undefined);
    }
  });

  it('a re-apply after the database step names the earlier backup holding the rows and carries them; restore of an empty backup says so (exit 1)', async () => {
    await fresh();
    const proxy = await startAwsProxy(endpoint());
    try {
      const via = ['--endpoint', proxy.endpoint];
      const { file } = await plan(['reset-workspace', '--user', 'admin', ...via]);
      proxy.failDeregister = true;
      expect((await apply(file, via)).code).toBe(1);
      const [first] = backups();
      proxy.failDeregister = false;
      const again = await apply(file, via);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain(`the removed rows are in its backup ${first}`);
      const second = backups().find((f) => f !== first)!;
      const b2 = JSON.parse(readFileSync(second, 'utf8')) as Backup;
      expect(b2.rows.reduce((n, s) => n + s.rows.length, 0)).toBe(2);
      expect(b2.instances.map((i) => i.id)).toEqual(['edgi-data-service-admin']);

      const empty = join(session.out, 'backups', 'forged-empty.json');
      writeSealed(empty, { ...b2, rows: [], instances: [] });
      const r = await restore(empty, via);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Nothing to restore: ${empty} holds no row, no Cloud Map instance and no service update; nothing was changed.`);
      expect(r.stderr).toContain(first!);
      // The second backup alone puts everything back.
      const back = await restore(second, via);
      expect(back.code, back.stdout + back.stderr).toBe(0);
      expect(await stackRows()).toBe(1);
      expect(await instance(currentStack().state.cloudMap.dataServiceId, 'edgi-data-service-admin')).toBeDefined();
      expect(audit().some((e) => e.command === 'restore' && e.outcome === 'succeeded')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
