import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/edgi-access-key-owner.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import { ACCESS_KEY_ID, healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const OTHER_KEY = 'AKIAEXAMPLEOTHER0002';

const user = (data: FixtureData) => data.iamUsers![0]!;

describe('edgi-access-key-owner', () => {
  it('passes when the UI and Job carry an Active key of edgi_user', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `Task definition ovaledge-ui:1 sets EDGI_AWS_ACCESS_ID=${ACCESS_KEY_ID}, an Active access key of IAM user edgi_user.`,
      `Task definition ovaledge-job:1 sets EDGI_AWS_ACCESS_ID=${ACCESS_KEY_ID}, an Active access key of IAM user edgi_user.`,
    ]);
  });

  it('fails on both task definitions when the key is Inactive', async () => {
    const data = healthy();
    user(data).accessKeys[0]!.status = 'Inactive';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.filter((f) => f.status === 'fail')).toHaveLength(2);
    const f = r.findings[1]!;
    expect(f.message).toBe(`Task definition ovaledge-job:1 sets EDGI_AWS_ACCESS_ID=${ACCESS_KEY_ID}, an access key of IAM user edgi_user that is Inactive.`);
    expect(f.expected).toBe(`${ACCESS_KEY_ID} Active`);
    expect(f.found).toBe(`${ACCESS_KEY_ID} Inactive`);
  });

  it('fails on the Job only when it carries a key that is not the user\'s', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_ACCESS_ID', OTHER_KEY);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe(`Task definition ovaledge-job:1 sets EDGI_AWS_ACCESS_ID=${OTHER_KEY}, which is not an access key of IAM user edgi_user.`);
    expect(bad[0]!.resource).toBe(latestTd(data, 'ovaledge-job').arn);
    expect(bad[0]!.expected).toBe(`one of: ${ACCESS_KEY_ID} (Active)`);
    expect(bad[0]!.found).toBe(OTHER_KEY);
    expect(r.findings[0]!.status).toBe('pass');
  });

  it('passes with a second Active key when the user has two', async () => {
    const data = healthy();
    user(data).accessKeys.push({ id: OTHER_KEY, status: 'Active' });
    setEnv(data, 'ovaledge-ui', 'EDGI_AWS_ACCESS_ID', OTHER_KEY);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain(`EDGI_AWS_ACCESS_ID=${OTHER_KEY}, an Active access key`);
  });

  it('fails when the user has no access keys at all', async () => {
    const data = healthy();
    user(data).accessKeys = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.expected).toBe('one of: no access keys');
  });

  it('fails when EDGI_AWS_ACCESS_ID is missing on the UI', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_AWS_ACCESS_ID', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-ui:1 has no EDGI_AWS_ACCESS_ID.');
    expect(f.expected).toBe('EDGI_AWS_ACCESS_ID = an Active access key id of IAM user edgi_user');
    expect(f.found).toBe('not set');
  });

  it('fails when EDGI_AWS_ACCESS_ID is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_ACCESS_ID', '<access key>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-job:1 sets EDGI_AWS_ACCESS_ID, but it is still the runbook placeholder <access key>.');
    expect(f.found).toBe('<access key>');
  });

  it('fails when EDGI_AWS_ACCESS_ID is empty', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_ACCESS_ID', '');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.found).toBe('empty');
  });

  it('warns that the key id cannot be verified when it comes from secrets', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_AWS_ACCESS_ID', undefined);
    latestTd(data, 'ovaledge-ui').containers[0]!.secrets.push({ name: 'EDGI_AWS_ACCESS_ID', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/edgi-user:EDGI_AWS_ACCESS_ID::' });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const f = r.findings.find((x) => x.status === 'warn')!;
    expect(f.message).toContain('Task definition ovaledge-ui:1 takes EDGI_AWS_ACCESS_ID from secrets');
    expect(f.message).toContain('cannot be verified offline');
    expect(f.expected).toContain(ACCESS_KEY_ID);
    expect(f.found).toBe('held in a secret');
  });

  it('reads the variable from a sidecar container when the main one lacks it', async () => {
    const data = healthy();
    const td = latestTd(data, 'ovaledge-job');
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_ACCESS_ID', undefined);
    td.containers.push({ ...td.containers[0]!, name: 'sidecar', environment: [{ name: 'EDGI_AWS_ACCESS_ID', value: OTHER_KEY }], secrets: [] });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[1]!.found).toBe(OTHER_KEY);
  });

  it('reports error when the IAM user does not exist', async () => {
    const data = healthy();
    data.iamUsers = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe('IAM user edgi_user not found; cannot verify that EDGI_AWS_ACCESS_ID is one of its access keys.');
    expect(r.findings[0]!.resource).toBe('edgi_user');
  });

  it('reports error naming the family when the Job task definition is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toBe('Task definition family ovaledge-job not found; cannot read EDGI_AWS_ACCESS_ID.');
    expect(r.findings[0]!.status).toBe('pass');
  });

  errorsWhenDenied(check, 'iam:GetUser');

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition');
});
