import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-efs-volumes.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import type { CheckResult } from '../../../src/model.js';
import { config, healthy, IDS, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const WHERE = `Task definition ${INSIGHT}:1`;

function volume(data: FixtureData, name: string) {
  const v = latestTd(data, INSIGHT).volumes.find((x) => x.name === name);
  if (!v?.efs) throw new Error(`no EFS volume ${name} in fixture`);
  return v.efs;
}

const failures = (r: CheckResult) => r.findings.filter((f) => f.status === 'fail');

describe('insight-efs-volumes', () => {
  it('passes when the three access points are mounted at LOG_PATH, DOCS_FOLDER and STORE_FOLDER', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `${WHERE} mounts access point fsap-logs (/oe_edgi_insights_dev_logs) at LOG_PATH=/app/logs with transit encryption.`,
      `${WHERE} mounts access point fsap-documents (/oe_edgi_insights_dev_documents) at DOCS_FOLDER=/app/documents with transit encryption.`,
      `${WHERE} mounts access point fsap-store (/oe_edgi_insights_dev_store) at STORE_FOLDER=/app/store with transit encryption.`,
    ]);
  });

  it('passes when the root directory is omitted', async () => {
    const data = healthy();
    delete volume(data, 'logs').rootDirectory;
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails when transit encryption is disabled', async () => {
    const data = healthy();
    volume(data, 'logs').transitEncryption = 'DISABLED';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = failures(r);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({
      message: `${WHERE}: the logs volume at LOG_PATH=/app/logs is wrong: transit encryption is DISABLED, and AWS requires ENABLED with an access point.`,
      expected: `an EFS volume on ${IDS.fs} with access point fsap-logs (/oe_edgi_insights_dev_logs), transit encryption ENABLED, mounted at /app/logs`,
      found: `volume logs: file system ${IDS.fs}, access point fsap-logs, transit encryption DISABLED, root directory /`,
    });
  });

  it('fails on both volumes when their access points are swapped', async () => {
    const data = healthy();
    volume(data, 'logs').accessPointId = 'fsap-documents';
    volume(data, 'documents').accessPointId = 'fsap-logs';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = failures(r);
    expect(bad).toHaveLength(2);
    expect(bad[0]!.message).toContain('the logs volume at LOG_PATH=/app/logs is wrong: it uses access point fsap-documents (/oe_edgi_insights_dev_documents), not fsap-logs (/oe_edgi_insights_dev_logs)');
    expect(bad[1]!.message).toContain('the documents volume at DOCS_FOLDER=/app/documents is wrong: it uses access point fsap-logs');
  });

  it('fails when a volume has no access point', async () => {
    const data = healthy();
    delete volume(data, 'store').accessPointId;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toContain('it uses no access point, not fsap-store');
  });

  it('fails when a volume is on another file system', async () => {
    const data = healthy();
    volume(data, 'store').fileSystemId = 'fs-other';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toContain(`it is on file system fs-other, not ${IDS.fs}`);
  });

  it('fails when a root directory other than / is set with an access point', async () => {
    const data = healthy();
    volume(data, 'documents').rootDirectory = '/documents';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toContain('root directory is /documents, but with an access point it must be omitted or /');
  });

  it('fails when the store volume is mounted at another path than STORE_FOLDER', async () => {
    const data = healthy();
    latestTd(data, INSIGHT).containers[0]!.mountPoints[2]!.containerPath = '/app/data';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = failures(r);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe(`${WHERE}: the store volume at STORE_FOLDER=/app/store is wrong: nothing is mounted at /app/store in container ${INSIGHT}.`);
    expect(bad[0]!.found).toBe('logs at /app/logs, documents at /app/documents, store at /app/data');
  });

  it('fails when STORE_FOLDER points elsewhere than the store mount', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'STORE_FOLDER', '/app/data');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toContain('nothing is mounted at /app/data');
  });

  it('fails when the mount point names a volume that is not defined', async () => {
    const data = healthy();
    latestTd(data, INSIGHT).volumes = latestTd(data, INSIGHT).volumes.filter((v) => v.name !== 'logs');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toContain('volume logs mounted at /app/logs is not defined');
  });

  it('fails when LOG_PATH is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'LOG_PATH', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toBe(`${WHERE} has no plain LOG_PATH, so the path where the logs volume must be mounted is unknown.`);
    expect(failures(r)[0]!.found).toBe('not set');
  });

  it('fails when the step-2 access point does not exist', async () => {
    const data = healthy();
    data.accessPoints![IDS.fs] = data.accessPoints![IDS.fs]!.filter((a) => a.id !== 'fsap-store');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(failures(r)[0]!.message).toBe(`EFS file system ${IDS.fs} has no access point with root path /oe_edgi_insights_dev_store, so the store volume at STORE_FOLDER=/app/store cannot use it.`);
  });

  it('uses expect.accessPointPrefix for the access point paths', async () => {
    const r = await runOne(check, healthy(), config({ expect: { accessPointPrefix: '/oe_edgi_insights_prod' } }));
    expect(r.status).toBe('fail');
    expect(failures(r)).toHaveLength(3);
    expect(failures(r)[0]!.message).toContain('root path /oe_edgi_insights_prod_logs');
  });

  it('reports error when the EFS file system does not exist', async () => {
    const r = await runOne(check, healthy(), config({ efs: { fileSystemId: 'fs-gone' } }));
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe('EFS file system fs-gone not found; the access points of the Insight volumes cannot be verified.');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'elasticfilesystem:DescribeAccessPoints');

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
