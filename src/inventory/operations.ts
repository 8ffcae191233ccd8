// Every AWS operation the live inventory calls: its IAM actions (including the ones AWS checks
// without naming them in the operation), its paging and the errors it maps. docs/aws-operations.md
// is generated from this table (scripts/aws-operations.ts) and a unit test keeps both, the live
// inventory's calls and the checks' declared permissions in step with it.

export interface AwsOperation {
  /** "prefix:Operation" as the call counter names it (the SDK command without "Command"). */
  operation: string;
  /** Inventory getters that call it. */
  getters: string[];
  /** IAM actions a caller must hold for it; the first is the one the operation is authorised by. */
  actions: string[];
  /**
   * Actions AWS also checks while serving it that do not appear in its name, and which a check
   * declaring `actions[0]` must declare as well (the least-privilege policy is built from them).
   */
  hidden?: string[];
  /**
   * Actions of the follow-up reads the inventory makes while serving the same getter (the prefix
   * lists of a security group's rules): implied by `actions[0]`.
   */
  followUps?: string[];
  /** Called only in some cases (said in `when`); not required for a clean run. */
  optional?: boolean;
  when?: string;
  paging: string;
  /** "answer → what the doctor makes of it". */
  errors: string[];
}

const NOT_FOUND_EC2 = '`InvalidXxx.NotFound` / `.Malformed` → not found';

