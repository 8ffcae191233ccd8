import type { Check } from '../engine/check.js';
import { partitionOf, queueArn, type DeploymentFacts } from '../effective/requirements.js';
import { effectivePermissions, needsOf, ROLE_READS, EFFECTIVE_PERMISSION_CODES } from './support/effective-permissions.js';
import { envValue } from '../resolve/env.js';
import { need } from '../resolve/core.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION } from '../resolve/deployment.js';

const check: Check = {
  id: 'task-role-effective-permissions',
  title: 'The AskEdgi ECS task role may do what Insight and Data do, on this deployment\'s resources',
  step: 5,
  severity: 'critical',
  remediation:
    'Grant the AskEdgi ECS task role (runbook step 5, AskEdgi ECS Policy) each missing action on the resource named: fix the policy\'s default version, widen or remove the permissions boundary, or remove the Deny named in the finding. README "Effective permissions" lists what the role needs and why.',
  codes: EFFECTIVE_PERMISSION_CODES,
  permissions: [...ROLE_READS, 'ecs:DescribeTaskDefinition', 'sqs:ListQueues', 'servicediscovery:ListNamespaces', 'servicediscovery:ListServices', 'secretsmanager:DescribeSecret'],
  async run(inv, cfg) {
    // Resolving: what the deployment's resources are (the lead's resolver layer can replace this block).
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    await need(inv, cfg, DATA_TASK_DEFINITION);
    const identity = await inv.identity();
    const env = (name: string) => (insight ? envValue(insight, name) : undefined);
    const pinned = env('TASK_DEFINITION');
    const data = await inv.taskDefinition(pinned ?? cfg.taskDefinitions.data);
    const base = { partition: partitionOf(identity.arn), region: cfg.region!, account: identity.account };
    const prefix = env('SQS_QUEUE_PREFIX');
    const queueUrls = prefix ? await inv.sqsQueues(prefix) : [];
    const namespaceId = env('DNS_NAME_SPACE_ID');
    const cloudMap = namespaceId ? await inv.cloudMapServices(namespaceId) : [];
    const namespace = namespaceId ? (await inv.namespaces()).find((n) => n.id === namespaceId) : undefined;
    const secretName = env('AWS_SCTNAME') ?? (data ? envValue(data, 'AWS_SCTNAME') : undefined);
    // DescribeSecret: the ARN is all the requirement needs (and a secret scheduled for deletion still has one).
    const secret = secretName ? await inv.secretMetadata(secretName) : undefined;
    const tds = [insight, data].filter((t) => t !== undefined);
    const facts: DeploymentFacts = {
      ...base,
      // The deployment's cluster: a wrong CLUSTER_NAME is insight-cluster-exists's finding, not a permission gap.
      cluster: cfg.cluster,
      dataTaskDefinitionArn: data?.arn,
      dataTaskRoleArns: data ? [data.taskRoleArn, data.executionRoleArn].filter((a) => a !== undefined) : undefined,
      cloudMapServiceArns: cloudMap.length > 0 ? cloudMap.map((s) => s.arn) : undefined,
      // A DNS namespace has a hosted zone; an HTTP namespace has none, and Route 53 is not involved.
      hostedZoneIds: !namespace ? undefined : namespace.hostedZoneId ? [namespace.hostedZoneId] : namespace.type === 'HTTP' ? [] : undefined,
      queueArns: queueUrls.length > 0 ? queueUrls.map((u) => queueArn(u, base)) : undefined,
      bucket: env('BUCKET_NAME') ?? (data ? envValue(data, 'BUCKET_NAME') : undefined),
      dbSecretArn: secret?.arn,
      fileSystemIds: [...new Set((insight?.volumes ?? []).filter((v) => v.efs?.iam === 'ENABLED').map((v) => v.efs!.fileSystemId))],
      // Only a FireLens log router writes to CloudWatch with the task role; awslogs uses the execution role.
      logGroups: [...new Set(tds.flatMap((t) => t.containers).filter((c) => c.logConfiguration?.logDriver === 'awsfirelens').flatMap((c) => c.logConfiguration!.options.log_group_name ?? []))],
    };
    const { needs, unresolved } = needsOf('taskRole', cfg, facts, {
      'data-task-definition': `the Data task definition ${pinned ?? cfg.taskDefinitions.data} was not found`,
      queues: prefix ? `no SQS queue is named ${prefix}*` : 'the Insight task definition sets no SQS_QUEUE_PREFIX',
      'hosted-zone': namespaceId ? `the hosted zone of the Cloud Map namespace ${namespaceId} is not known` : 'the Insight task definition sets no DNS_NAME_SPACE_ID',
      'cloud-map-dns': namespaceId ? `the Cloud Map namespace ${namespaceId} was not found` : 'the Insight task definition sets no DNS_NAME_SPACE_ID',
      'cloud-map-services': namespaceId ? `the Cloud Map namespace ${namespaceId} has no services` : 'the Insight task definition sets no DNS_NAME_SPACE_ID',
      bucket: 'no BUCKET_NAME is set on the Insight or Data task definition',
      'bucket-objects': 'no BUCKET_NAME is set on the Insight or Data task definition',
      'db-secret': secretName ? `the secret ${secretName} (AWS_SCTNAME) was not found` : 'no AWS_SCTNAME is set',
    });
    return [...unresolved, ...(await effectivePermissions(inv, cfg, { kind: 'role', id: cfg.iam.taskRole }, needs, facts))];
  },
};

export default check;
