import type { Config } from '../config/schema.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Inventory } from '../inventory/types.js';
import { error, fail, pass } from '../engine/finding.js';
import type { Resolved } from './support/insight.js';
import { envEntry, mainContainer, requireTaskDefinition, tdName } from './support/task.js';
import type { Check } from '../engine/check.js';

/** The bucket named by BUCKET_NAME on the Data task definition, with where it was read ("BUCKET_NAME on edgi-data-service:2"). */
export async function dataBucketName(inv: Inventory, cfg: Config): Promise<Resolved<{ name: string; where: string; tdArn: string }>> {
  const td = await requireTaskDefinition(inv, cfg.taskDefinitions.data, 'Data');
  if (!td.ok) return td;
  const where = `BUCKET_NAME on ${tdName(td.value)}`;
  const resource = td.value.arn;
  const entry = envEntry(mainContainer(td.value, cfg.expect.data.container), 'BUCKET_NAME');
  if (!entry) {
    return { ok: false, findings: [fail(`Task definition ${tdName(td.value)} has no BUCKET_NAME, so the Data service has no bucket.`, { resource, expected: 'BUCKET_NAME=<the Edgi S3 bucket>', found: 'not set' })] };
  }
  if (entry.source === 'secrets') {
    return { ok: false, findings: [error(`Task definition ${tdName(td.value)} takes BUCKET_NAME from ${entry.valueFrom}; the bucket name cannot be read to verify it.`, { resource, expected: 'BUCKET_NAME as a plain environment value', found: `secrets reference ${entry.valueFrom}` })] };
  }
  const name = entry.value.trim();
  if (name === '' || looksLikePlaceholder(name)) {
    const why = name === '' ? 'empty' : 'still the runbook placeholder';
    return { ok: false, findings: [fail(`Task definition ${tdName(td.value)} sets BUCKET_NAME to "${name}" (${why}).`, { resource, expected: 'BUCKET_NAME=<the Edgi S3 bucket>', found: name === '' ? 'empty' : name })] };
  }
  return { ok: true, value: { name, where, tdArn: resource } };
}

const check: Check = {
  id: 's3-bucket-exists',
  title: 'The S3 bucket named by BUCKET_NAME on the Data task definition exists',
  step: 3,
  severity: 'critical',
  remediation:
    'Create the S3 bucket for Edgi data (runbook step 3) and set its name in BUCKET_NAME on the Data and Insight task definitions and EDGI_BUCKET_NAME on the UI and Job task definitions; register new revisions and redeploy.',
  needs: ['data-task-definition'],
  permissions: ['ecs:DescribeTaskDefinition', 's3:ListBucket', 's3:GetBucketCORS'],
  async run(inv, cfg) {
    const named = await dataBucketName(inv, cfg);
    if (!named.ok) return named.findings;
    const { name, where } = named.value;
    const bucket = await inv.bucket(name);
    if (!bucket) return [fail(`S3 bucket ${name} (${where}) does not exist.`, { resource: `arn:aws:s3:::${name}`, expected: 'an existing bucket', found: 'none' })];
    if (bucket.region && bucket.region !== cfg.region) return [fail(`S3 bucket ${name} (${where}) is in region ${bucket.region}, not the deployment's region ${cfg.region}.`, { resource: `arn:aws:s3:::${name}`, expected: `a bucket in ${cfg.region}`, found: bucket.region })];
    return [pass(`S3 bucket ${name} (${where}) exists.`, { resource: `arn:aws:s3:::${name}` })];
  },
};

export default check;
