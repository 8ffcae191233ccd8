import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/no-placeholders.js';
import { healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

describe('no-placeholders', () => {
  it('passes once per task definition for the healthy deployment', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message.split(' has ')[0])).toEqual([
      'Task definition edgi-data-service:2',
      'Task definition oe_edgi_insights_service:1',
      'Task definition ovaledge-ui:1',
      'Task definition ovaledge-job:1',
    ]);
    expect(r.findings[0]!.message).toBe('Task definition edgi-data-service:2 has no runbook placeholder among its 6 variables.');
  });

  it.each([
    ['ovaledge-job', 'EDGI_AWS_REGION', '<Region>'],
    ['edgi-data-service', 'BUCKET_NAME', '<S3 bucket name>'],
    ['oe_edgi_insights_service', 'SQS_QUEUE_PREFIX', '<SQS prefix name>'],
    ['ovaledge-ui', 'EDGI_WORKSPACE_HOST', 'Edgi data task definition family name>'],
  ])('fails on %s %s=%s', async (family, name, value) => {
    const data = healthy();
    setEnv(data, family, name, value);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain(`sets ${name}=${value} (container`);
    expect(bad[0]!.message).toContain('still a runbook placeholder');
    expect(bad[0]!.message).toContain(`${family}:`);
    expect(bad[0]!.expected).toBe(`${name} set to the real value`);
    expect(bad[0]!.found).toBe(value);
  });

  it('fails on a secret placeholder naming only the variable', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'Edgi user secret key>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-job:1 still has the runbook placeholder in secret variable EDGI_AWS_SECRET_KEY');
    expect(f.found).toBe('a runbook placeholder (value not shown)');
    expect(JSON.stringify(r.findings)).not.toContain('Edgi user secret key>');
  });

  it('does not mistake a real secret value for a placeholder', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(JSON.stringify(r)).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    expect(JSON.stringify(r)).not.toContain('canary-secret-value');
  });

  it('fails on a secrets reference that is still a placeholder', async () => {
    const data = healthy();
    latestTd(data, 'ovaledge-ui').containers[0]!.secrets[0]!.valueFrom = '<Bridge user access key>';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-ui:1 takes BRIDGE_AWS_USER_ACCESS_KEY from <Bridge user access key>');
    expect(f.found).toBe('<Bridge user access key>');
  });

  it('reports error naming the family when the UI task definition has no revision', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((x) => x.status === 'error')!;
    expect(e.message).toContain('OvalEdge UI task definition family ovaledge-ui has no ACTIVE revision');
    expect(r.findings.filter((x) => x.status === 'pass')).toHaveLength(3);
  });

  it.each([
    ['edgi-data-service', 'data-task-definition'],
    ['oe_edgi_insights_service', 'insight-task-definition'],
  ])('is skipped when %s has no revision because %s failed', async (family, root) => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== family);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toContain(`because ${root} failed`);
  });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true, skipsWithRoots: true });
});
