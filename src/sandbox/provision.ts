// Provisions a complete, correct AskEdgi Variant-2 deployment (runbook steps 1–9) into a moto
// emulator and writes the doctor's config plus a state file for the faults.
//
// moto 5.2.5 gaps met here and how they are handled:
// - The SDK needs credentials to sign even though moto ignores them: dummies are set when none exist.
// - New buckets have no default encryption or public access block: both are set explicitly.
// - Nothing is registered in Cloud Map automatically (ECS tasks never run): instances are registered here.
// - CreatePrivateDnsNamespace/CreateService give an operation id; GetOperation returns the
//   namespace id at once (no polling needed, but the code still reads it from the operation).
// - UpdateService does not touch the PRIMARY deployment's taskDefinition/networkConfiguration, so
//   faults that change a service re-create it instead (see faults.ts).
// - DeleteService leaves the service INACTIVE with its running count unchanged.
// - RevokeSecurityGroupIngress by IpPermissions only matches when the rule description matches too
//   (AWS ignores descriptions), so faults revoke by SecurityGroupRuleId (see faults.ts).
// - Task definitions: moto adds rootDirectory "/" to EFS volumes and reports compatibilities
//   EC2+FARGATE whatever was asked; GetBucketCors drops the empty ExposeHeaders.
// - POST /moto-api/reset takes 1–2 s and the first IAM call after it ~1 s (managed policies load),
//   so a fresh sandbox costs ~3 s; provisioning itself is well under that.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  ModifyVpcAttributeCommand,
  type IpPermission,
  type TagSpecification,
  type ResourceType,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type KeyValuePair,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateAccessPointCommand, CreateFileSystemCommand, CreateMountTargetCommand } from '@aws-sdk/client-efs';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  type BucketLocationConstraint,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateCloudMapServiceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
} from '@aws-sdk/client-servicediscovery';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { stringify } from 'yaml';
import { destroyClients, makeClients, type AwsClients } from '../aws/clients.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { ensureEmulatorCredentials, repoRoot } from './emulator.js';
import { provisionEffective } from './effective.js';

export const SANDBOX_CONFIG_FILE = 'askedgi-doctor.yaml';
export const SANDBOX_STATE_FILE = 'sandbox-state.json';

const CLUSTER = 'askedgi-sandbox';
const ENV = 'dev';
const VPC_CIDR = '10.20.0.0/16';
const QUEUE_PREFIX = 'askedgi-sandbox';
const NAMESPACE = 'askedgi.local';
const DB_SECRET_NAME = 'askedgi/sandbox/db';
const EDGI_USER_SECRET_NAME = 'askedgi/sandbox/edgi-user';
const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
const EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

export const SANDBOX_NAMES = {
  cluster: CLUSTER,
  env: ENV,
  queuePrefix: QUEUE_PREFIX,
  namespace: NAMESPACE,
  dbSecret: DB_SECRET_NAME,
  edgiUserSecret: EDGI_USER_SECRET_NAME,
  families: { data: 'edgi-data-service', insight: 'oe_edgi_insights_service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
  services: { insight: 'oe-edgi-insights-service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
  cloudMapServices: { insight: 'oe-edgi-insights-service', data: 'edgi-data-service' },
  iam: {
    user: 'edgi_user',
    userPolicy: 'AskEdgi_policy_Saas',
    taskRole: 'AskEdgiEcsTaskRole',
    taskRolePolicy: 'AskEdgi_ECS_Policy',
    executionRole: 'AskEdgiEcsExecutionRole',
  },
  logGroups: {
    data: '/ecs/edgi-data-service',
    insight: '/ecs/oe_edgi_insights_service',
    ui: '/ecs/ovaledge-ui',
    job: '/ecs/ovaledge-job',
  },
} as const;

/** Every id and ARN the sandbox created; written to sandbox-state.json and read by the faults. */
export interface SandboxState {
  region: string;
  endpoint: string;
  accountId: string;
  cluster: { name: string; arn: string };
  vpc: { id: string; cidr: string; internetGatewayId: string; mainRouteTableId: string };
  subnets: { insight: [string, string]; public: string; availabilityZones: [string, string] };
  routeTables: {
    privateId: string;
    publicId: string;
    /** Explicit association ids of the two Insight subnets with the private table, in subnet order. */
    insightAssociationIds: [string, string];
    publicAssociationId: string;
  };
  securityGroups: { edgi: string; elasticsearch: string; rds: string; efs: string; ovaledge: string };
  efs: {
    fileSystemId: string;
    mountTargetIds: string[];
    accessPoints: { logs: string; documents: string; store: string };
  };
  bucket: string;
  iam: {
    userName: string;
    userArn: string;
    accessKeyId: string;
    userPolicyArn: string;
    taskRoleName: string;
    taskRoleArn: string;
    taskRolePolicyArn: string;
    executionRoleName: string;
    executionRoleArn: string;
  };
  secrets: { db: { name: string; arn: string }; edgiUser: { name: string; arn: string } };
  queues: { prefix: string; aiFunctions: string; dataSync: string };
  logGroups: { data: string; insight: string; ui: string; job: string };
  cloudMap: {
    namespaceId: string;
    namespaceArn: string;
    namespaceName: string;
    insightServiceId: string;
    insightServiceArn: string;
    dataServiceId: string;
    dataServiceArn: string;
    insightInstanceId: string;
    dataInstanceId: string;
  };
  taskDefinitions: {
    /** Both registered revisions of the Data family, oldest first; the last is the latest. */
    data: string[];
    insight: string;
    ui: string;
    job: string;
  };
  services: { insight: string; ui: string; job: string };
}

export interface ProvisionOptions {
  endpoint: string;
  region: string;
  outDir: string;
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`The emulator returned no ${what}.`);
  return value;
}

function tags(resourceType: ResourceType, name: string): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: [{ Key: 'Name', Value: name }, { Key: 'project', Value: 'askedgi-sandbox' }] }];
}

