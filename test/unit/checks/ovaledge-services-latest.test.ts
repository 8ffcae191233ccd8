import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/ovaledge-services-latest.js';
import { config, healthy, runOne, tdArn } from '../../support/fixture-deployment.js';

function addRevision(data: ReturnType<typeof healthy>, family: string, revision: number) {
  const td = data.taskDefinitions!.find((t) => t.family === family)!;
  data.taskDefinitions!.push({ ...td, revision, arn: tdArn(family, revision) });
}

describe('ovaledge-services-latest', () => {
  it('passes once per service for the healthy deployment', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]!.message).toBe('ECS service ovaledge-ui runs ovaledge-ui:1, the latest ACTIVE revision of ovaledge-ui.');
    expect(r.findings[1]!.message).toBe('ECS service ovaledge-job runs ovaledge-job:1, the latest ACTIVE revision of ovaledge-job.');
  });

  it('fails when a newer UI revision was registered but not deployed', async () => {
    const data = healthy();
    addRevision(data, 'ovaledge-ui', 2);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe('ECS service ovaledge-ui runs ovaledge-ui:1, not the latest ACTIVE revision ovaledge-ui:2.');
    expect(bad[0]!.expected).toBe(tdArn('ovaledge-ui', 2));
    expect(bad[0]!.found).toBe(tdArn('ovaledge-ui', 1));
    expect(r.findings.find((f) => f.status === 'pass')!.message).toContain('ovaledge-job');
  });

  it('fails when the PRIMARY deployment of the Job runs an older revision', async () => {
    const data = healthy();
    addRevision(data, 'ovaledge-job', 2);
    data.services!.find((s) => s.name === 'ovaledge-job')!.taskDefinition = tdArn('ovaledge-job', 2);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('The PRIMARY deployment ecs-svc/ovaledge-job of ECS service ovaledge-job runs ovaledge-job:1');
    expect(f.expected).toBe(tdArn('ovaledge-job', 2));
  });

  it('fails when the Job service is missing', async () => {
    const data = healthy();
    data.services = data.services!.filter((s) => s.name !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('OvalEdge Job ECS service ovaledge-job not found in cluster acme.');
    expect(f.expected).toBe('an ACTIVE service');
    expect(f.found).toBe('none');
  });

  it('fails when the UI service is INACTIVE (deleted)', async () => {
    const data = healthy();
    data.services!.find((s) => s.name === 'ovaledge-ui')!.status = 'INACTIVE';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.found).toBe('INACTIVE');
  });

  it('uses the configured service and family names', async () => {
    const data = healthy();
    data.services!.find((s) => s.name === 'ovaledge-ui')!.name = 'acme-ui';
    const r = await runOne(check, data, config({ services: { ui: 'acme-ui' } }));
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('ECS service acme-ui runs ovaledge-ui:1');
  });

  it('reports error naming the family when the UI task definition has no revision', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((x) => x.status === 'error')!;
    expect(e.message).toContain('OvalEdge UI task definition family ovaledge-ui has no ACTIVE revision');
    expect(e.resource).toBe('ovaledge-ui');
  });

  it.each(['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'])('reports error naming %s when it is denied', async (action) => {
    const r = await runOne(check, { ...healthy(), denied: [action] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain(`the caller lacks permission ${action}`);
  });
});
