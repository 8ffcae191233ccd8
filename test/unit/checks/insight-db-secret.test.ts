import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-db-secret.js';
import { type FixtureData } from '../../../src/inventory/fixture.js';
import { ACCOUNT, healthy, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const DATA = 'edgi-data-service';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-AbCdEf`;
const dbSecret = (data: FixtureData) => data.secrets!.find((s) => s.name === 'acme/db')!;

describe('insight-db-secret', () => {
  it('passes when Insight names the secret Data reads', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Secret acme/db (${SECRET_ARN}, AWS_SCTNAME=acme/db on ${INSIGHT}:1) is the secret Data reads (AWS_SCTNAME=acme/db on ${DATA}:2) and is not scheduled for deletion.`);
    expect(r.findings[0]!.resource).toBe(SECRET_ARN);
  });

  it('passes when one side names the secret by ARN and the other by name', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'AWS_SCTNAME', SECRET_ARN);
    expect((await runOne(check, data)).status).toBe('pass');
  });

  it('fails (secret-other) when Insight names another existing secret', async () => {
    const data = healthy();
    const other = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-old-QwErTy`;
    data.secrets!.push({ name: 'acme/db-old', arn: other, keys: ['host', 'port', 'username', 'password'] });
    setEnv(data, INSIGHT, 'AWS_SCTNAME', 'acme/db-old');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.code).toBe('insight-db-secret/secret-other');
    expect(f.message).toBe(
      `Insight reads secret acme/db-old (${other}, AWS_SCTNAME=acme/db-old on ${INSIGHT}:1) but Data reads acme/db (${SECRET_ARN}) (AWS_SCTNAME=acme/db on ${DATA}:2); both services must use the one database secret.`,
    );
    expect(f.expected).toBe(SECRET_ARN);
    expect(f.found).toBe(other);
  });

  it('fails (secret-missing) when Insight names a secret that does not exist', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'AWS_SCTNAME', 'acme/dbx');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('insight-db-secret/secret-missing');
    expect(r.findings[0]!.message).toBe(`Secret acme/dbx (AWS_SCTNAME=acme/dbx on ${INSIGHT}:1) does not exist in Secrets Manager; the Insight service cannot read the database credentials.`);
    expect(r.findings[0]!.expected).toBe('the secret Data reads (acme/db)');
  });

  it('fails (secret-scheduled-for-deletion) when the secret is scheduled for deletion', async () => {
    const data = healthy();
    dbSecret(data).deletedDate = '2026-12-09T00:00:00.000Z';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('insight-db-secret/secret-scheduled-for-deletion');
    expect(r.findings[0]!.found).toBe('DeletedDate 2026-12-09T00:00:00.000Z');
    expect(r.findings[0]!.resource).toBe(SECRET_ARN);
  });

  it('reports error when Insight has no AWS_SCTNAME (insight-task-env fails on it)', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'AWS_SCTNAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 has no AWS_SCTNAME; the database secret cannot be located.`);
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'secretsmanager:DescribeSecret');
});
