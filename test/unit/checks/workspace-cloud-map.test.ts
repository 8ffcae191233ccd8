import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/workspace-cloud-map.js';
import { CM, healthy, runOne, setEnv } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

describe('workspace-cloud-map', () => {
  it('passes when the row joins an instance on its service name', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(
      'Workspace row 1 of user admin is registered in Cloud Map as edgi-data-service.askedgi.local instance edgi-data-service-admin (10.20.1.50).',
    );
  });

  it('joins on the ECS_SERVICE_NAME attribute when the instance id is a task id', async () => {
    const data = healthy();
    data.cloudMapInstances![CM.data] = [{ id: '0f1e2d3c4b5a', attributes: { ECS_SERVICE_NAME: 'edgi-data-service-admin', AWS_INSTANCE_IPV4: '10.20.2.9' } }];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('instance 0f1e2d3c4b5a (10.20.2.9)');
  });

  it('fails on a stale row with no Cloud Map instance', async () => {
    const data = healthy();
    data.cloudMapInstances![CM.data] = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('Workspace row 1 of user admin (edgi-data-service-admin) has no instance in Cloud Map service edgi-data-service.askedgi.local: the row is stale.');
    expect(r.findings[0]!.found).toBe('no instances');
  });

  it('warns on an instance of the user that no row matches', async () => {
    const data = healthy();
    data.cloudMapInstances![CM.data]!.push({ id: 'edgi-data-service-admin-old', attributes: { ECS_SERVICE_NAME: 'x-admin' } });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[1]!.message).toContain('edgi-data-service-admin-old');
  });

  it('fails when the namespace or the data Cloud Map service is missing', async () => {
    const noNs = healthy();
    setEnv(noNs, 'oe_edgi_insights_service', 'EDGI_WORKSPACE_NAME_SPACE', 'other.local');
    expect((await runOne(check, noNs)).findings[0]!.message).toBe('Cloud Map namespace other.local (EDGI_WORKSPACE_NAME_SPACE) not found.');
    const noService = healthy();
    noService.cloudMapServices = noService.cloudMapServices!.filter((s) => s.id !== CM.data);
    const r = await runOne(check, noService);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('has no service edgi-data-service (EDGI_WORKSPACE_HOST)');
  });

  skipsWhenRootFails(check, { ...ROOTS.workspaceRowMissing, exact: true });

  it('reports error naming the permission when Cloud Map cannot be listed', async () => {
    const r = await runOne(check, { ...healthy(), denied: ['servicediscovery:ListInstances'] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('servicediscovery:ListInstances');
  });
});
