import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/bucket-name-consistent.js';
import { BUCKET, healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const CANARY = 'canary-secret-value';

describe('bucket-name-consistent', () => {
  it('passes with one finding per place when all four name the same bucket', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(r.findings[0]!.message).toBe(
      `Task definition edgi-data-service:2 sets BUCKET_NAME=${BUCKET}, the same bucket as BUCKET_NAME on oe_edgi_insights_service:1, EDGI_BUCKET_NAME on ovaledge-ui:1, EDGI_BUCKET_NAME on ovaledge-job:1.`,
    );
    expect(r.findings[2]!.message).toContain(`ovaledge-ui:1 sets EDGI_BUCKET_NAME=${BUCKET}`);
  });

  it('fails the UI, quoting the value, when its EDGI_BUCKET_NAME has a trailing space', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', `${BUCKET} `);
    const r = await runOne(check, data);
    const failing = r.findings.filter((f) => f.status === 'fail');
    expect(failing).toHaveLength(1);
    expect(failing[0]!.found).toBe(`"${BUCKET} "`);
  });

  it('fails only the UI when its EDGI_BUCKET_NAME names another bucket', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', 'acme-staging');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'fail', 'pass']);
    const f = r.findings[2]!;
    expect(f.message).toBe(
      `Task definition ovaledge-ui:1 sets EDGI_BUCKET_NAME=acme-staging, not ${BUCKET} as BUCKET_NAME on edgi-data-service:2, BUCKET_NAME on oe_edgi_insights_service:1, EDGI_BUCKET_NAME on ovaledge-job:1.`,
    );
    expect(f.resource).toBe(latestTd(data, 'ovaledge-ui').arn);
    expect(f.expected).toBe(BUCKET);
    expect(f.found).toBe('acme-staging');
  });

  it('fails only the Data task definition when it is the odd one out', async () => {
    const data = healthy();
    setEnv(data, 'edgi-data-service', 'BUCKET_NAME', 'acme-old');
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.status)).toEqual(['fail', 'pass', 'pass', 'pass']);
    expect(r.findings[0]!.expected).toBe(BUCKET);
    expect(r.findings[0]!.found).toBe('acme-old');
  });

  it('takes the Data side as the reference on a two-two split', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', 'acme-staging');
    setEnv(data, 'ovaledge-job', 'EDGI_BUCKET_NAME', 'acme-staging');
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'fail', 'fail']);
    expect(r.findings[3]!.expected).toBe(BUCKET);
  });

  it('fails every place when all four differ', async () => {
    const data = healthy();
    setEnv(data, 'oe_edgi_insights_service', 'BUCKET_NAME', 'b');
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', 'c');
    setEnv(data, 'ovaledge-job', 'EDGI_BUCKET_NAME', 'd');
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.status)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(r.findings[0]!.message).toContain('no other task definition names the same bucket');
  });

  it('says when a differing value is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_BUCKET_NAME', '<S3 bucket name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[3]!;
    expect(f.message).toContain('EDGI_BUCKET_NAME=<S3 bucket name> (still the runbook placeholder)');
    expect(f.found).toBe('<S3 bucket name>');
  });

  it('fails naming the variable when one place does not set it', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_BUCKET_NAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[3]!;
    expect(f.message).toBe('Task definition ovaledge-job:1 has no EDGI_BUCKET_NAME, so the Job side names no bucket.');
    expect(f.expected).toBe(`EDGI_BUCKET_NAME=${BUCKET}`);
    expect(f.found).toBe('not set');
  });

  it('reports error for the place whose task definition is missing, and still compares the others', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass', 'error']);
    const e = r.findings[3]!;
    expect(e.message).toBe('Job task definition family ovaledge-job not found; cannot read EDGI_BUCKET_NAME.');
    expect(e.resource).toBe('ovaledge-job');
  });

  it('reports error when a bucket name comes from a secrets reference', async () => {
    const data = healthy();
    const c = latestTd(data, 'ovaledge-ui').containers[0]!;
    c.environment = c.environment.filter((e) => e.name !== 'EDGI_BUCKET_NAME');
    c.secrets.push({ name: 'EDGI_BUCKET_NAME', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bucket' });
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[2]!.message).toContain('ovaledge-ui:1 takes EDGI_BUCKET_NAME from arn:aws:secretsmanager');
  });

  skipsWhenRootFails(check, ROOTS.dataFamilyMissing);

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });

  it('never carries a secret value into its result', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', 'acme-staging');
    expect(JSON.stringify(data)).toContain(CANARY);
    const r = await runOne(check, data);
    expect(r.findings.some((f) => f.message.includes('ovaledge-ui:1'))).toBe(true);
    expect(JSON.stringify(r)).not.toContain(CANARY);
  });
});
