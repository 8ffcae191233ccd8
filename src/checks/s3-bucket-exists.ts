import { pass } from '../engine/finding.js';
import { resolve } from '../resolve/core.js';
import { DATA_BUCKET, DATA_BUCKET_CODES } from '../resolve/deployment.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 's3-bucket-exists',
  title: 'The S3 bucket named by BUCKET_NAME on the Data task definition exists',
  step: 3,
  severity: 'critical',
  remediation:
    'Create the S3 bucket for Edgi data (runbook step 3) and set its name in BUCKET_NAME on the Data and Insight task definitions and EDGI_BUCKET_NAME on the UI and Job task definitions; register new revisions and redeploy.',
  codes: DATA_BUCKET_CODES,
  permissions: ['ecs:DescribeTaskDefinition', 's3:ListBucket', 's3:GetBucketCORS'],
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, DATA_BUCKET);
    if (!r.ok) return r.findings;
    const { name, where } = r.value;
    return [pass(`S3 bucket ${name} (${where}) exists.`, { resource: `arn:aws:s3:::${name}` })];
  },
};

export default check;
