import type { Check } from '../engine/check.js';
import { partitionOf, queueArn, type DeploymentFacts } from '../effective/requirements.js';
import { effectivePermissions, needsOf, USER_READS, EFFECTIVE_PERMISSION_CODES } from './support/effective-permissions.js';
import { envValue } from '../resolve/env.js';

const check: Check = {
  id: 'edgi-user-effective-permissions',
  title: 'The Edgi IAM user may use the Edgi bucket and queues, through whatever policies reach it',
  step: 4,
  severity: 'critical',
  remediation:
    'Grant the Edgi IAM user (runbook step 4, AskEdgi_policy_Saas) each missing action on the bucket and the queues under EDGI_CLIENT_PREFIX, attached, inline or through a group; fix the policy\'s default version, the permissions boundary or the Deny named in the finding. The OvalEdge UI and Job call S3 and SQS with this user\'s key.',
  codes: EFFECTIVE_PERMISSION_CODES,
  permissions: [...USER_READS, 'ecs:DescribeTaskDefinition', 'sqs:ListQueues'],
  async run(inv, cfg) {
    // Resolving: the bucket and queue prefix the UI and Job use (else the Insight side's).
    const identity = await inv.identity();
    const base = { partition: partitionOf(identity.arn), region: cfg.region!, account: identity.account };
    const tds = (await Promise.all([cfg.taskDefinitions.ui, cfg.taskDefinitions.job, cfg.taskDefinitions.insight].map((f) => inv.taskDefinition(f)))).filter((t) => t !== undefined);
    const first = (...names: string[]) => names.flatMap((n) => tds.flatMap((t) => envValue(t, n) ?? []))[0];
    // The deployment's bucket (BUCKET_NAME); a UI/Job value naming another is bucket-name-consistent's finding.
    const bucket = first('BUCKET_NAME', 'EDGI_BUCKET_NAME');
    const prefix = first('EDGI_CLIENT_PREFIX', 'SQS_QUEUE_PREFIX');
    const queueUrls = prefix ? await inv.sqsQueues(prefix) : [];
    const facts: DeploymentFacts = { ...base, bucket, queueArns: queueUrls.length > 0 ? queueUrls.map((u) => queueArn(u, base)) : undefined };
    const noBucket = 'no EDGI_BUCKET_NAME is set on the UI or Job task definition';
    const { needs, unresolved } = needsOf('edgiUser', cfg, facts, {
      bucket: noBucket,
      'bucket-objects': noBucket,
      queues: prefix ? `no SQS queue is named ${prefix}*` : 'no EDGI_CLIENT_PREFIX is set on the UI or Job task definition',
    });
    return [...unresolved, ...(await effectivePermissions(inv, cfg, { kind: 'user', id: cfg.iam.user }, needs, facts))];
  },
};

export default check;
