import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/ovaledge-oauth2.js';
import { healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const FAMILIES = ['ovaledge-ui', 'ovaledge-job'];

/** UI and Job with a complete OAuth2 block (OAUTH2_SECRET as a secrets reference). */
function withOauth(): ReturnType<typeof healthy> {
  const data = healthy();
  for (const family of FAMILIES) {
    setEnv(data, family, 'OVALEDGE_SECURITY_TYPE', 'oauth2');
    setEnv(data, family, 'OAUTH2_BASE_URL', 'https://login.acme.example.com');
    setEnv(data, family, 'OAUTH2_CLIENTID', 'acme-client');
    setEnv(data, family, 'OAUTH2_CLIENT_REGISTRATION', 'auth0');
    setEnv(data, family, 'OAUTH2_ROLE_ATTRIBUTE', 'https://acme.example.com/roles');
    latestTd(data, family).containers[0]!.secrets.push({ name: 'OAUTH2_SECRET', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/oauth2' });
  }
  return data;
}

describe('ovaledge-oauth2', () => {
  it('passes saying OAuth2 is not configured for the healthy deployment', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe('OAuth2 not configured (OVALEDGE_SECURITY_TYPE is not set on ovaledge-ui:1 and not set on ovaledge-job:1).');
  });

  it('passes naming another security type', async () => {
    const data = healthy();
    for (const family of FAMILIES) setEnv(data, family, 'OVALEDGE_SECURITY_TYPE', 'saml');
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('OAuth2 not configured (OVALEDGE_SECURITY_TYPE is saml on ovaledge-ui:1');
  });

  it('passes once per task definition with a complete OAuth2 block', async () => {
    const r = await runOne(check, withOauth());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      'Task definition ovaledge-ui:1 uses OAuth2 with a complete, well-formed OAUTH2_* block.',
      'Task definition ovaledge-job:1 uses OAuth2 with a complete, well-formed OAUTH2_* block.',
    ]);
  });

  it('fails on both task definitions when OAUTH2_ROLE_ATTRIBUTE is missing', async () => {
    const data = withOauth();
    for (const family of FAMILIES) setEnv(data, family, 'OAUTH2_ROLE_ATTRIBUTE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad.map((f) => f.message)).toEqual([
      'Task definition ovaledge-ui:1 uses OAuth2 but has no OAUTH2_ROLE_ATTRIBUTE.',
      'Task definition ovaledge-job:1 uses OAuth2 but has no OAUTH2_ROLE_ATTRIBUTE.',
    ]);
    expect(bad[0]!.expected).toBe('OAUTH2_ROLE_ATTRIBUTE set to a URL like https://<domain>/roles');
    expect(bad[0]!.found).toBe('not set');
  });

  it('fails when OAUTH2_ROLE_ATTRIBUTE is still the runbook placeholder', async () => {
    const data = withOauth();
    setEnv(data, 'ovaledge-job', 'OAUTH2_ROLE_ATTRIBUTE', 'https://<Domain_name>/roles');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-job:1 sets OAUTH2_ROLE_ATTRIBUTE still the runbook placeholder');
    expect(f.found).toBe('https://<Domain_name>/roles');
  });

  it('fails when OAUTH2_BASE_URL is not an https URL', async () => {
    const data = withOauth();
    setEnv(data, 'ovaledge-ui', 'OAUTH2_BASE_URL', 'http://login.acme.example.com');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-ui:1 sets OAUTH2_BASE_URL=http://login.acme.example.com, which is not an https URL (the one the development team provides).');
    expect(f.found).toBe('http://login.acme.example.com');
  });

  it('fails when only the UI uses oauth2', async () => {
    const data = withOauth();
    setEnv(data, 'ovaledge-job', 'OVALEDGE_SECURITY_TYPE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-job:1 sets OVALEDGE_SECURITY_TYPE=(not set) while the other OvalEdge task definition uses oauth2');
    expect(f.expected).toBe('OVALEDGE_SECURITY_TYPE=oauth2');
    expect(f.found).toBe('not set');
  });

  it('fails when OAUTH2_SECRET is missing', async () => {
    const data = withOauth();
    const c = latestTd(data, 'ovaledge-ui').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'OAUTH2_SECRET');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.message).toBe('Task definition ovaledge-ui:1 uses OAuth2 but has no OAUTH2_SECRET.');
  });

  it('warns when OAUTH2_SECRET is a plaintext environment variable, without showing it', async () => {
    const data = withOauth();
    const c = latestTd(data, 'ovaledge-job').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'OAUTH2_SECRET');
    c.environment.push({ name: 'OAUTH2_SECRET', value: 'oauth-secret-canary' });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.find((x) => x.status === 'warn')!;
    expect(w.message).toContain('ovaledge-job:1 holds OAUTH2_SECRET in a plaintext environment variable');
    expect(w.expected).toBe('OAUTH2_SECRET from secrets (Secrets Manager valueFrom)');
    expect(JSON.stringify(r)).not.toContain('oauth-secret-canary');
  });

  it('fails when a plaintext OAUTH2_SECRET is still a placeholder, without showing it', async () => {
    const data = withOauth();
    const c = latestTd(data, 'ovaledge-job').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'OAUTH2_SECRET');
    c.environment.push({ name: 'OAUTH2_SECRET', value: '<dev team will provide the URL>' });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-job:1 sets OAUTH2_SECRET still a runbook placeholder.');
    expect(JSON.stringify(r)).not.toContain('dev team will provide');
  });

  it('reports error naming the family when the Job task definition is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('OvalEdge Job task definition family ovaledge-job has no ACTIVE revision');
  });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition');
});
