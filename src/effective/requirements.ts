// What each AskEdgi principal must be able to do, as data (README "Effective permissions").
// The runbook names "AskEdgi ECS Policy JSON" and AskEdgi_policy_Saas without showing them, so the
// lists below come from what the services demonstrably do; `permissions.<principal>` in the config
// replaces a list for a deployment that differs. A requirement names its resource by kind; the
// kinds are turned into the deployment's ARNs (partition, region, account) by `resourcesFor`.

import { parseValueFrom } from '../resolve/value-from.js';

export const RESOURCE_KINDS = [
  /** The Data task definition Insight launches (the revision TASK_DEFINITION pins). */
  'data-task-definition',
  /** Any task in the cluster (task/<cluster>/*): the tasks Insight stops and describes. */
  'cluster-tasks',
  /** The task role and execution role of the Data task definition (iam:PassRole). */
  'data-task-roles',
  /** The Cloud Map services of the Insight namespace (DNS_NAME_SPACE_ID). */
  'cloud-map-services',
  /** The Route 53 hosted zone of the Insight namespace (a DNS namespace; none for an HTTP namespace). */
  'hosted-zone',
  /** What Cloud Map does for the caller in a DNS namespace without resource scoping ('*'); none for an HTTP namespace. */
  'cloud-map-dns',
  /** The SQS queues named SQS_QUEUE_PREFIX*. */
  'queues',
  /** The bucket itself (arn:…:s3:::bucket). */
  'bucket',
  /** The bucket's objects (arn:…:s3:::bucket/*). */
  'bucket-objects',
  /** The AWS_SCTNAME secret. */
  'db-secret',
  /** The EFS file system of the Insight volumes (only when a volume uses IAM authorization). */
  'file-system',
  /** The awslogs / FireLens CloudWatch log groups of the task definition's containers. */
  'log-groups',
  /** ECR repositories of the containers' images (none when the images are not in ECR). */
  'ecr-repositories',
  /** Secrets Manager secrets named by `secrets[].valueFrom`. */
  'secret-references',
  /** SSM parameters named by `secrets[].valueFrom`. */
  'parameter-references',
  /** Actions without resource-level permissions. */
  'any',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface Requirement {
  actions: string[];
  resource: ResourceKind;
  /** Why the service needs it (shown in findings and `explain`). */
  why: string;
}

export type Principal = 'taskRole' | 'executionRole' | 'edgiUser';

export const PRINCIPAL_LABEL: Record<Principal, string> = {
  taskRole: 'AskEdgi ECS task role',
  executionRole: 'task execution role',
  edgiUser: 'Edgi IAM user',
};

export const DEFAULT_REQUIREMENTS: Record<Principal, readonly Requirement[]> = {
  taskRole: [
    { actions: ['ecs:RunTask'], resource: 'data-task-definition', why: 'Insight launches a Data task per workspace from the pinned Data revision' },
    { actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resource: 'cluster-tasks', why: 'Insight stops and watches the Data tasks it launched' },
    { actions: ['iam:PassRole'], resource: 'data-task-roles', why: 'launching a Data task passes its task and execution roles' },
    {
      actions: ['servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance'],
      resource: 'cloud-map-services',
      why: 'Insight registers and removes each workspace\'s Data instance in the namespace',
    },
    // AWS Cloud Map API permissions reference: RegisterInstance and DeregisterInstance in a DNS namespace
    // also need these of the caller (Cloud Map writes the instance's records and health check in Route 53).
    { actions: ['route53:ChangeResourceRecordSets'], resource: 'hosted-zone', why: 'Cloud Map writes each workspace instance\'s DNS records into the namespace\'s hosted zone with the caller\'s permissions' },
    {
      actions: ['route53:CreateHealthCheck', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'ec2:DescribeInstances'],
      resource: 'cloud-map-dns',
      why: 'Cloud Map\'s RegisterInstance and DeregisterInstance in a DNS namespace require them of the caller (AWS Cloud Map API permissions reference)',
    },
    { actions: ['servicediscovery:DiscoverInstances', 'servicediscovery:GetOperation'], resource: 'any', why: 'Insight finds workspaces and waits for registrations' },
    {
      actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl'],
      resource: 'queues',
      why: 'Insight and Data exchange work through the AI-function and data-sync queues',
    },
    { actions: ['s3:ListBucket'], resource: 'bucket', why: 'Insight and Data list the uploaded files' },
    { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resource: 'bucket-objects', why: 'Insight and Data read, write and remove workspace files' },
    { actions: ['secretsmanager:GetSecretValue'], resource: 'db-secret', why: 'Insight and Data read the database credentials (AWS_SCTNAME)' },
    { actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], resource: 'file-system', why: 'the Insight volumes mount the file system through access points with IAM authorization' },
    { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: 'log-groups', why: 'a log router (FireLens) or the application writes to the log groups with the task role' },
  ],
  executionRole: [
    { actions: ['ecr:GetAuthorizationToken'], resource: 'any', why: 'ECS pulls images from ECR at task start' },
    { actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resource: 'ecr-repositories', why: 'ECS pulls the container images' },
    { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: 'log-groups', why: 'the awslogs driver creates the stream and sends the container output' },
    { actions: ['secretsmanager:GetSecretValue'], resource: 'secret-references', why: 'ECS resolves secrets[].valueFrom at task start' },
    { actions: ['ssm:GetParameters'], resource: 'parameter-references', why: 'ECS resolves secrets[].valueFrom at task start' },
  ],
  edgiUser: [
    { actions: ['s3:ListBucket'], resource: 'bucket', why: 'the OvalEdge UI and Job list workspace files with the Edgi key' },
    { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resource: 'bucket-objects', why: 'the OvalEdge UI uploads and the Job reads workspace files with the Edgi key' },
    { actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl'], resource: 'queues', why: 'the OvalEdge UI and Job talk to Insight through the queues (EDGI_CLIENT_PREFIX)' },
  ],
};

/** The requirements of a principal: the config's list when it sets one, else the default. */
export function requirementsFor(principal: Principal, overrides: Partial<Record<Principal, Requirement[]>> | undefined): readonly Requirement[] {
  return overrides?.[principal] ?? DEFAULT_REQUIREMENTS[principal];
}

/** What the deployment resolves each resource kind to. undefined: could not be resolved. */
export interface DeploymentFacts {
  partition: string;
  region: string;
  account: string;
  cluster?: string;
  dataTaskDefinitionArn?: string;
  dataTaskRoleArns?: string[];
  cloudMapServiceArns?: string[];
  /** Hosted zones of the Insight namespace: [] for an HTTP namespace (no DNS), undefined when not resolved. */
  hostedZoneIds?: string[];
  queueArns?: string[];
  bucket?: string;
  dbSecretArn?: string;
  /** File systems mounted with IAM authorization ([] when none is). */
  fileSystemIds?: string[];
  logGroups?: string[];
  /** Image references of the containers. */
  images?: string[];
  /** secrets[].valueFrom of the containers. */
  valueFroms?: string[];
}

/** The partition of an ARN ("aws", "aws-cn", "aws-us-gov"). */
export const partitionOf = (arn: string): string => arn.split(':')[1] || 'aws';

/** SQS queue URL → ARN (https://sqs.<region>.amazonaws.com/<account>/<name>). */
export function queueArn(url: string, f: Pick<DeploymentFacts, 'partition' | 'region' | 'account'>): string {
  const parts = url.replace(/\/+$/, '').split('/');
  const name = parts.at(-1) ?? '';
  const account = parts.at(-2) && /^\d{12}$/.test(parts.at(-2)!) ? parts.at(-2)! : f.account;
  return `arn:${f.partition}:sqs:${f.region}:${account}:${name}`;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

/** ECR repository ARNs of the images that are in ECR. */
export function ecrRepositories(images: readonly string[], partition: string): string[] {
  const out = new Set<string>();
  for (const image of images) {
    const m = ECR_IMAGE.exec(image);
    if (m) out.add(`arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}`);
  }
  return [...out];
}

/**
 * The secret or parameter a `valueFrom` names. A Secrets Manager ARN may carry
 * `:json-key:version-stage:version-id` after the secret's ARN; an SSM parameter is an ARN or a name
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 */
export function valueFromTarget(valueFrom: string, f: Pick<DeploymentFacts, 'partition' | 'region' | 'account'>): { kind: 'secret' | 'parameter'; arn: string } {
  const ref = parseValueFrom(valueFrom);
  if (ref.kind === 'secretsmanager') return { kind: 'secret', arn: ref.secretArn };
  if (valueFrom.startsWith('arn:')) return { kind: 'parameter', arn: valueFrom };
  const name = valueFrom.startsWith('/') ? valueFrom.slice(1) : valueFrom;
  return { kind: 'parameter', arn: `arn:${f.partition}:ssm:${f.region}:${f.account}:parameter/${name}` };
}

/** The ARNs a requirement is checked against; undefined when the deployment did not resolve them. */
export function resourcesFor(kind: ResourceKind, f: DeploymentFacts): string[] | undefined {
  const { partition: p, region: r, account: a } = f;
  switch (kind) {
    case 'data-task-definition':
      return f.dataTaskDefinitionArn ? [f.dataTaskDefinitionArn] : undefined;
    case 'cluster-tasks':
      return f.cluster ? [`arn:${p}:ecs:${r}:${a}:task/${f.cluster}/*`] : undefined;
    case 'data-task-roles':
      return f.dataTaskRoleArns;
    case 'cloud-map-services':
      return f.cloudMapServiceArns;
    case 'hosted-zone':
      return f.hostedZoneIds?.map((id) => `arn:${p}:route53:::hostedzone/${id}`);
    case 'cloud-map-dns':
      return f.hostedZoneIds === undefined ? undefined : f.hostedZoneIds.length > 0 ? ['*'] : [];
    case 'queues':
      return f.queueArns;
    case 'bucket':
      return f.bucket ? [`arn:${p}:s3:::${f.bucket}`] : undefined;
    case 'bucket-objects':
      return f.bucket ? [`arn:${p}:s3:::${f.bucket}/*`] : undefined;
    case 'db-secret':
      return f.dbSecretArn ? [f.dbSecretArn] : undefined;
    case 'file-system':
      return f.fileSystemIds?.map((id) => `arn:${p}:elasticfilesystem:${r}:${a}:file-system/${id}`);
    case 'log-groups':
      return f.logGroups?.map((g) => `arn:${p}:logs:${r}:${a}:log-group:${g}:log-stream:*`);
    case 'ecr-repositories':
      return f.images ? ecrRepositories(f.images, p) : undefined;
    case 'secret-references':
      return f.valueFroms?.map((v) => valueFromTarget(v, f)).filter((t) => t.kind === 'secret').map((t) => t.arn);
    case 'parameter-references':
      return f.valueFroms?.map((v) => valueFromTarget(v, f)).filter((t) => t.kind === 'parameter').map((t) => t.arn);
    case 'any':
      return ['*'];
  }
}