export const AWS_OPERATIONS: readonly AwsOperation[] = [
  { operation: 'sts:GetCallerIdentity', getters: ['identity'], actions: ['sts:GetCallerIdentity'], paging: 'none', errors: ['credential errors (`InvalidClientTokenId`, `SignatureDoesNotMatch`, `ExpiredToken`, …) → credentials, not a permission'] },
  { operation: 'ecs:DescribeClusters', getters: ['cluster'], actions: ['ecs:DescribeClusters'], paging: 'one cluster by name', errors: ['`failures` MISSING → not found'] },
  {
    operation: 'ecs:DescribeServices',
    getters: ['service'],
    actions: ['ecs:DescribeServices'],
    paging: 'one service by name',
    errors: ['`ClusterNotFoundException` → not found', '`ClientException` by message: not authorized → access denied, else invalid', 'CODE_DEPLOY / EXTERNAL controller: deployments from the task sets, PRIMARY first'],
  },
  {
    operation: 'ecs:DescribeTaskDefinition',
    getters: ['taskDefinition'],
    actions: ['ecs:DescribeTaskDefinition'],
    paging: 'one revision (by family: the latest ACTIVE)',
    errors: ['`ClientException` "Unable to describe task definition." → not found', '`ClientException` not authorized → access denied, other messages → invalid'],
  },
  {
    operation: 'ecs:ListTaskDefinitions',
    getters: ['taskDefinition'],
    actions: ['ecs:ListTaskDefinitions'],
    optional: true,
    when: 'only when DescribeTaskDefinition by family answers an INACTIVE revision (moto; never on AWS)',
    paging: 'paginator, `sort: DESC`, `status: ACTIVE`, 100 per page, stops at the first page holding the family',
    errors: ['none mapped'],
  },
  {
    operation: 'ecs:ListServices',
    getters: ['serviceNames'],
    actions: ['ecs:ListServices'],
    optional: true,
    when: 'only by `init` (discovering the deployment); `run` never lists',
    paging: 'paginator, 100 per page',
    errors: ['`ClusterNotFoundException` → no services'],
  },
  { operation: 'ec2:DescribeSecurityGroups', getters: ['securityGroup'], actions: ['ec2:DescribeSecurityGroups'], followUps: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'], paging: 'by `GroupIds` (one group), never the whole account', errors: [NOT_FOUND_EC2, '`UnauthorizedOperation` → access denied, `AuthFailure` → credentials'] },
  {
    operation: 'ec2:DescribeManagedPrefixLists',
    getters: ['managedPrefixList', 'securityGroup'],
    actions: ['ec2:DescribeManagedPrefixLists'],
    optional: true,
    when: 'only when a security-group rule names a prefix list',
    paging: 'by `PrefixListIds` (one list)',
    errors: [NOT_FOUND_EC2, 'unreadable → the rule is unverifiable (error naming the action), never ignored'],
  },
  {
    operation: 'ec2:GetManagedPrefixListEntries',
    getters: ['managedPrefixList', 'securityGroup'],
    actions: ['ec2:GetManagedPrefixListEntries'],
    optional: true,
    when: 'only when a security-group rule names a prefix list',
    paging: 'paginator, 100 per page',
    errors: ['unreadable → the rule is unverifiable (error naming the action)'],
  },
  { operation: 'ec2:DescribeSubnets', getters: ['subnet'], actions: ['ec2:DescribeSubnets'], paging: 'by `SubnetIds` (one subnet)', errors: [NOT_FOUND_EC2] },
  { operation: 'ec2:DescribeVpcs', getters: ['vpc'], actions: ['ec2:DescribeVpcs'], paging: 'by `VpcIds` (one VPC)', errors: [NOT_FOUND_EC2] },
  {
    operation: 'ec2:DescribeRouteTables',
    getters: ['routeTableFor'],
    actions: ['ec2:DescribeRouteTables'],
    paging: 'filter `association.subnet-id`, then `vpc-id` + `association.main` (one table each)',
    errors: ['routes in state `blackhole` route nothing (kept apart in `blackholeRoutes`)'],
  },
  {
    operation: 'elasticfilesystem:DescribeMountTargets',
    getters: ['mountTargets'],
    actions: ['elasticfilesystem:DescribeMountTargets'],
    paging: 'paginator (Marker), 100 per page',
    errors: ['`FileSystemNotFound` → not found'],
  },
  {
    operation: 'elasticfilesystem:DescribeMountTargetSecurityGroups',
    getters: ['mountTargetSecurityGroups'],
    actions: ['elasticfilesystem:DescribeMountTargetSecurityGroups'],
    hidden: ['ec2:DescribeNetworkInterfaceAttribute'],
    paging: 'one mount target, only `available` ones',
    errors: ['`IncorrectMountTargetState` / `MountTargetNotFound` → that target unreadable, the others still checked', 'denied without naming the action → both actions named'],
  },
  {
    operation: 'elasticfilesystem:DescribeAccessPoints',
    getters: ['accessPoints'],
    actions: ['elasticfilesystem:DescribeAccessPoints'],
    paging: 'paginator (NextToken), 1 000 per page',
    errors: ['`FileSystemNotFound` → not found'],
  },
  {
    operation: 's3:ListObjectsV2',
    getters: ['bucket', 'objectInfo'],
    actions: ['s3:ListBucket'],
    paging: 'bucket: `MaxKeys: 0`; objectInfo: `Prefix` = the exact key, `MaxKeys: 1` (one page, never a scan of the bucket)',
    errors: [
      '404 `NoSuchBucket` → not found',
      '301 `PermanentRedirect` + `x-amz-bucket-region` → the bucket\'s region (fails when not the deployment\'s)',
      '403 with `ExpectedBucketOwner` → access denied or another account\'s bucket (both said)',
    ],
  },
  { operation: 's3:GetBucketCors', getters: ['bucket'], actions: ['s3:GetBucketCORS'], paging: 'none (in the bucket\'s own region)', errors: ['`NoSuchCORSConfiguration` → no CORS'] },
  { operation: 's3:HeadObject', getters: ['objectExists'], actions: ['s3:GetObject'], paging: 'one key', errors: ['404 → absent'] },
  { operation: 'iam:GetUser', getters: ['iamUser', 'principalPolicies'], actions: ['iam:GetUser'], paging: 'one user, read once per run', errors: ['`NoSuchEntity` → not found'] },
  { operation: 'iam:ListAttachedUserPolicies', getters: ['iamUser'], actions: ['iam:ListAttachedUserPolicies'], paging: 'paginator (Marker/IsTruncated), 1 000 per page', errors: ['none mapped'] },
  { operation: 'iam:ListAccessKeys', getters: ['iamUser'], actions: ['iam:ListAccessKeys'], paging: 'paginator (Marker/IsTruncated), 1 000 per page', errors: ['none mapped'] },
  {
    operation: 'iam:GetAccessKeyLastUsed',
    getters: ['accessKeyOwner'],
    actions: ['iam:GetAccessKeyLastUsed'],
    optional: true,
    when: 'only by `init`: the IAM user that owns EDGI_AWS_ACCESS_ID (no secret is read)',
    paging: 'one key',
    errors: ['`NoSuchEntity` → unknown key'],
  },
  { operation: 'iam:GetRole', getters: ['iamRole', 'principalPolicies'], actions: ['iam:GetRole'], paging: 'one role, read once per run', errors: ['`NoSuchEntity` → not found'] },
  { operation: 'iam:ListAttachedRolePolicies', getters: ['iamRole'], actions: ['iam:ListAttachedRolePolicies'], paging: 'paginator (Marker/IsTruncated), 1 000 per page', errors: ['none mapped'] },
  { operation: 'iam:ListRolePolicies', getters: ['iamRole', 'principalPolicies'], actions: ['iam:ListRolePolicies'], paging: 'Marker/IsTruncated loop, 1 000 per page, once per role and run', errors: ['none mapped'] },
  {
    operation: 'secretsmanager:GetSecretValue',
    getters: ['secret', 'database (fromSecret)'],
    actions: ['secretsmanager:GetSecretValue'],
    paging: 'one secret; only key names are kept',
    errors: [
      '`ResourceNotFoundException` → not found',
      '`InvalidRequestException` → scheduled for deletion (with DeletedDate)',
      '`DecryptionFailure` → access denied naming `kms:Decrypt` and the key',
    ],
  },
  {
    operation: 'secretsmanager:DescribeSecret',
    getters: ['secretMetadata', 'secret'],
    actions: ['secretsmanager:DescribeSecret'],
    paging: 'one secret; metadata only (name, ARN, DeletedDate), never the value',
    errors: ['`ResourceNotFoundException` → not found', 'from `secret`, after GetSecretValue answered InvalidRequestException or DecryptionFailure: any → the explanation goes without the date or key'],
  },
  {
    operation: 'ssm:DescribeParameters',
    getters: ['ssmParameter'],
    actions: ['ssm:DescribeParameters'],
    paging: 'one name (ParameterFilters Name Equals); metadata only (name, type), never the value',
    errors: ['no parameter in the answer → not found'],
  },
  {
    operation: 'logs:DescribeLogGroups',
    getters: ['logGroupExists', 'searchLogs'],
    actions: ['logs:DescribeLogGroups'],
    paging: 'paginator with `logGroupNamePrefix` = the name, 50 per page, stops at the exact name',
    errors: ['none mapped'],
  },
  {
    operation: 'logs:FilterLogEvents',
    getters: ['searchLogs'],
    actions: ['logs:FilterLogEvents'],
    paging: 'nextToken until `limit` events; one `?"A" ?"B"` pattern of quoted terms and their case variants (one pattern per term against an emulator); the queries of all patterns start at once, each paging on its own',
    errors: ['none mapped'],
  },
  { operation: 'sqs:ListQueues', getters: ['sqsQueues'], actions: ['sqs:ListQueues'], paging: 'paginator with `MaxResults: 1000` (without it AWS returns 1 000 URLs and no token); a prefix that extends one already listed is filtered from that listing (one call per run for SQS_QUEUE_PREFIX, EDGI_CLIENT_PREFIX and `<prefix>-`)', errors: ['none mapped'] },
  { operation: 'servicediscovery:ListNamespaces', getters: ['namespaces'], actions: ['servicediscovery:ListNamespaces'], paging: 'paginator, 100 per page', errors: ['none mapped'] },
  { operation: 'servicediscovery:GetService', getters: ['cloudMapService'], actions: ['servicediscovery:GetService'], paging: 'one service', errors: ['`ServiceNotFound` → not found'] },
  { operation: 'servicediscovery:ListServices', getters: ['cloudMapServices'], actions: ['servicediscovery:ListServices'], paging: 'paginator with a NAMESPACE_ID filter, 100 per page', errors: ['none mapped'] },
  {
    operation: 'servicediscovery:ListInstances',
    getters: ['cloudMapInstances'],
    actions: ['servicediscovery:ListInstances'],
    paging: 'paginator, 100 per page',
    errors: ['several instances per service are normal (one per running ECS task)'],
  },
  // Effective permissions and network paths (src/effective/): the policy documents of a principal,
  // the authoritative simulator, and the VPC's ACLs, endpoints and NAT gateways.
  { operation: 'iam:GetPolicy', getters: ['principalPolicies'], actions: ['iam:GetPolicy'], paging: 'one policy (names the default version)', errors: ['`NoSuchEntity` → not found'] },
  { operation: 'iam:GetPolicyVersion', getters: ['principalPolicies'], actions: ['iam:GetPolicyVersion'], paging: 'one version (the default): its document, URL-encoded on AWS', errors: ['`NoSuchEntity` → not found'] },
  { operation: 'iam:GetRolePolicy', getters: ['principalPolicies'], actions: ['iam:GetRolePolicy'], paging: 'one inline policy', errors: ['none mapped'] },
  { operation: 'iam:ListUserPolicies', getters: ['principalPolicies'], actions: ['iam:ListUserPolicies'], paging: 'Marker/IsTruncated loop, 1 000 per page', errors: ['none mapped'] },
  { operation: 'iam:GetUserPolicy', getters: ['principalPolicies'], actions: ['iam:GetUserPolicy'], paging: 'one inline policy', errors: ['none mapped'] },
  { operation: 'iam:ListGroupsForUser', getters: ['principalPolicies'], actions: ['iam:ListGroupsForUser'], paging: 'Marker/IsTruncated loop', errors: ['none mapped'] },
  { operation: 'iam:ListAttachedGroupPolicies', getters: ['principalPolicies'], actions: ['iam:ListAttachedGroupPolicies'], paging: 'Marker/IsTruncated loop', errors: ['none mapped'] },
  { operation: 'iam:ListGroupPolicies', getters: ['principalPolicies'], actions: ['iam:ListGroupPolicies'], paging: 'Marker/IsTruncated loop, 1 000 per page', errors: ['none mapped'] },
  { operation: 'iam:GetGroupPolicy', getters: ['principalPolicies'], actions: ['iam:GetGroupPolicy'], paging: 'one inline policy', errors: ['none mapped'] },
  {
    operation: 'iam:SimulatePrincipalPolicy',
    getters: ['simulatePrincipalPolicy'],
    actions: ['iam:SimulatePrincipalPolicy'],
    optional: true,
    when: 'preferred when the caller may use it; denied or not implemented (moto) → the doctor evaluates the documents itself',
    paging: 'Marker/IsTruncated loop',
    errors: ['access denied or not implemented → own evaluation (the finding says which path)'],
  },
  { operation: 'ec2:DescribeNetworkAcls', getters: ['networkAclFor'], actions: ['ec2:DescribeNetworkAcls'], paging: 'filtered by `association.subnet-id` (one ACL)', errors: ['none mapped'] },
  { operation: 'ec2:DescribeVpcEndpoints', getters: ['vpcEndpoints'], actions: ['ec2:DescribeVpcEndpoints'], paging: 'NextToken loop, filtered by `vpc-id`', errors: ['none mapped'] },
  { operation: 'ec2:DescribeNatGateways', getters: ['natGateways'], actions: ['ec2:DescribeNatGateways'], paging: 'NextToken loop, filtered by `vpc-id`', errors: ['none mapped'] },
];

/** Errors every operation maps the same way (errors.ts). */
export const COMMON_ERRORS = [
  'credential errors (`InvalidClientTokenId`, `UnrecognizedClientException`, `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `AuthFailure`, `ExpiredToken`) → credentials, before the generic 403 rule',
  '`AccessDenied*`, `UnauthorizedOperation`, HTTP 403 → access denied naming the action (the one AWS names in "not authorized to perform: X" when it says)',
  '`ThrottlingException`, `RequestLimitExceeded`, `SlowDown`, HTTP 429 → retried (adaptive), then throttled',
  'no connection within `aws.timeouts.connectMs` or no answer within `aws.timeouts.requestMs` → timeout naming the operation, after the retries',
];

/** Actions AWS checks alongside `action` without naming them (a check declaring `action` declares them too). */
export function hiddenActions(action: string): string[] {
  return AWS_OPERATIONS.filter((o) => o.actions[0] === action).flatMap((o) => o.hidden ?? []);
}

/** The declared actions with every hidden and follow-up action they imply, sorted, no duplicates: what a policy must grant. */
export function withImpliedActions(actions: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const a of actions) {
    out.add(a);
    for (const o of AWS_OPERATIONS.filter((x) => x.actions[0] === a)) for (const b of [...(o.hidden ?? []), ...(o.followUps ?? [])]) out.add(b);
  }
  return [...out].sort();
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** docs/aws-operations.md. */
export function renderOperationsDoc(): string {
  const lines = [
    '# AWS operations the doctor calls',
    '',
    '<!-- Generated from src/inventory/operations.ts by `npx tsx scripts/aws-operations.ts`; test/unit/aws-operations.test.ts keeps it in sync. -->',
    '',
    'Every call is read-only. "Hidden" actions are checked by AWS while serving the operation without',
    'appearing in its name; the checks that need the operation declare them. "Follow-up" actions are reads the',
    'inventory makes while serving the same getter (the entries of a prefix list a rule names).',
    '`iam-policy` and `explain` include both.',
    'Optional operations run only in the case named and are not needed for a clean run.',
    '',
    '| operation | IAM actions | hidden actions | follow-up actions | when | paging | errors mapped |',
    '|---|---|---|---|---|---|---|',
    ...AWS_OPERATIONS.map((o) =>
      `| \`${o.operation}\` | ${o.actions.map((a) => `\`${a}\``).join(', ')} | ${(o.hidden ?? []).map((a) => `\`${a}\``).join(', ') || '—'} | ${(o.followUps ?? []).map((a) => `\`${a}\``).join(', ') || '—'} | ${cell(o.optional ? `optional: ${o.when ?? ''}` : 'always when read')} | ${cell(o.paging)} | ${cell(o.errors.join('; '))} |`,
    ),
    '',
    'Every operation also maps these answers the same way:',
    '',
    ...COMMON_ERRORS.map((e) => `- ${e}`),
    '',
  ];
  return lines.join('\n');
}