/**
 * The customer's tenant id on every task definition: not a runbook variable, but the kind of
 * deployment-specific rule a plugin check verifies (examples/checks/tenant-id.ts, loaded by the
 * sandbox config).
 */
export const SANDBOX_TENANT_ID = { OE_TENANT_ID: 'askedgi-sandbox' } as const;

function env(vars: Record<string, string>): KeyValuePair[] {
  return Object.entries({ ...vars, ...SANDBOX_TENANT_ID })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

function trustPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

async function cloudMapOperationTarget(clients: AwsClients, operationId: string | undefined, target: 'NAMESPACE' | 'INSTANCE'): Promise<string> {
  const op = await clients.cloudMap.send(new GetOperationCommand({ OperationId: must(operationId, 'Cloud Map operation id') }));
  if (op.Operation?.Status === 'FAIL') {
    throw new Error(`Cloud Map operation ${operationId} failed: ${op.Operation.ErrorMessage ?? 'no reason given'}.`);
  }
  return must(op.Operation?.Targets?.[target], `Cloud Map ${target.toLowerCase()} id`);
}

async function provisionNetwork(clients: AwsClients, region: string) {
  const { ec2 } = clients;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: VPC_CIDR, TagSpecifications: tags('vpc', 'askedgi-sandbox') }));
  const vpcId = must(vpc.Vpc?.VpcId, 'VPC id');
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));

  const igw = await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', 'askedgi-sandbox') }));
  const internetGatewayId = must(igw.InternetGateway?.InternetGatewayId, 'internet gateway id');
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: internetGatewayId, VpcId: vpcId }));

  const main = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  const mainRouteTableId = must(main.RouteTables?.[0]?.RouteTableId, 'main route table id');

  const availabilityZones: [string, string] = [`${region}a`, `${region}b`];
  const subnet = async (cidr: string, az: string, name: string): Promise<string> => {
    const out = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: tags('subnet', name) }),
    );
    return must(out.Subnet?.SubnetId, 'subnet id');
  };
  const insight: [string, string] = [
    await subnet('10.20.1.0/24', availabilityZones[0], 'askedgi-insight-private-a'),
    await subnet('10.20.2.0/24', availabilityZones[1], 'askedgi-insight-private-b'),
  ];
  const publicSubnet = await subnet('10.20.100.0/24', availabilityZones[0], 'askedgi-public-a');

  const privateRt = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tags('route-table', 'askedgi-private') }));
  const privateId = must(privateRt.RouteTable?.RouteTableId, 'private route table id');
  const publicRt = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tags('route-table', 'askedgi-public') }));
  const publicId = must(publicRt.RouteTable?.RouteTableId, 'public route table id');
  await ec2.send(new CreateRouteCommand({ RouteTableId: publicId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: internetGatewayId }));

  const associate = async (routeTableId: string, subnetId: string): Promise<string> => {
    const out = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
    return must(out.AssociationId, 'route table association id');
  };
  const insightAssociationIds: [string, string] = [await associate(privateId, insight[0]), await associate(privateId, insight[1])];
  const publicAssociationId = await associate(publicId, publicSubnet);

  return {
    vpc: { id: vpcId, cidr: VPC_CIDR, internetGatewayId, mainRouteTableId },
    subnets: { insight, public: publicSubnet, availabilityZones },
    routeTables: { privateId, publicId, insightAssociationIds, publicAssociationId },
  };
}

