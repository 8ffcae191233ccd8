// The healthy fixture with what effective permissions and network paths read: policy documents
// (managed at their default version, inline), the execution role, network ACLs, a NAT gateway.
import type { FixtureData } from '../../src/inventory/fixture.js';
import { ACCOUNT, BUCKET, healthy, IDS, REGION, ROLE_ARN } from './fixture-deployment.js';

export const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_ECS_Policy`;
export const USER_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas`;
export const EXEC_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
export const EXEC_ROLE = 'AskEdgiEcsExecutionRole';
export const EXEC_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${EXEC_ROLE}`;
export const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/edgi_user`;

const bucketArns = [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`];
const queues = `arn:aws:sqs:${REGION}:${ACCOUNT}:acme-*`;

/** AskEdgi_ECS_Policy v2 (the default): everything the task role needs. */
export const TASK_POLICY_V2 = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: bucketArns },
    { Sid: 'Queues', Effect: 'Allow', Action: 'sqs:*', Resource: queues },
    { Sid: 'DbSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-*` },
    { Sid: 'RunData', Effect: 'Allow', Action: 'ecs:RunTask', Resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/edgi-data-service:*` },
    { Sid: 'Tasks', Effect: 'Allow', Action: ['ecs:StopTask', 'ecs:DescribeTasks'], Resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/acme/*` },
    { Sid: 'PassRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: [ROLE_ARN, `arn:aws:iam::${ACCOUNT}:role/${EXEC_ROLE}`] },
    { Sid: 'CloudMap', Effect: 'Allow', Action: 'servicediscovery:*', Resource: '*' },
    { Sid: 'CloudMapDns', Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: 'arn:aws:route53:::hostedzone/*' },
    { Sid: 'CloudMapHealthChecks', Effect: 'Allow', Action: ['route53:CreateHealthCheck', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'ec2:DescribeInstances'], Resource: '*' },
    { Sid: 'Efs', Effect: 'Allow', Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], Resource: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${IDS.fs}` },
  ],
};

/** v1, an older version without ecs:RunTask. */
export const TASK_POLICY_V1 = { ...TASK_POLICY_V2, Statement: TASK_POLICY_V2.Statement.filter((s) => s.Sid !== 'RunData') };

export const USER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: bucketArns },
    { Sid: 'Queues', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl'], Resource: queues },
  ],
};

// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSTaskExecutionRolePolicy.html
export const EXEC_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ],
};

export function healthyEffective(): FixtureData {
  const data = healthy();
  data.managedPolicies = [
    { arn: POLICY_ARN, name: 'AskEdgi_ECS_Policy', defaultVersionId: 'v2', versions: { v1: TASK_POLICY_V1, v2: TASK_POLICY_V2 } },
    { arn: USER_POLICY_ARN, name: 'AskEdgi_policy_Saas', defaultVersionId: 'v1', versions: { v1: USER_POLICY } },
    { arn: EXEC_POLICY_ARN, name: 'AmazonECSTaskExecutionRolePolicy', defaultVersionId: 'v1', versions: { v1: EXEC_POLICY } },
  ];
  data.iamRoles!.push({
    name: EXEC_ROLE,
    arn: EXEC_ROLE_ARN,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    attachedPolicies: [{ name: 'AmazonECSTaskExecutionRolePolicy', arn: EXEC_POLICY_ARN }],
    inlinePolicies: ['AskEdgiExecutionSecrets'],
  });
  data.inlinePolicies = {
    [`role:${EXEC_ROLE}`]: {
      AskEdgiExecutionSecrets: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/edgi-user*` }] },
    },
  };
  const all = (egress: boolean) => [
    { ruleNumber: 100, egress, protocol: '-1', action: 'allow' as const, cidr: '0.0.0.0/0' },
    { ruleNumber: 32767, egress, protocol: '-1', action: 'deny' as const, cidr: '0.0.0.0/0' },
  ];
  data.networkAcls = [{ id: 'acl-default', vpcId: IDS.vpc, isDefault: true, subnetIds: [], entries: [...all(true), ...all(false)] }];
  data.natGateways = [{ id: 'nat-1', vpcId: IDS.vpc, subnetId: IDS.publicSubnet, state: 'available', connectivityType: 'public' }];
  data.routeTables!.find((t) => t.id === 'rtb-private')!.routes.push({ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' });
  data.vpcEndpoints = [];
  // The UI and Job services' group, with AWS's default egress (all traffic anywhere).
  data.securityGroups!.push({ id: 'sg-ovaledge', name: 'ovaledge', vpcId: IDS.vpc, ingress: [], egress: [{ protocol: '-1', cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], groupIds: [], prefixListIds: [] }] });
  return data;
}
