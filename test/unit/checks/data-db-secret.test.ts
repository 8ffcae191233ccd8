import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-db-secret.js';
import { type FixtureData } from '../../../src/inventory/fixture.js';
import { ACCOUNT, config, healthy, latestTd, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, errorsWithoutRoot, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const FAMILY = 'edgi-data-service';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-AbCdEf`;
const dbSecret = (data: FixtureData) => data.secrets!.find((s) => s.name === 'acme/db')!;

describe('data-db-secret', () => {
  it('passes when the AWS_SCTNAME secret holds the database keys', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Secret acme/db (${SECRET_ARN}) named by AWS_SCTNAME holds the database keys host, port, username, password.`);
    expect(r.findings[0]!.resource).toBe(SECRET_ARN);
  });

  it('fails (secret-scheduled-for-deletion) naming DeletedDate when the secret is scheduled for deletion', async () => {
    const data = healthy();
    dbSecret(data).deletedDate = '2026-12-09T00:00:00.000Z';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.code).toBe('data-db-secret/secret-scheduled-for-deletion');
    expect(f.message).toBe(
      `Secret acme/db (${SECRET_ARN}) named by AWS_SCTNAME in edgi-data-service:2 is scheduled for deletion on 2026-12-09T00:00:00.000Z; GetSecretValue already refuses it, so tasks that start now cannot read it. Restore it (aws secretsmanager restore-secret).`,
    );
    expect(f.found).toBe('DeletedDate 2026-12-09T00:00:00.000Z');
  });

  it('fails when the secret does not exist', async () => {
    const data = healthy();
    data.secrets = data.secrets!.filter((s) => s.name !== 'acme/db');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe('Secret acme/db named by AWS_SCTNAME in edgi-data-service:2 does not exist in Secrets Manager.');
    expect(f.resource).toBe('acme/db');
    expect(f.expected).toBe('secret acme/db with keys host, port, username, password');
    expect(f.found).toBe('no such secret');
  });

  it('fails naming the missing key names (never values) when password is absent', async () => {
    const data = healthy();
    dbSecret(data).keys = ['host', 'port', 'username', 'dbname'];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`Secret acme/db (${SECRET_ARN}) named by AWS_SCTNAME lacks the database key password.`);
    expect(f.expected).toBe('keys host, port, username, password');
    expect(f.found).toBe('keys host, port, username, dbname');
  });

  it('fails when the secret value is not JSON', async () => {
    const data = healthy();
    dbSecret(data).keys = undefined;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('is not a JSON object');
    expect(r.findings[0]!.found).toBe('not a JSON object');
  });

  it('uses dbSecretKeys from the config', async () => {
    const r = await runOne(check, healthy(), config({ expect: { dbSecretKeys: ['host', 'engine'] } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('lacks the database key engine.');
  });

  it('reports error when AWS_SCTNAME is not set, so the secret cannot be located', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_SCTNAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe('Task definition edgi-data-service:2 has no AWS_SCTNAME; the database secret cannot be located.');
  });

  it('reports error when AWS_SCTNAME is still the placeholder', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_SCTNAME', '<Database secret name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('sets AWS_SCTNAME=<Database secret name>, still the runbook placeholder.');
  });

  it('reports error when AWS_SCTNAME comes from a secrets reference', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'AWS_SCTNAME', undefined);
    latestTd(data, FAMILY).containers[0]!.secrets.push({ name: 'AWS_SCTNAME', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/x' });
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('takes AWS_SCTNAME from a secrets reference');
  });

  errorsWhenDenied(check, 'secretsmanager:GetSecretValue');

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, when: 'the family has no ACTIVE revision', exact: true });

  errorsWithoutRoot(check, {
    what: 'naming the family',
    breakRoot: ROOTS.dataFamilyMissing.breakRoot,
    message: 'Data task definition family edgi-data-service has no ACTIVE revision',
  });
});
