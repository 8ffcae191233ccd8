import { expect, it } from 'vitest';
import check from '../../../src/checks/data-task-env.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, runOne, setEnv, tdArn } from '../../support/fixture-deployment.js';
import { fails, roleTd, taskEnvSuite } from '../../support/task-shape-cases.js';

const FAMILY = 'edgi-data-service';
const td = (data: FixtureData) => roleTd(data, 'data');

taskEnvSuite(check, 'data', () => {
  it('passes with every step-6 variable and the fixed values', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(
      'Task definition edgi-data-service:2 sets all 6 runbook variables, with CREDENTIAL_TYPE=container, DEPLOYMENT_TYPE=ecs, ENV=production.',
    );
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 2));
  });

  it('fails when CREDENTIAL_TYPE is static, with expected and found', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'CREDENTIAL_TYPE', 'static');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = fails(r);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe('Task definition edgi-data-service:2 sets CREDENTIAL_TYPE=static; the runbook sets container.');
    expect(bad[0]!.expected).toBe('CREDENTIAL_TYPE=container');
    expect(bad[0]!.found).toBe('CREDENTIAL_TYPE=static');
  });

  it('reports each mismatch separately', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'DEPLOYMENT_TYPE', 'k8s');
    setEnv(data, FAMILY, 'ENV', 'prod');
    const r = await runOne(check, data);
    expect(fails(r).map((f) => f.found)).toEqual(['DEPLOYMENT_TYPE=k8s', 'ENV=prod']);
  });

  it('fails when a required variable is missing', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'BUCKET_NAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = fails(r)[0]!;
    expect(f.message).toBe('Task definition edgi-data-service:2 has no BUCKET_NAME.');
    expect(f.expected).toBe('BUCKET_NAME set');
    expect(f.found).toBe('not set');
  });

  it('fails when a fixed variable is missing, expecting its value', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'DEPLOYMENT_TYPE', undefined);
    const r = await runOne(check, data);
    expect(fails(r)[0]!.expected).toBe('DEPLOYMENT_TYPE=ecs');
  });

  it('fails when a variable is empty', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_SCTNAME', '  ');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.message).toBe('Task definition edgi-data-service:2 sets AWS_SCTNAME to an empty value.');
    expect(fails(r)[0]!.found).toBe('empty');
  });

  it('fails when a variable is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_REGION', '<Region>');
    setEnv(data, FAMILY, 'BUCKET_NAME', 'Bucket name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = fails(r);
    expect(bad.map((f) => f.message)).toEqual([
      'Task definition edgi-data-service:2 still has the runbook placeholder in AWS_REGION.',
      'Task definition edgi-data-service:2 still has the runbook placeholder in BUCKET_NAME.',
    ]);
    expect(bad[0]!.found).toBe('AWS_REGION=<Region>');
    expect(bad[0]!.expected).toBe("AWS_REGION set to the deployment's value");
  });

  it('accepts a required variable given as a secrets reference', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_SCTNAME', undefined);
    td(data).containers[0]!.secrets.push({ name: 'AWS_SCTNAME', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db-secret-name' });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('warns when a fixed-value variable comes from a secret and cannot be compared', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'ENV', undefined);
    td(data).containers[0]!.secrets.push({ name: 'ENV', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/env' });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('takes ENV from Secrets Manager');
    expect(r.findings[0]!.expected).toBe('ENV=production in environment');
    expect(r.findings[0]!.found).toBe('ENV from arn:aws:ssm:us-east-1:123456789012:parameter/env');
  });

  it('compares a secret-named fixed value by fingerprint and never prints it', async () => {
    const cfg = config({ expect: { data: { env: { CREDENTIAL_TYPE: 'container', DEPLOYMENT_TYPE: 'ecs', ENV: 'production', API_TOKEN: 'expected-token-value' } } } });
    const data = healthy();
    setEnv(data, FAMILY, 'API_TOKEN', 'expected-token-value');
    expect((await runOne(check, data, cfg)).status).toBe('pass');
    setEnv(data, FAMILY, 'API_TOKEN', 'leaked-actual-token');
    const r = await runOne(check, data, cfg);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.message).toBe("Task definition edgi-data-service:2 sets API_TOKEN to a value other than the runbook's expected-token-value (value redacted).");
    expect(fails(r)[0]!.found).toBe('API_TOKEN=<redacted, differs>');
    expect(JSON.stringify(r)).not.toContain('leaked-actual-token');
  });

  it('never prints a secret placeholder value', async () => {
    const cfg = config({ expect: { data: { requiredEnv: ['DB_PASSWORD'] } } });
    const data = healthy();
    setEnv(data, FAMILY, 'DB_PASSWORD', '<db password of acme-secret>');
    const r = await runOne(check, data, cfg);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.found).toBe('a placeholder (value redacted)');
    expect(JSON.stringify(r)).not.toContain('acme-secret');
  });
});