async function provisionSecurityGroups(clients: AwsClients, vpcId: string) {
  const { ec2 } = clients;
  const group = async (name: string, description: string): Promise<string> => {
    const out = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: description, TagSpecifications: tags('security-group', name) }),
    );
    return must(out.GroupId, 'security group id');
  };
  const sg = {
    edgi: await group('askedgi-edgi-insight', 'AskEdgi Insight ECS service'),
    elasticsearch: await group('askedgi-elasticsearch', 'Private Elasticsearch'),
    rds: await group('askedgi-rds', 'Private RDS MySQL'),
    efs: await group('askedgi-efs', 'Private EFS mount targets'),
    ovaledge: await group('askedgi-ovaledge', 'OvalEdge UI and Job ECS services'),
  };
  const tcpFromGroup = (port: number, groupId: string, description: string): IpPermission => ({
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    UserIdGroupPairs: [{ GroupId: groupId, Description: description }],
  });
  const ingress = (groupId: string, permissions: IpPermission[]) =>
    ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));

  await ingress(sg.edgi, [
    { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, IpRanges: [{ CidrIp: VPC_CIDR, Description: 'Allow ECS service communication' }] },
    tcpFromGroup(9200, sg.elasticsearch, 'Allow Elasticsearch to ECS Edgi communication'),
    tcpFromGroup(3306, sg.rds, 'Allow RDS to ECS Edgi communication'),
    tcpFromGroup(2049, sg.efs, 'Allow EFS to ECS Edgi communication'),
  ]);
  await ingress(sg.rds, [
    tcpFromGroup(3306, sg.edgi, 'MySQL from the Edgi Insight service'),
    tcpFromGroup(3306, sg.ovaledge, 'MySQL from OvalEdge'),
  ]);
  await ingress(sg.elasticsearch, [tcpFromGroup(9200, sg.edgi, 'Elasticsearch from the Edgi Insight service')]);
  await ingress(sg.efs, [tcpFromGroup(2049, sg.edgi, 'NFS from the Edgi Insight service')]);
  return sg;
}

async function provisionEfs(clients: AwsClients, subnets: string[], efsSg: string) {
  const { efs } = clients;
  const fs = await efs.send(
    new CreateFileSystemCommand({
      CreationToken: `askedgi-sandbox-${randomBytes(4).toString('hex')}`,
      Encrypted: true,
      PerformanceMode: 'generalPurpose',
      Tags: [{ Key: 'Name', Value: 'askedgi-sandbox' }],
    }),
  );
  const fileSystemId = must(fs.FileSystemId, 'EFS file system id');
  const mountTargetIds: string[] = [];
  for (const subnetId of subnets) {
    const mt = await efs.send(new CreateMountTargetCommand({ FileSystemId: fileSystemId, SubnetId: subnetId, SecurityGroups: [efsSg] }));
    mountTargetIds.push(must(mt.MountTargetId, 'mount target id'));
  }
  const accessPoint = async (kind: 'logs' | 'documents' | 'store'): Promise<string> => {
    const out = await efs.send(
      new CreateAccessPointCommand({
        ClientToken: `askedgi-${kind}-${randomBytes(4).toString('hex')}`,
        FileSystemId: fileSystemId,
        PosixUser: { Uid: 1000, Gid: 1000 },
        RootDirectory: {
          Path: `/oe_edgi_insights_${ENV}_${kind}`,
          CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: '0755' },
        },
        Tags: [{ Key: 'Name', Value: `oe_edgi_insights_${ENV}_${kind}` }],
      }),
    );
    return must(out.AccessPointId, 'access point id');
  };
  return {
    fileSystemId,
    mountTargetIds,
    accessPoints: { logs: await accessPoint('logs'), documents: await accessPoint('documents'), store: await accessPoint('store') },
  };
}

