import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/task-secret-references.js';
import { parseValueFrom } from '../../../src/resolve/value-from.js';
import { type FixtureData } from '../../../src/inventory/fixture.js';
import { ACCOUNT, healthy, latestTd, REGION, runOne } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails, errorsWhenDenied } from '../../support/common-cases.js';

const USER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/edgi-user`;
const JOB = 'ovaledge-job';
const ref = (data: FixtureData, family: string, name: string, valueFrom: string) => {
  const c = latestTd(data, family).containers[0]!;
  c.secrets = c.secrets.filter((s) => s.name !== name);
  c.secrets.push({ name, valueFrom });
};

describe('task-secret-references', () => {
  it('passes per task definition, naming the references it resolved', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      'Data task definition edgi-data-service:2 takes no variables from secrets.',
      'Insight task definition oe_edgi_insights_service:1 takes no variables from secrets.',
      'UI task definition ovaledge-ui:1: 3 secrets references (BRIDGE_AWS_USER_ACCESS_KEY, BRIDGE_AWS_USER_SECRET_KEY, EDGI_AWS_SECRET_KEY) each name an existing secret or parameter.',
      'Job task definition ovaledge-job:1: 3 secrets references (BRIDGE_AWS_USER_ACCESS_KEY, BRIDGE_AWS_USER_SECRET_KEY, EDGI_AWS_SECRET_KEY) each name an existing secret or parameter.',
    ]);
  });

  it('reads valueFrom as ECS does', () => {
    expect(parseValueFrom(`${USER_SECRET}-AbCdEf:EDGI_AWS_SECRET_KEY::`)).toEqual({ kind: 'secretsmanager', secretArn: `${USER_SECRET}-AbCdEf`, region: REGION, jsonKey: 'EDGI_AWS_SECRET_KEY' });
    expect(parseValueFrom(USER_SECRET)).toEqual({ kind: 'secretsmanager', secretArn: USER_SECRET, region: REGION });
    expect(parseValueFrom(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/edgi/key`)).toEqual({ kind: 'ssm', names: ['/acme/edgi/key'], region: REGION });
    expect(parseValueFrom(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/edgi-key`)).toEqual({ kind: 'ssm', names: ['edgi-key', '/edgi-key'], region: REGION });
    expect(parseValueFrom('/acme/edgi/key')).toEqual({ kind: 'ssm', names: ['/acme/edgi/key'] });
    expect(parseValueFrom(`arn:aws:s3:::acme/key`)).toEqual({ kind: 'unknown' });
  });

  it('passes with a JSON key of a secret and an SSM parameter by ARN and by name', async () => {
    const data = healthy();
    data.ssmParameters = [{ name: '/acme/edgi/access-key', type: 'SecureString' }];
    ref(data, JOB, 'EDGI_AWS_SECRET_KEY', `${USER_SECRET}:EDGI_AWS_SECRET_KEY::`);
    ref(data, JOB, 'BRIDGE_AWS_USER_ACCESS_KEY', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/edgi/access-key`);
    ref(data, JOB, 'BRIDGE_AWS_USER_SECRET_KEY', '/acme/edgi/access-key');
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails (parameter-missing) when an SSM parameter does not exist', async () => {
    const data = healthy();
    const arn = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/edgi/access-key`;
    ref(data, JOB, 'BRIDGE_AWS_USER_ACCESS_KEY', arn);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.code).toBe('task-secret-references/parameter-missing');
    expect(f.message).toBe(`BRIDGE_AWS_USER_ACCESS_KEY of container ${JOB} in ${JOB}:1 takes its value from SSM parameter /acme/edgi/access-key, which does not exist; ECS cannot start the task.`);
    expect(f.resource).toBe(arn);
  });

  it('fails (json-key-missing) when the JSON key is not in the secret, listing its keys', async () => {
    const data = healthy();
    ref(data, JOB, 'OAUTH2_SECRET', `${USER_SECRET}:OAUTH2_SECRET::`);
    const r = await runOne(check, data);
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.code).toBe('task-secret-references/json-key-missing');
    expect(f.message).toBe(`OAUTH2_SECRET of container ${JOB} in ${JOB}:1 takes JSON key OAUTH2_SECRET of secret acme/edgi-user (${USER_SECRET}), which has no such key; ECS cannot start the task.`);
    expect(f.found).toBe('keys EDGI_AWS_SECRET_KEY');
  });

  it('fails (secret-missing) when the secret ARN names no secret', async () => {
    const data = healthy();
    ref(data, JOB, 'EDGI_AWS_SECRET_KEY', `${USER_SECRET}-gone:EDGI_AWS_SECRET_KEY::`);
    const r = await runOne(check, data);
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.code).toBe('task-secret-references/secret-missing');
    expect(f.resource).toBe(`${USER_SECRET}-gone`);
  });

  it('fails (secret-scheduled-for-deletion) when the referenced secret is scheduled for deletion', async () => {
    const data = healthy();
    data.secrets!.find((s) => s.name === 'acme/edgi-user')!.deletedDate = '2026-12-09T00:00:00.000Z';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.filter((x) => x.code === 'task-secret-references/secret-scheduled-for-deletion')).toHaveLength(6);
  });

  it('warns (other-region, unrecognised-reference) where it cannot verify, never fails', async () => {
    const data = healthy();
    ref(data, JOB, 'EDGI_AWS_SECRET_KEY', USER_SECRET.replace(REGION, 'eu-west-1'));
    ref(data, JOB, 'BRIDGE_AWS_USER_ACCESS_KEY', 'arn:aws:s3:::acme/key');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings.filter((x) => x.status === 'warn').map((x) => x.code).sort()).toEqual(['task-secret-references/other-region', 'task-secret-references/unrecognised-reference']);
  });

  it('reports error when the UI family is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings.find((x) => x.status === 'error')!.message).toBe('UI task definition family ovaledge-ui not found; its secrets references cannot be read.');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'secretsmanager:DescribeSecret');
});
