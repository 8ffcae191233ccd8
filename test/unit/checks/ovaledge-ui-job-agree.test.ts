import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/ovaledge-ui-job-agree.js';
import { healthy, latestTd, NAMESPACE, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const container = (data: ReturnType<typeof healthy>, family: string) => latestTd(data, family).containers[0]!;

/** Move a secret variable from `secrets` into plaintext environment (raw here; the fixture inventory redacts it). */
function plaintextSecret(data: ReturnType<typeof healthy>, family: string, name: string, value: string) {
  const c = container(data, family);
  c.secrets = c.secrets.filter((s) => s.name !== name);
  c.environment.push({ name, value });
}

describe('ovaledge-ui-job-agree', () => {
  it('passes for the healthy deployment', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe('Task definitions ovaledge-ui:1 and ovaledge-job:1 agree on 14 step-9 variables.');
  });

  it('fails when a variable is set on the UI but not on the Job', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_WORKSPACE_NAMESPACE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe('EDGI_WORKSPACE_NAMESPACE is set on task definition ovaledge-ui:1 but not on ovaledge-job:1.');
    expect(f.expected).toBe('EDGI_WORKSPACE_NAMESPACE set the same on both');
    expect(f.found).toBe(`ovaledge-ui:1: ${NAMESPACE.name}; ovaledge-job:1: not set`);
  });

  it('fails when plain values differ, showing both', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_CLIENT_PREFIX', 'globex');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('EDGI_CLIENT_PREFIX differs between task definitions ovaledge-ui:1 (globex) and ovaledge-job:1 (acme)');
    expect(f.found).toBe('ovaledge-ui:1: globex; ovaledge-job:1: acme');
  });

  it('compares plaintext secrets by fingerprint and never shows them', async () => {
    const data = healthy();
    plaintextSecret(data, 'ovaledge-ui', 'EDGI_AWS_SECRET_KEY', 'secret-one-value');
    plaintextSecret(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'secret-two-value');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('EDGI_AWS_SECRET_KEY has different secret values on task definitions ovaledge-ui:1 and ovaledge-job:1 (values not shown)');
    expect(f.expected).toBe('the same value on both');
    expect(f.found).toBe('different secret values');
    expect(JSON.stringify(r)).not.toContain('secret-one-value');
    expect(JSON.stringify(r)).not.toContain('secret-two-value');
  });

  it('passes when plaintext secrets have the same value', async () => {
    const data = healthy();
    plaintextSecret(data, 'ovaledge-ui', 'EDGI_AWS_SECRET_KEY', 'same-secret');
    plaintextSecret(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'same-secret');
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(JSON.stringify(r)).not.toContain('same-secret');
  });

  it('fails when both use secrets references to different secrets', async () => {
    const data = healthy();
    container(data, 'ovaledge-job').secrets.find((s) => s.name === 'BRIDGE_AWS_USER_ACCESS_KEY')!.valueFrom = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('BRIDGE_AWS_USER_ACCESS_KEY comes from different secrets');
    expect(f.expected).toBe('the same secrets reference on both');
    expect(f.found).toContain('secret:other');
  });

  it('warns when one side is plaintext and the other a secrets reference', async () => {
    const data = healthy();
    plaintextSecret(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'a-secret');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings[0]!;
    expect(w.message).toContain('EDGI_AWS_SECRET_KEY is a secrets reference on task definition ovaledge-ui:1 but a plaintext secret on ovaledge-job:1');
    expect(w.expected).toBe('EDGI_AWS_SECRET_KEY from the same source on both');
    expect(w.found).toContain('set (secret value not shown)');
    expect(JSON.stringify(r)).not.toContain('a-secret');
  });

  it('passes noting a variable set on neither (ovaledge-edgi-env reports it)', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_ENABLE', undefined);
    setEnv(data, 'ovaledge-job', 'EDGI_ENABLE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('agree on 13 step-9 variables; set on neither (see ovaledge-edgi-env): EDGI_ENABLE.');
  });

  it('reports error naming the family when the Job task definition is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('OvalEdge Job task definition family ovaledge-job has no ACTIVE revision');
    expect(r.findings[0]!.resource).toBe('ovaledge-job');
  });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition');
});