async function provisionBucket(clients: AwsClients, region: string): Promise<string> {
  const { s3 } = clients;
  const bucket = `askedgi-sandbox-${randomBytes(3).toString('hex')}`;
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  // The tenant origin rather than the runbook's "*": the doctor warns on "*".
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['http://localhost'], ExposeHeaders: [] }] },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }),
  );
  return bucket;
}

async function provisionQueues(clients: AwsClients) {
  const queue = async (name: string): Promise<string> => {
    const out = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${QUEUE_PREFIX}-${name}` }));
    return must(out.QueueUrl, 'queue url');
  };
  return { prefix: QUEUE_PREFIX, aiFunctions: await queue('ai_functions_queue'), dataSync: await queue('data_sync_queue') };
}

async function provisionIam(clients: AwsClients, p: { region: string; accountId: string; bucket: string; dbSecretArn: string }) {
  const { iam } = clients;
  const names = SANDBOX_NAMES.iam;
  const bucketArns = [`arn:aws:s3:::${p.bucket}`, `arn:aws:s3:::${p.bucket}/*`];
  const queueArn = `arn:aws:sqs:${p.region}:${p.accountId}:${QUEUE_PREFIX}-*`;

  const userPolicy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.userPolicy,
      Description: 'AskEdgi SaaS user: the Edgi bucket and queues.',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Bucket',
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetBucketLocation'],
            Resource: bucketArns,
          },
          {
            Sid: 'Queues',
            Effect: 'Allow',
            Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
            Resource: queueArn,
          },
        ],
      }),
    }),
  );
  const userPolicyArn = must(userPolicy.Policy?.Arn, 'user policy ARN');
  const user = await iam.send(new CreateUserCommand({ UserName: names.user }));
  const userArn = must(user.User?.Arn, 'user ARN');
  await iam.send(new AttachUserPolicyCommand({ UserName: names.user, PolicyArn: userPolicyArn }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: names.user }));
  const accessKeyId = must(key.AccessKey?.AccessKeyId, 'access key id');
  const secretAccessKey = must(key.AccessKey?.SecretAccessKey, 'secret access key');

  const taskPolicy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.taskRolePolicy,
      Description: 'AskEdgi ECS tasks: bucket, queues, DB secret, Cloud Map and the Data services they start.',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: bucketArns },
          { Sid: 'Queues', Effect: 'Allow', Action: ['sqs:*'], Resource: queueArn },
          { Sid: 'DbSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: p.dbSecretArn },
          {
            Sid: 'DataServices',
            Effect: 'Allow',
            Action: [
              'ecs:CreateService',
              'ecs:UpdateService',
              'ecs:DeleteService',
              'ecs:DescribeServices',
              'ecs:DescribeTasks',
              'ecs:ListTasks',
              'ecs:DescribeTaskDefinition',
            ],
            Resource: '*',
          },
          {
            Sid: 'ServiceDiscovery',
            Effect: 'Allow',
            Action: [
              'servicediscovery:CreateService',
              'servicediscovery:GetNamespace',
              'servicediscovery:ListServices',
              'servicediscovery:ListInstances',
              'servicediscovery:DiscoverInstances',
              'servicediscovery:RegisterInstance',
              'servicediscovery:DeregisterInstance',
            ],
            Resource: '*',
          },
          {
            Sid: 'PassRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: [`arn:aws:iam::${p.accountId}:role/${names.taskRole}`, `arn:aws:iam::${p.accountId}:role/${names.executionRole}`],
          },
        ],
      }),
    }),
  );
  const taskRolePolicyArn = must(taskPolicy.Policy?.Arn, 'task role policy ARN');
  const taskRole = await iam.send(
    new CreateRoleCommand({
      RoleName: names.taskRole,
      AssumeRolePolicyDocument: trustPolicy(ECS_TASKS_PRINCIPAL),
      Description: 'Shared by every AskEdgi task definition.',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.taskRole, PolicyArn: taskRolePolicyArn }));
  const executionRole = await iam.send(
    new CreateRoleCommand({
      RoleName: names.executionRole,
      AssumeRolePolicyDocument: trustPolicy(ECS_TASKS_PRINCIPAL),
      Description: 'ECS task execution role for AskEdgi.',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.executionRole, PolicyArn: EXECUTION_POLICY_ARN }));

  return {
    secretAccessKey,
    iam: {
      userName: names.user,
      userArn,
      accessKeyId,
      userPolicyArn,
      taskRoleName: names.taskRole,
      taskRoleArn: must(taskRole.Role?.Arn, 'task role ARN'),
      taskRolePolicyArn,
      executionRoleName: names.executionRole,
      executionRoleArn: must(executionRole.Role?.Arn, 'execution role ARN'),
    },
  };
}

async function provisionCloudMap(clients: AwsClients, vpcId: string) {
  const { cloudMap } = clients;
  const ns = await cloudMap.send(
    new CreatePrivateDnsNamespaceCommand({
      Name: NAMESPACE,
      Vpc: vpcId,
      Description: 'AskEdgi service discovery.',
      CreatorRequestId: randomBytes(8).toString('hex'),
    }),
  );
  const namespaceId = await cloudMapOperationTarget(clients, ns.OperationId, 'NAMESPACE');
  const service = async (name: string) => {
    const out = await cloudMap.send(
      new CreateCloudMapServiceCommand({
        Name: name,
        NamespaceId: namespaceId,
        CreatorRequestId: randomBytes(8).toString('hex'),
        DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      }),
    );
    return { id: must(out.Service?.Id, 'Cloud Map service id'), arn: must(out.Service?.Arn, 'Cloud Map service ARN') };
  };
  const insight = await service(SANDBOX_NAMES.cloudMapServices.insight);
  const data = await service(SANDBOX_NAMES.cloudMapServices.data);
  const namespace = await cloudMap.send(new GetNamespaceCommand({ Id: namespaceId }));
  return { namespaceId, namespaceArn: must(namespace.Namespace?.Arn, 'namespace ARN'), insight, data };
}

async function registerCloudMapInstances(
  clients: AwsClients,
  p: { region: string; availabilityZone: string; insightServiceId: string; dataServiceId: string },
) {
  const common = { AVAILABILITY_ZONE: p.availabilityZone, REGION: p.region, ECS_CLUSTER_NAME: CLUSTER };
  const insightInstanceId = 'oe-edgi-insights-service-task-1';
  const dataInstanceId = 'edgi-data-service-admin';
  await clients.cloudMap.send(
    new RegisterInstanceCommand({
      ServiceId: p.insightServiceId,
      InstanceId: insightInstanceId,
      Attributes: {
        ...common,
        AWS_INSTANCE_IPV4: '10.20.1.10',
        AWS_INSTANCE_PORT: '8000',
        ECS_SERVICE_NAME: SANDBOX_NAMES.services.insight,
        ECS_TASK_DEFINITION_FAMILY: SANDBOX_NAMES.families.insight,
      },
    }),
  );
  await clients.cloudMap.send(
    new RegisterInstanceCommand({
      ServiceId: p.dataServiceId,
      InstanceId: dataInstanceId,
      Attributes: {
        ...common,
        AWS_INSTANCE_IPV4: '10.20.1.50',
        AWS_INSTANCE_PORT: '8000',
        ECS_SERVICE_NAME: 'edgi-data-service-admin',
        ECS_TASK_DEFINITION_FAMILY: SANDBOX_NAMES.families.data,
      },
    }),
  );
  return { insightInstanceId, dataInstanceId };
}

function logConfiguration(group: string, region: string): ContainerDefinition['logConfiguration'] {
  return { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' } };
}

async function registerTaskDefinition(clients: AwsClients, input: RegisterTaskDefinitionCommandInput): Promise<string> {
  const out = await clients.ecs.send(new RegisterTaskDefinitionCommand(input));
  return must(out.taskDefinition?.taskDefinitionArn, 'task definition ARN');
}

interface TaskDefinitionContext {
  region: string;
  bucket: string;
  taskRoleArn: string;
  executionRoleArn: string;
  dbSecretName: string;
}

function dataTaskDefinition(c: TaskDefinitionContext): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families.data;
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '2048',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    ephemeralStorage: { sizeInGiB: 200 },
    containerDefinitions: [
      {
        name,
        image: 'ovaledge/edgi-data-service:latest',
        essential: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: env({
          AWS_REGION: c.region,
          AWS_SCTNAME: c.dbSecretName,
          BUCKET_NAME: c.bucket,
          CREDENTIAL_TYPE: 'container',
          DEPLOYMENT_TYPE: 'ecs',
          // The runbook says ENV=production here (step 6) but ENV=prod on Insight (step 7); the sandbox
          // uses prod on both and says so in expect.data.env (sandboxConfig). Fault env-runbook-literal restores production.
          ENV: 'prod',
        }),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups.data, c.region),
      },
    ],
  };
}

function insightTaskDefinition(
  c: TaskDefinitionContext & {
    fileSystemId: string;
    accessPoints: { logs: string; documents: string; store: string };
    namespaceId: string;
    edgiSg: string;
    subnets: [string, string];
    dataTaskDefinitionArn: string;
  },
): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families.insight;
  const paths = { logs: '/app/logs', documents: '/app/documents', store: '/app/store' } as const;
  const kinds = ['logs', 'documents', 'store'] as const;
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '1024',
    memory: '2048',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    ephemeralStorage: { sizeInGiB: 200 },
    volumes: kinds.map((kind) => ({
      name: `edgi-${kind}`,
      efsVolumeConfiguration: {
        fileSystemId: c.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: c.accessPoints[kind], iam: 'ENABLED' },
      },
    })),
    containerDefinitions: [
      {
        name,
        image: 'ovaledge/oe_edgi_insights_service:latest',
        essential: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: env({
          AI_FUNCTION_QUEUE_NAME: 'ai_functions_queue',
          AWS_REGION: c.region,
          AWS_SCTNAME: c.dbSecretName,
          BUCKET_NAME: c.bucket,
          CLUSTER_NAME: CLUSTER,
          CREDENTIAL_TYPE: 'container',
          DATA_SYNC_QUEUE_NAME: 'data_sync_queue',
          DEPLOYMENT_TYPE: 'ecs',
          DNS_NAME_SPACE_ID: c.namespaceId,
          DOCS_FOLDER: paths.documents,
          EDGI_WORKSPACE_DISCOVERY: 'dynamic',
          EDGI_WORKSPACE_HOST: SANDBOX_NAMES.families.data,
          EDGI_WORKSPACE_NAME_SPACE: NAMESPACE,
          ENV: 'prod',
          LOG_PATH: paths.logs,
          SECURITY_GROUPS: c.edgiSg,
          SQS_QUEUE_PREFIX: QUEUE_PREFIX,
          STORE_FOLDER: paths.store,
          SUBNETS: c.subnets.join(','),
          TASK_DEFINITION: c.dataTaskDefinitionArn,
        }),
        mountPoints: kinds.map((kind) => ({ sourceVolume: `edgi-${kind}`, containerPath: paths[kind], readOnly: false })),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups.insight, c.region),
      },
    ],
  };
}

function ovaledgeTaskDefinition(
  kind: 'ui' | 'job',
  c: TaskDefinitionContext & { accessKeyId: string; edgiUserSecretArn: string },
): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families[kind];
  // Secret keys come from Secrets Manager (JSON keys of one secret), never plaintext env.
  const secretRef = (key: string) => ({ name: key, valueFrom: `${c.edgiUserSecretArn}:${key}::` });
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '2048',
    memory: '8192',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    containerDefinitions: [
      {
        name,
        image: `ovaledge/${name}:latest`,
        essential: true,
        portMappings: kind === 'ui' ? [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] : [],
        environment: env({
          EDGI_AI_FUNCTION_QUEUE: 'ai_functions_queue',
          EDGI_AWS_ACCESS_ID: c.accessKeyId,
          EDGI_AWS_REGION: c.region,
          EDGI_BUCKET_NAME: c.bucket,
          EDGI_CLIENT_PREFIX: QUEUE_PREFIX,
          EDGI_CONSUMER_CREDENTIAL_TYPE: 'static',
          EDGI_ENABLE: 'true',
          EDGI_INSIGHT_SERVICE_HOST: `${SANDBOX_NAMES.cloudMapServices.insight}.${NAMESPACE}`,
          EDGI_WORKSPACE_DISCOVERY: 'dynamic',
          EDGI_WORKSPACE_HOST: SANDBOX_NAMES.families.data,
          EDGI_WORKSPACE_NAMESPACE: NAMESPACE,
        }),
        secrets: ['BRIDGE_AWS_USER_ACCESS_KEY', 'BRIDGE_AWS_USER_SECRET_KEY', 'EDGI_AWS_SECRET_KEY'].map(secretRef),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups[kind], c.region),
      },
    ],
  };
}

async function createEcsService(
  clients: AwsClients,
  p: { name: string; taskDefinition: string; subnets: string[]; securityGroup: string; registryArn?: string },
): Promise<string> {
  const out = await clients.ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: p.name,
      taskDefinition: p.taskDefinition,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: p.subnets, securityGroups: [p.securityGroup], assignPublicIp: 'DISABLED' } },
      ...(p.registryArn ? { serviceRegistries: [{ registryArn: p.registryArn }] } : {}),
    }),
  );
  return must(out.service?.serviceArn, 'service ARN');
}

/** The doctor's config for the sandbox, as written to askedgi-doctor.yaml. */
export function sandboxConfig(state: SandboxState): ConfigInput {
  return {
    region: state.region,
    accountId: state.accountId,
    endpoint: state.endpoint,
    cluster: state.cluster.name,
    env: ENV,
    taskDefinitions: { ...SANDBOX_NAMES.families },
    services: { ...SANDBOX_NAMES.services },
    securityGroups: { elasticsearch: state.securityGroups.elasticsearch, rds: state.securityGroups.rds, efs: state.securityGroups.efs },
    efs: { fileSystemId: state.efs.fileSystemId },
    iam: {
      user: SANDBOX_NAMES.iam.user,
      userPolicy: SANDBOX_NAMES.iam.userPolicy,
      taskRole: SANDBOX_NAMES.iam.taskRole,
      taskRolePolicy: SANDBOX_NAMES.iam.taskRolePolicy,
    },
    // ENV=prod on Data too, not the runbook's step-6 literal "production" (see dataTaskDefinition).
    expect: { data: { env: { CREDENTIAL_TYPE: 'container', DEPLOYMENT_TYPE: 'ecs', ENV: 'prod' } } },
    // The README's example plugin check, so the demo shows a plugin check next to the built-in ones.
    checks: { modules: [join(repoRoot(), 'examples', 'checks', 'tenant-id.ts')] },
  };
}

/** Writes the config (validated against the schema first) to <outDir>/askedgi-doctor.yaml. */
export async function writeSandboxConfig(outDir: string, config: ConfigInput): Promise<string> {
  configSchema.parse(config);
  const path = join(outDir, SANDBOX_CONFIG_FILE);
  await mkdir(outDir, { recursive: true });
  const header = '# Written by the askedgi-doctor sandbox: a correct Variant-2 deployment in a local moto emulator.\n';
  await writeFile(path, header + stringify(config), 'utf8');
  return path;
}

/** Provisions the whole Variant-2 deployment into a freshly reset emulator and writes the config and state files. */
export async function provisionSandbox(opts: ProvisionOptions): Promise<SandboxState> {
  ensureEmulatorCredentials();
  const clients = makeClients({ region: opts.region, endpoint: opts.endpoint });
  try {
    const { region } = opts;
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    const accountId = must(identity.Account, 'account id');

    const network = await provisionNetwork(clients, region);
    const securityGroups = await provisionSecurityGroups(clients, network.vpc.id);
    const efs = await provisionEfs(clients, network.subnets.insight, securityGroups.efs);
    const bucket = await provisionBucket(clients, region);
    const queues = await provisionQueues(clients);

    const dbSecret = await clients.secrets.send(
      new CreateSecretCommand({
        Name: DB_SECRET_NAME,
        Description: 'AskEdgi database credentials.',
        SecretString: JSON.stringify({
          host: '127.0.0.1',
          port: 3306,
          username: 'edgi',
          password: randomBytes(18).toString('base64url'),
          dbname: 'ovaledgedb',
        }),
      }),
    );
    const dbSecretArn = must(dbSecret.ARN, 'DB secret ARN');

    const { iam, secretAccessKey } = await provisionIam(clients, { region, accountId, bucket, dbSecretArn });
    const edgiUserSecret = await clients.secrets.send(
      new CreateSecretCommand({
        Name: EDGI_USER_SECRET_NAME,
        Description: 'Keys the OvalEdge UI and Job read through task definition secrets.',
        SecretString: JSON.stringify({
          EDGI_AWS_SECRET_KEY: secretAccessKey,
          BRIDGE_AWS_USER_ACCESS_KEY: iam.accessKeyId,
          BRIDGE_AWS_USER_SECRET_KEY: secretAccessKey,
        }),
      }),
    );
    const edgiUserSecretArn = must(edgiUserSecret.ARN, 'edgi user secret ARN');
    // The execution role resolves `secrets.valueFrom` at task start, so it needs to read that secret.
    await clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: iam.executionRoleName,
        PolicyName: 'AskEdgiExecutionSecrets',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: edgiUserSecretArn }],
        }),
      }),
    );

    // Effective permissions and the way out (src/sandbox/effective.ts).
    await provisionEffective(clients, { region, accountId, fileSystemId: efs.fileSystemId, taskRolePolicyArn: iam.taskRolePolicyArn, privateRouteTableId: network.routeTables.privateId, publicSubnetId: network.subnets.public });

    const cluster = await clients.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const clusterArn = must(cluster.cluster?.clusterArn, 'cluster ARN');
    for (const logGroupName of Object.values(SANDBOX_NAMES.logGroups)) {
      await clients.logs.send(new CreateLogGroupCommand({ logGroupName }));
    }

    const availabilityZone = network.subnets.availabilityZones[0];
    const cloudMap = await provisionCloudMap(clients, network.vpc.id);
    const instances = await registerCloudMapInstances(clients, {
      region,
      availabilityZone,
      insightServiceId: cloudMap.insight.id,
      dataServiceId: cloudMap.data.id,
    });

    const tdContext: TaskDefinitionContext = {
      region,
      bucket,
      taskRoleArn: iam.taskRoleArn,
      executionRoleArn: iam.executionRoleArn,
      dbSecretName: DB_SECRET_NAME,
    };
    // Registered twice: a realistic history where TASK_DEFINITION must pin the latest revision (2).
    const dataArns = [
      await registerTaskDefinition(clients, dataTaskDefinition(tdContext)),
      await registerTaskDefinition(clients, dataTaskDefinition(tdContext)),
    ];
    const latestData = must(dataArns[dataArns.length - 1], 'Data task definition ARN');
    const insightTd = await registerTaskDefinition(
      clients,
      insightTaskDefinition({
        ...tdContext,
        fileSystemId: efs.fileSystemId,
        accessPoints: efs.accessPoints,
        namespaceId: cloudMap.namespaceId,
        edgiSg: securityGroups.edgi,
        subnets: network.subnets.insight,
        dataTaskDefinitionArn: latestData,
      }),
    );
    const ovaledgeContext = { ...tdContext, accessKeyId: iam.accessKeyId, edgiUserSecretArn };
    const uiTd = await registerTaskDefinition(clients, ovaledgeTaskDefinition('ui', ovaledgeContext));
    const jobTd = await registerTaskDefinition(clients, ovaledgeTaskDefinition('job', ovaledgeContext));

    const insightService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.insight,
      taskDefinition: insightTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.edgi,
      registryArn: cloudMap.insight.arn,
    });
    const uiService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.ui,
      taskDefinition: uiTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.ovaledge,
    });
    const jobService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.job,
      taskDefinition: jobTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.ovaledge,
    });

    const state: SandboxState = {
      region,
      endpoint: opts.endpoint,
      accountId,
      cluster: { name: CLUSTER, arn: clusterArn },
      ...network,
      securityGroups,
      efs,
      bucket,
      iam,
      secrets: { db: { name: DB_SECRET_NAME, arn: dbSecretArn }, edgiUser: { name: EDGI_USER_SECRET_NAME, arn: edgiUserSecretArn } },
      queues,
      logGroups: { ...SANDBOX_NAMES.logGroups },
      cloudMap: {
        namespaceId: cloudMap.namespaceId,
        namespaceArn: cloudMap.namespaceArn,
        namespaceName: NAMESPACE,
        insightServiceId: cloudMap.insight.id,
        insightServiceArn: cloudMap.insight.arn,
        dataServiceId: cloudMap.data.id,
        dataServiceArn: cloudMap.data.arn,
        ...instances,
      },
      taskDefinitions: { data: dataArns, insight: insightTd, ui: uiTd, job: jobTd },
      services: { insight: insightService, ui: uiService, job: jobService },
    };

    await writeSandboxConfig(opts.outDir, sandboxConfig(state));
    await writeFile(join(opts.outDir, SANDBOX_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    return state;
  } finally {
    destroyClients(clients);
  }
}
