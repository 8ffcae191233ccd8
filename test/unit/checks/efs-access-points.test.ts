import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/efs-access-points.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, IDS, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

function ap(data: FixtureData, id: string) {
  const a = data.accessPoints![IDS.fs]!.find((x) => x.id === id);
  if (!a) throw new Error(`no ${id} in fixture`);
  return a;
}

describe('efs-access-points', () => {
  it('passes for the healthy deployment, one finding per runbook path', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass']);
    expect(r.findings[0]!.message).toBe(
      'Access point fsap-logs (/oe_edgi_insights_dev_logs) is available, enforces POSIX user 1000:1000 and creates /oe_edgi_insights_dev_logs as 1000:1000 with 0755.',
    );
    expect(r.findings[1]!.message).toContain('/oe_edgi_insights_dev_documents');
    expect(r.findings[2]!.message).toContain('/oe_edgi_insights_dev_store');
    expect(r.findings[0]!.resource).toContain('access-point/fsap-logs');
  });

  it('fails naming the path when the _store access point has another environment in its path', async () => {
    const data = healthy();
    ap(data, 'fsap-store').rootPath = '/oe_edgi_insights_prod_store';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe(`EFS file system ${IDS.fs} has no access point with root path /oe_edgi_insights_dev_store (Insight store).`);
    expect(bad[0]!.resource).toBe(IDS.fs);
    expect(bad[0]!.expected).toBe('an access point with root path /oe_edgi_insights_dev_store');
    expect(bad[0]!.found).toContain('fsap-store /oe_edgi_insights_prod_store');
  });

  it('derives the paths from config env', async () => {
    const r = await runOne(check, healthy(), config({ env: 'prod' }));
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.expected)).toEqual([
      'an access point with root path /oe_edgi_insights_prod_logs',
      'an access point with root path /oe_edgi_insights_prod_documents',
      'an access point with root path /oe_edgi_insights_prod_store',
    ]);
  });

  it('uses expect.accessPointPrefix when set', async () => {
    const data = healthy();
    for (const a of data.accessPoints![IDS.fs]!) a.rootPath = a.rootPath!.replace('/oe_edgi_insights_dev', '/edgi/acme');
    expect((await runOne(check, data)).status).toBe('fail');
    const r = await runOne(check, data, config({ expect: { accessPointPrefix: '/edgi/acme' } }));
    expect(r.status).toBe('pass');
    expect(r.findings[2]!.message).toContain('/edgi/acme_store');
  });

  it('accepts a root path with a trailing slash', async () => {
    const data = healthy();
    ap(data, 'fsap-logs').rootPath = '/oe_edgi_insights_dev_logs/';
    expect((await runOne(check, data)).status).toBe('pass');
  });

  it('fails when an access point enforces no POSIX user', async () => {
    const data = healthy();
    delete ap(data, 'fsap-documents').posixUser;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain('Access point fsap-documents (/oe_edgi_insights_dev_documents) enforces no POSIX user');
    expect(bad[0]!.resource).toContain('fsap-documents');
    expect(bad[0]!.expected).toBe('a POSIX user (uid:gid)');
    expect(bad[0]!.found).toBe('no POSIX user');
  });

  it('fails when an access point has no creation info', async () => {
    const data = healthy();
    delete ap(data, 'fsap-logs').creationInfo;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toBe(
      'Access point fsap-logs (/oe_edgi_insights_dev_logs) has no creation info (owner uid/gid and permissions), so EFS does not create /oe_edgi_insights_dev_logs for the tasks.',
    );
    expect(bad.expected).toBe('creation info owner 1000:1000 with permissions such as 0755');
    expect(bad.found).toBe('no creation info');
  });

  it('reports both gaps when the access point has neither POSIX user nor creation info', async () => {
    const data = healthy();
    delete ap(data, 'fsap-logs').posixUser;
    delete ap(data, 'fsap-logs').creationInfo;
    const r = await runOne(check, data);
    expect(r.findings.filter((f) => f.status === 'fail').map((f) => f.found)).toEqual(['no POSIX user', 'no creation info']);
  });

  it('fails when the POSIX user differs from expect.posixUser', async () => {
    const r = await runOne(check, healthy(), config({ expect: { posixUser: { uid: 1001, gid: 1001 } } }));
    expect(r.status).toBe('fail');
    expect(r.findings.every((f) => f.status === 'fail')).toBe(true);
    expect(r.findings[0]!.message).toContain('enforces POSIX user 1000:1000, not 1001:1001 (expect.posixUser)');
    expect(r.findings[0]!.expected).toBe('POSIX user 1001:1001');
    expect(r.findings[0]!.found).toBe('POSIX user 1000:1000');
  });

  it('passes when the POSIX user equals expect.posixUser', async () => {
    const r = await runOne(check, healthy(), config({ expect: { posixUser: { uid: 1000, gid: 1000 } } }));
    expect(r.status).toBe('pass');
  });

  it('fails when the created directory is owned by another user its POSIX user cannot write', async () => {
    const data = healthy();
    ap(data, 'fsap-store').creationInfo = { ownerUid: 0, ownerGid: 0, permissions: '0755' };
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toContain('creates /oe_edgi_insights_dev_store owned by 0:0 with 0755, which its POSIX user 1000:1000 cannot write');
    expect(bad.expected).toBe('owner 1000:1000 (the POSIX user) with owner write permission');
    expect(bad.found).toBe('owner 0:0, permissions 0755');
  });

  it('passes when another owner grants the POSIX user write through group permissions', async () => {
    const data = healthy();
    ap(data, 'fsap-store').creationInfo = { ownerUid: 0, ownerGid: 1000, permissions: '0775' };
    expect((await runOne(check, data)).status).toBe('pass');
  });

  it('fails when the creation permissions are not an octal mode', async () => {
    const data = healthy();
    ap(data, 'fsap-store').creationInfo!.permissions = 'rwxr-xr-x';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((f) => f.status === 'fail')!.found).toBe('rwxr-xr-x');
  });

  it('fails when an access point is not available', async () => {
    const data = healthy();
    ap(data, 'fsap-logs').lifeCycleState = 'error';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toBe('Access point fsap-logs (/oe_edgi_insights_dev_logs) is error, not available.');
    expect(bad.expected).toBe('available');
    expect(bad.found).toBe('error');
  });

  it('passes when a correct access point shares its path with a broken one', async () => {
    const data = healthy();
    const good = ap(data, 'fsap-logs');
    data.accessPoints![IDS.fs]!.unshift({ ...good, id: 'fsap-old', arn: good.arn.replace('fsap-logs', 'fsap-old'), posixUser: undefined });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('fsap-logs');
  });

  it('reports error naming the file system when it does not exist', async () => {
    const data = healthy();
    data.accessPoints = {};
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const f = r.findings[0]!;
    expect(f.message).toBe(`EFS file system ${IDS.fs} (efs.fileSystemId) not found; cannot read its access points.`);
    expect(f.expected).toBe('an existing file system');
    expect(f.found).toBe('none');
  });

  it('fails for every path when the file system has no access points', async () => {
    const data = healthy();
    data.accessPoints = { [IDS.fs]: [] };
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.status)).toEqual(['fail', 'fail', 'fail']);
    expect(r.findings[0]!.found).toBe('no access points');
  });

  errorsWhenDenied(check, 'elasticfilesystem:DescribeAccessPoints');
});
