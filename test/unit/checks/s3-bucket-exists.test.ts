import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/s3-bucket-exists.js';
import { BUCKET, healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const DATA = 'edgi-data-service';

describe('s3-bucket-exists', () => {
  it('passes when the bucket named by BUCKET_NAME on the latest Data revision exists', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`S3 bucket ${BUCKET} (BUCKET_NAME on ${DATA}:2) exists.`);
    expect(r.findings[0]!.resource).toBe(`arn:aws:s3:::${BUCKET}`);
  });

  it('fails quoting BUCKET_NAME when white space surrounds it: the service reads the value as it is', async () => {
    const data = healthy();
    setEnv(data, 'edgi-data-service', 'BUCKET_NAME', `${BUCKET} `);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe(`Task definition edgi-data-service:2 sets BUCKET_NAME="${BUCKET} " with white space around the value; the service reads it as is, so it names nothing that exists.`);
    expect(r.findings[0]!.found).toBe(`"${BUCKET} "`);
  });

  it('fails naming the bucket when it does not exist', async () => {
    const data = healthy();
    data.buckets = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`S3 bucket ${BUCKET} (BUCKET_NAME on ${DATA}:2) does not exist.`);
    expect(f.expected).toBe('an existing bucket');
    expect(f.found).toBe('none');
  });

  it('fails when BUCKET_NAME names another bucket than the one that exists', async () => {
    const data = healthy();
    setEnv(data, DATA, 'BUCKET_NAME', 'acme-typo');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('S3 bucket acme-typo (BUCKET_NAME on edgi-data-service:2) does not exist');
  });

  it('fails naming the variable when BUCKET_NAME is not set', async () => {
    const data = healthy();
    setEnv(data, DATA, 'BUCKET_NAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe(`Task definition ${DATA}:2 has no BUCKET_NAME; the Data service has no bucket.`);
    expect(f.resource).toBe(latestTd(data, DATA).arn);
    expect(f.expected).toBe('BUCKET_NAME=<the Edgi S3 bucket>');
    expect(f.found).toBe('not set');
  });

  it('fails when BUCKET_NAME is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, DATA, 'BUCKET_NAME', '<Bucket name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('sets BUCKET_NAME=<Bucket name>, still the runbook placeholder.');
    expect(f.found).toBe('<Bucket name>');
  });

  it('fails when BUCKET_NAME is empty', async () => {
    const data = healthy();
    setEnv(data, DATA, 'BUCKET_NAME', ' ');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.found).toBe('empty');
  });

  it('reports error when BUCKET_NAME comes from a secret it cannot read', async () => {
    const data = healthy();
    const c = latestTd(data, DATA).containers[0]!;
    c.environment = c.environment.filter((e) => e.name !== 'BUCKET_NAME');
    c.secrets.push({ name: 'BUCKET_NAME', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bucket' });
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings.find((x) => x.status === 'error')!.message).toContain('takes BUCKET_NAME from a secrets reference (arn:aws:secretsmanager');
  });

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, when: 'the Data family has no ACTIVE revision' });

  errorsWhenDenied(check, 's3:ListBucket', { mentions: [`S3 bucket ${BUCKET}`] });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
