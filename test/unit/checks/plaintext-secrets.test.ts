import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/plaintext-secrets.js';
import { type FixtureData } from '../../../src/inventory/fixture.js';
import { healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenDenied, skipsWhenRootFails } from '../../support/common-cases.js';

const CANARY = 'canary-secret-value';

/** The healthy fixture without its deliberate plaintext canary on the UI. */
function clean(): FixtureData {
  const data = healthy();
  setEnv(data, 'ovaledge-ui', 'OPENAI_API_KEY_CANARY', undefined);
  return data;
}

describe('plaintext-secrets', () => {
  it('passes when every secret-looking variable comes from secrets', async () => {
    const r = await runOne(check, clean());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(4);
    expect(r.findings.map((f) => f.message)).toEqual([
      'Task definition edgi-data-service:2 holds no secret-looking variable in plaintext environment.',
      'Task definition oe_edgi_insights_service:1 holds no secret-looking variable in plaintext environment.',
      'Task definition ovaledge-ui:1 holds no secret-looking variable in plaintext environment (3 variable(s) come from secrets).',
      'Task definition ovaledge-job:1 holds no secret-looking variable in plaintext environment (3 variable(s) come from secrets).',
    ]);
  });

  it('warns naming the plaintext variable and never carries its value', async () => {
    const data = healthy();
    expect(JSON.stringify(data)).toContain(CANARY);
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.filter((f) => f.status === 'warn');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toBe(
      'Task definition ovaledge-ui:1 holds OPENAI_API_KEY_CANARY in plaintext environment of container ovaledge-ui; use secrets.valueFrom (Secrets Manager) or the task role instead.',
    );
    expect(w[0]!.resource).toBe(latestTd(data, 'ovaledge-ui').arn);
    expect(w[0]!.expected).toBe('OPENAI_API_KEY_CANARY from secrets (valueFrom)');
    expect(w[0]!.found).toBe('OPENAI_API_KEY_CANARY in plaintext environment');
    expect(JSON.stringify(r)).not.toContain(CANARY);
  });

  it('warns once per variable and says when a value looks like a long-term key id', async () => {
    const data = clean();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_SECRET_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    setEnv(data, 'ovaledge-job', 'BRIDGE_AWS_USER_ACCESS_KEY', 'AKIAEXAMPLEBRIDGE001');
    setEnv(data, 'edgi-data-service', 'DB_PASSWORD', 'hunter2-not-shown');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.filter((f) => f.status === 'warn');
    expect(w.map((f) => f.message.split(' in plaintext')[0])).toEqual([
      'Task definition edgi-data-service:2 holds DB_PASSWORD',
      'Task definition ovaledge-job:1 holds EDGI_AWS_SECRET_KEY',
      'Task definition ovaledge-job:1 holds BRIDGE_AWS_USER_ACCESS_KEY',
    ]);
    expect(w[2]!.message).toContain('(its value looks like a long-term access key id)');
    expect(w[1]!.message).not.toContain('long-term');
    // The two task definitions without plaintext secrets still pass.
    expect(r.findings.filter((f) => f.status === 'pass')).toHaveLength(2);
    const text = JSON.stringify(r);
    for (const value of ['wJalrXUtnFEMI', 'AKIAEXAMPLEBRIDGE001', 'hunter2']) expect(text).not.toContain(value);
  });

  it('does not count CREDENTIAL_TYPE or EDGI_CONSUMER_CREDENTIAL_TYPE as secrets', async () => {
    const data = clean();
    expect(latestTd(data, 'edgi-data-service').containers[0]!.environment.some((e) => e.name === 'CREDENTIAL_TYPE')).toBe(true);
    expect(latestTd(data, 'ovaledge-job').containers[0]!.environment.some((e) => e.name === 'EDGI_CONSUMER_CREDENTIAL_TYPE')).toBe(true);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('does not flag names that only contain KEY/TOKEN as a word part or name something about a secret', async () => {
    const data = clean();
    for (const [n, v] of [['MONKEY_COUNT', '3'], ['TOKEN_TTL', '3600'], ['KEYCLOAK_URL', 'https://kc.example/auth'], ['DB_SECRET_NAME', 'askedgi/db']] as const) setEnv(data, 'ovaledge-ui', n, v);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('flags a credential in the value of any variable: a password in a URL, a token', async () => {
    const data = clean();
    setEnv(data, 'ovaledge-ui', 'JDBC_CONNECTION', 'mysql://edgi:url-pw-4242@db.internal:3306/ovaledgedb');
    setEnv(data, 'ovaledge-job', 'NOTIFY_HOOK', 'xoxb-123456789012-abcdefghijkl');
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_ACCESS_ID', 'AKIAEXAMPLEBRIDGE001');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.filter((f) => f.status === 'warn');
    expect(w.map((f) => f.message)).toEqual([
      'Task definition ovaledge-ui:1 holds JDBC_CONNECTION in plaintext environment of container ovaledge-ui (its value looks like a credential: a password in a URL or a token); use secrets.valueFrom (Secrets Manager) or the task role instead.',
      'Task definition ovaledge-job:1 holds NOTIFY_HOOK in plaintext environment of container ovaledge-job (its value looks like a credential: a password in a URL or a token); use secrets.valueFrom (Secrets Manager) or the task role instead.',
    ]);
    const text = JSON.stringify(r);
    for (const value of ['url-pw-4242', 'abcdefghijkl']) expect(text).not.toContain(value);
  });

  it('inspects every container of a task definition', async () => {
    const data = clean();
    const td = latestTd(data, 'oe_edgi_insights_service');
    td.containers.push({ ...td.containers[0]!, name: 'sidecar', environment: [{ name: 'API_TOKEN', value: 'tok-123' }], secrets: [] });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings.find((f) => f.status === 'warn')!.message).toContain('oe_edgi_insights_service:1 holds API_TOKEN in plaintext environment of container sidecar');
  });

  it('reports error naming the family when the Job task definition is missing', async () => {
    const data = clean();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toBe('Job task definition family ovaledge-job not found; cannot inspect its environment.');
    expect(e.resource).toBe('ovaledge-job');
  });

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, base: clean });

  skipsWhenRootFails(check, { ...ROOTS.insightFamilyMissing, base: clean });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true, base: clean });

  skipsWhenDenied(check, 'ecs:DescribeTaskDefinition', 'data-task-definition', { base: clean });
});
