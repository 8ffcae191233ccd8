import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, type IpPermission, type RouteTable } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type Service, type TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeAccessPointsCommand, DescribeMountTargetSecurityGroupsCommand, DescribeMountTargetsCommand } from '@aws-sdk/client-efs';
import { GetRoleCommand, GetRolePolicyCommand, ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListGroupsForUserCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetNamespaceCommand, GetServiceCommand, ListInstancesCommand } from '@aws-sdk/client-servicediscovery';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { destroyClients, makeClients, type AwsClients } from '../../src/aws/clients.js';
import { configSchema } from '../../src/config/schema.js';
import { ensureEmulatorCredentials, resetMoto } from '../../src/sandbox/emulator.js';
import { breakSandbox, FAULTS, findFault, readSandboxState } from '../../src/sandbox/faults/index.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE, SANDBOX_NAMES, SANDBOX_TENANT_ID, type SandboxState } from '../../src/sandbox/provision.js';
import { endpoint as motoEndpoint } from '../support/live.js';

const endpoint = motoEndpoint();
const region = 'us-east-1';

let clients: AwsClients;
let outDir: string;
let state: SandboxState;

beforeAll(async () => {
  ensureEmulatorCredentials();
  clients = makeClients({ region, endpoint });
  outDir = await mkdtemp(join(tmpdir(), 'askedgi-sandbox-'));
});

afterAll(async () => {
  destroyClients(clients);
  await rm(outDir, { recursive: true, force: true });
});

async function freshSandbox(): Promise<void> {
  await resetMoto(endpoint);
  state = await provisionSandbox({ endpoint, region, outDir });
}

async function rules(groupId: string): Promise<IpPermission[]> {
  const out = await clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  return out.SecurityGroups?.[0]?.IpPermissions ?? [];
}

const allowsTcpFromGroup = (perms: IpPermission[], port: number, groupId: string): boolean =>
  perms.some((p) => p.IpProtocol === 'tcp' && p.FromPort === port && p.ToPort === port && (p.UserIdGroupPairs ?? []).some((g) => g.GroupId === groupId));

const allowsTcpFromCidr = (perms: IpPermission[], port: number, cidr: string): boolean =>
  perms.some((p) => p.IpProtocol === 'tcp' && p.FromPort === port && p.ToPort === port && (p.IpRanges ?? []).some((r) => r.CidrIp === cidr));

const allowsAllFromGroup = (perms: IpPermission[], groupId: string): boolean =>
  perms.some((p) => p.IpProtocol === '-1' && (p.UserIdGroupPairs ?? []).some((g) => g.GroupId === groupId));

/** The route table a subnet uses: its explicit association, else the VPC's main table. */
async function routeTableFor(subnetId: string): Promise<RouteTable> {
  const explicit = await clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
  const table = explicit.RouteTables?.[0];
  if (table) return table;
  const main = await clients.ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [state.vpc.id] }, { Name: 'association.main', Values: ['true'] }] }),
  );
  const mainTable = main.RouteTables?.[0];
  if (!mainTable) throw new Error('The VPC has no main route table.');
  return mainTable;
}

const routesToIgw = (table: RouteTable): boolean =>
  (table.Routes ?? []).some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && (r.GatewayId ?? '').startsWith('igw-'));

async function taskDefinition(familyOrArn: string): Promise<TaskDefinition> {
  const out = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: familyOrArn }));
  if (!out.taskDefinition) throw new Error(`No task definition ${familyOrArn}.`);
  return out.taskDefinition;
}

function envOf(td: TaskDefinition): Record<string, string> {
  return Object.fromEntries((td.containerDefinitions?.[0]?.environment ?? []).map((kv) => [kv.name ?? '', kv.value ?? '']));
}

async function service(name: string): Promise<Service | undefined> {
  const out = await clients.ecs.send(new DescribeServicesCommand({ cluster: state.cluster.name, services: [name] }));
  return out.services?.[0];
}

describe('provisionSandbox', () => {
  // The spot checks only read, so they share one sandbox; each fault below gets a fresh one.
  beforeAll(freshSandbox);

  it('writes a config that parses with the schema and a state file with every id', async () => {
    const raw: unknown = parse(await readFile(join(outDir, SANDBOX_CONFIG_FILE), 'utf8'));
    const config = configSchema.parse(raw);
    expect(config).toMatchObject({
      region,
      accountId: state.accountId,
      endpoint,
      cluster: 'askedgi-sandbox',
      env: 'dev',
      taskDefinitions: { data: 'edgi-data-service', insight: 'oe_edgi_insights_service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
      services: { insight: 'oe-edgi-insights-service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
      securityGroups: { elasticsearch: state.securityGroups.elasticsearch, rds: state.securityGroups.rds, efs: state.securityGroups.efs },
      efs: { fileSystemId: state.efs.fileSystemId },
      iam: { user: 'edgi_user', userPolicy: 'AskEdgi_policy_Saas', taskRole: 'AskEdgiEcsTaskRole', taskRolePolicy: 'AskEdgi_ECS_Policy' },
    });
    expect(await readSandboxState(outDir)).toEqual(state);
  });

  it('keeps both Insight subnets explicitly on a private table and the main table private', async () => {
    const [a, b] = state.subnets.insight;
    for (const subnet of [a, b]) {
      const table = await routeTableFor(subnet);
      expect(table.RouteTableId).toBe(state.routeTables.privateId);
      expect(routesToIgw(table)).toBe(false);
    }
    const publicTable = await routeTableFor(state.subnets.public);
    expect(publicTable.RouteTableId).toBe(state.routeTables.publicId);
    expect(routesToIgw(publicTable)).toBe(true);
    const main = await clients.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [state.vpc.mainRouteTableId] }));
    expect(routesToIgw(main.RouteTables?.[0] ?? {})).toBe(false);
  });

  it('opens the Edgi SG and its peers as the runbook needs', async () => {
    const sg = state.securityGroups;
    const edgi = await rules(sg.edgi);
    expect(allowsTcpFromCidr(edgi, 8000, '10.20.0.0/16')).toBe(true);
    expect(allowsTcpFromGroup(edgi, 9200, sg.elasticsearch)).toBe(true);
    expect(allowsTcpFromGroup(edgi, 3306, sg.rds)).toBe(true);
    expect(allowsTcpFromGroup(edgi, 2049, sg.efs)).toBe(true);
    expect(allowsAllFromGroup(edgi, sg.efs)).toBe(false);
    const rds = await rules(sg.rds);
    expect(allowsTcpFromGroup(rds, 3306, sg.edgi)).toBe(true);
    expect(allowsTcpFromGroup(rds, 3306, sg.ovaledge)).toBe(true);
    expect(allowsTcpFromGroup(await rules(sg.elasticsearch), 9200, sg.edgi)).toBe(true);
    expect(allowsTcpFromGroup(await rules(sg.efs), 2049, sg.edgi)).toBe(true);
  });

  it('creates EFS mount targets in both Insight subnets and the three access points', async () => {
    const mts = await clients.efs.send(new DescribeMountTargetsCommand({ FileSystemId: state.efs.fileSystemId }));
    expect((mts.MountTargets ?? []).map((m) => m.SubnetId).sort()).toEqual([...state.subnets.insight].sort());
    for (const id of state.efs.mountTargetIds) {
      const sgs = await clients.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: id }));
      expect(sgs.SecurityGroups).toEqual([state.securityGroups.efs]);
    }
    const aps = await clients.efs.send(new DescribeAccessPointsCommand({ FileSystemId: state.efs.fileSystemId }));
    expect(aps.AccessPoints).toHaveLength(3);
    expect((aps.AccessPoints ?? []).map((ap) => ap.RootDirectory?.Path).sort()).toEqual([
      '/oe_edgi_insights_dev_documents',
      '/oe_edgi_insights_dev_logs',
      '/oe_edgi_insights_dev_store',
    ]);
    for (const ap of aps.AccessPoints ?? []) {
      expect(ap.PosixUser).toMatchObject({ Uid: 1000, Gid: 1000 });
      expect(ap.RootDirectory?.CreationInfo).toEqual({ OwnerUid: 1000, OwnerGid: 1000, Permissions: '0755' });
    }
  });

  it('registers the Data task definition twice and pins revision 2 in the Insight one', async () => {
    const data = await taskDefinition('edgi-data-service');
    expect(data.revision).toBe(2);
    expect(data).toMatchObject({ cpu: '512', memory: '2048', ephemeralStorage: { sizeInGiB: 200 }, taskRoleArn: state.iam.taskRoleArn });
    expect(envOf(data)).toEqual({
      AWS_REGION: region,
      AWS_SCTNAME: 'askedgi/sandbox/db',
      BUCKET_NAME: state.bucket,
      CREDENTIAL_TYPE: 'container',
      DEPLOYMENT_TYPE: 'ecs',
      // Decision documented in provision.ts: the sandbox uses ENV=prod on Data and Insight alike.
      ENV: 'prod',
      ...SANDBOX_TENANT_ID,
    });

    const insight = await taskDefinition('oe_edgi_insights_service');
    expect(insight).toMatchObject({ cpu: '1024', memory: '2048', ephemeralStorage: { sizeInGiB: 200 }, taskRoleArn: state.iam.taskRoleArn });
    expect(envOf(insight)).toEqual({
      AI_FUNCTION_QUEUE_NAME: 'ai_functions_queue',
      AWS_REGION: region,
      AWS_SCTNAME: 'askedgi/sandbox/db',
      BUCKET_NAME: state.bucket,
      CLUSTER_NAME: 'askedgi-sandbox',
      CREDENTIAL_TYPE: 'container',
      DATA_SYNC_QUEUE_NAME: 'data_sync_queue',
      DEPLOYMENT_TYPE: 'ecs',
      DNS_NAME_SPACE_ID: state.cloudMap.namespaceId,
      DOCS_FOLDER: '/app/documents',
      EDGI_WORKSPACE_DISCOVERY: 'dynamic',
      EDGI_WORKSPACE_HOST: 'edgi-data-service',
      EDGI_WORKSPACE_NAME_SPACE: 'askedgi.local',
      ENV: 'prod',
      LOG_PATH: '/app/logs',
      SECURITY_GROUPS: state.securityGroups.edgi,
      SQS_QUEUE_PREFIX: 'askedgi-sandbox',
      STORE_FOLDER: '/app/store',
      SUBNETS: state.subnets.insight.join(','),
      TASK_DEFINITION: data.taskDefinitionArn,
      ...SANDBOX_TENANT_ID,
    });
    expect(data.taskDefinitionArn).toBe(state.taskDefinitions.data[1]);
    const volumes = insight.volumes ?? [];
    expect(volumes.map((v) => v.efsVolumeConfiguration?.authorizationConfig?.accessPointId).sort()).toEqual(
      Object.values(state.efs.accessPoints).sort(),
    );
    for (const v of volumes) expect(v.efsVolumeConfiguration).toMatchObject({ fileSystemId: state.efs.fileSystemId, transitEncryption: 'ENABLED' });
    expect((insight.containerDefinitions?.[0]?.mountPoints ?? []).map((m) => m.containerPath).sort()).toEqual(['/app/documents', '/app/logs', '/app/store']);

    for (const family of ['ovaledge-ui', 'ovaledge-job']) {
      const td = await taskDefinition(family);
      expect(td.taskRoleArn).toBe(state.iam.taskRoleArn);
      const env = envOf(td);
      expect(env).toMatchObject({
        EDGI_AWS_ACCESS_ID: state.iam.accessKeyId,
        EDGI_AWS_REGION: region,
        EDGI_BUCKET_NAME: state.bucket,
        EDGI_CLIENT_PREFIX: 'askedgi-sandbox',
        EDGI_INSIGHT_SERVICE_HOST: 'oe-edgi-insights-service.askedgi.local',
        EDGI_WORKSPACE_HOST: 'edgi-data-service',
        EDGI_WORKSPACE_NAMESPACE: 'askedgi.local',
      });
      expect(Object.keys(env).filter((k) => /SECRET|BRIDGE/.test(k))).toEqual([]);
      expect((td.containerDefinitions?.[0]?.secrets ?? []).map((s) => s.name).sort()).toEqual([
        'BRIDGE_AWS_USER_ACCESS_KEY',
        'BRIDGE_AWS_USER_SECRET_KEY',
        'EDGI_AWS_SECRET_KEY',
      ]);
    }
  });

  it('runs the three services ACTIVE in the two private subnets, Insight with service discovery', async () => {
    for (const name of ['oe-edgi-insights-service', 'ovaledge-ui', 'ovaledge-job']) {
      const svc = await service(name);
      expect(svc).toMatchObject({ status: 'ACTIVE', desiredCount: 1, runningCount: 1, launchType: 'FARGATE' });
      expect(svc?.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual(state.subnets.insight);
      expect(svc?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
    }
    const insight = await service('oe-edgi-insights-service');
    expect(insight?.networkConfiguration?.awsvpcConfiguration?.securityGroups).toEqual([state.securityGroups.edgi]);
    expect(insight?.serviceRegistries).toEqual([{ registryArn: state.cloudMap.insightServiceArn }]);
    expect(insight?.taskDefinition).toBe(state.taskDefinitions.insight);
  });

  it('registers the Cloud Map namespace, services and instances', async () => {
    const ns = await clients.cloudMap.send(new GetNamespaceCommand({ Id: state.cloudMap.namespaceId }));
    expect(ns.Namespace).toMatchObject({ Name: 'askedgi.local', Type: 'DNS_PRIVATE' });
    const insight = await clients.cloudMap.send(new GetServiceCommand({ Id: state.cloudMap.insightServiceId }));
    expect(insight.Service).toMatchObject({ Name: 'oe-edgi-insights-service', NamespaceId: state.cloudMap.namespaceId });
    const data = await clients.cloudMap.send(new ListInstancesCommand({ ServiceId: state.cloudMap.dataServiceId }));
    expect(data.Instances).toEqual([
      {
        Id: 'edgi-data-service-admin',
        Attributes: {
          AWS_INSTANCE_IPV4: '10.20.1.50',
          AWS_INSTANCE_PORT: '8000',
          ECS_SERVICE_NAME: 'edgi-data-service-admin',
          ECS_CLUSTER_NAME: 'askedgi-sandbox',
          ECS_TASK_DEFINITION_FAMILY: 'edgi-data-service',
          AVAILABILITY_ZONE: 'us-east-1a',
          REGION: region,
        },
      },
    ]);
    const insightInstances = await clients.cloudMap.send(new ListInstancesCommand({ ServiceId: state.cloudMap.insightServiceId }));
    expect(insightInstances.Instances?.[0]?.Attributes?.AWS_INSTANCE_IPV4).toBe('10.20.1.10');
  });

  it('creates the IAM user, roles, bucket CORS, secrets and queues', async () => {
    const userPolicies = await clients.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'edgi_user' }));
    expect(userPolicies.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AskEdgi_policy_Saas']);
    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: 'edgi_user' }));
    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([[state.iam.accessKeyId, 'Active']]);
    const role = await clients.iam.send(new GetRoleCommand({ RoleName: 'AskEdgiEcsTaskRole' }));
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain('ecs-tasks.amazonaws.com');
    const rolePolicies = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AskEdgiEcsTaskRole' }));
    expect(rolePolicies.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AskEdgi_ECS_Policy']);
    const execPolicies = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AskEdgiEcsExecutionRole' }));
    expect(execPolicies.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AmazonECSTaskExecutionRolePolicy']);

    const cors = await clients.s3.send(new GetBucketCorsCommand({ Bucket: state.bucket }));
    expect(cors.CORSRules).toMatchObject([{ AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['http://127.0.0.1:*'] }]);

    const db = await clients.secrets.send(new GetSecretValueCommand({ SecretId: 'askedgi/sandbox/db' }));
    expect(Object.keys(JSON.parse(db.SecretString ?? '{}') as object).sort()).toEqual(['dbname', 'host', 'password', 'port', 'username']);
    for (const q of ['askedgi-sandbox-ai_functions_queue', 'askedgi-sandbox-data_sync_queue']) {
      await expect(clients.sqs.send(new GetQueueUrlCommand({ QueueName: q }))).resolves.toMatchObject({ QueueUrl: expect.stringContaining(q) });
    }
  });
});

/**
 * What some faults must visibly change, read back with Describe calls after breakSandbox: an
 * independent check of the fault helpers (revoke by rule id, re-created services, route tables).
 * Every fault's effect is proven through the checks by the fault matrix (test/support/matrix-cases.ts).
 */
const verify: Record<string, () => Promise<void>> = {
  'shape-policies-via-group-and-inline': async () => {
    const user = await clients.iam.send(new ListAttachedUserPoliciesCommand({ UserName: state.iam.userName }));
    expect(user.AttachedPolicies ?? []).toEqual([]);
    const groups = await clients.iam.send(new ListGroupsForUserCommand({ UserName: state.iam.userName }));
    expect((groups.Groups ?? []).map((g) => g.GroupName)).toEqual(['askedgi-users']);
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: state.iam.taskRoleName }));
    expect((attached.AttachedPolicies ?? []).map((p) => p.PolicyArn)).not.toContain(state.iam.taskRolePolicyArn);
    const inline = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: state.iam.taskRoleName }));
    expect(inline.PolicyNames).toContain('AskEdgi_ECS_Policy');
  },
  'shape-ovaledge-ssm-parameter': async () => {
    const params = await clients.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/askedgi/edgi-aws-secret-key'] }] }));
    expect((params.Parameters ?? []).map((p) => [p.Name, p.Type])).toEqual([['/askedgi/edgi-aws-secret-key', 'SecureString']]);
    for (const family of [SANDBOX_NAMES.families.ui, SANDBOX_NAMES.families.job]) {
      const td = await taskDefinition(family);
      const ref = td.containerDefinitions!.flatMap((c) => c.secrets ?? []).find((x) => x.name === 'EDGI_AWS_SECRET_KEY');
      expect(ref?.valueFrom).toBe(`arn:aws:ssm:${state.region}:${state.accountId}:parameter/askedgi/edgi-aws-secret-key`);
    }
  },
  'shape-secret-partial-arn': async () => {
    const partial = state.secrets.edgiUser.arn.replace(/-[A-Za-z0-9]{6}$/, '');
    expect(partial).not.toBe(state.secrets.edgiUser.arn);
    for (const family of [SANDBOX_NAMES.families.ui, SANDBOX_NAMES.families.job]) {
      const td = await taskDefinition(family);
      const refs = td.containerDefinitions!.flatMap((c) => c.secrets ?? []);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref.valueFrom?.startsWith(`${partial}:`), ref.valueFrom).toBe(true);
    }
    const policy = await clients.iam.send(new GetRolePolicyCommand({ RoleName: state.iam.executionRoleName, PolicyName: 'AskEdgiExecutionSecrets' }));
    const doc = policy.PolicyDocument!.trimStart().startsWith('{') ? policy.PolicyDocument! : decodeURIComponent(policy.PolicyDocument!);
    expect(JSON.parse(doc)).toMatchObject({ Statement: [{ Resource: `${partial}-??????` }] });
  },
  'insight-egress-via-transit-gateway': async () => {
    const table = await routeTableFor(state.subnets.insight[0]);
    expect(table.RouteTableId).toBe(state.routeTables.privateId);
    const out = (table.Routes ?? []).filter((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    expect(out.map((r) => [r.TransitGatewayId?.startsWith('tgw-'), r.NatGatewayId])).toEqual([[true, undefined]]);
  },
  'vpc-endpoints-shut-insight-out': async () => {
    const table = await routeTableFor(state.subnets.insight[0]);
    expect((table.Routes ?? []).filter((r) => r.DestinationCidrBlock === '0.0.0.0/0')).toEqual([]);
    const endpoints = (await clients.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [state.vpc.id] }] }))).VpcEndpoints ?? [];
    const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => e.ServiceName?.split('.').slice(3).join('.')).sort()).toEqual(['data-servicediscovery', 'ecr.api', 'ecr.dkr', 'ecs', 'logs', 'secretsmanager', 'servicediscovery', 'sqs']);
    expect(interfaces.every((e) => e.PrivateDnsEnabled)).toBe(true);
    const groupIds = [...new Set(interfaces.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId!)))];
    expect(groupIds).toHaveLength(1);
    expect(allowsTcpFromGroup(await rules(groupIds[0]!), 443, state.securityGroups.edgi)).toBe(false);
    expect(allowsTcpFromGroup(await rules(groupIds[0]!), 443, groupIds[0]!)).toBe(true);
  },
  'insight-nat-gateway-private': async () => {
    const table = await routeTableFor(state.subnets.insight[0]);
    const nat = (table.Routes ?? []).find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId;
    expect(nat).toMatch(/^nat-/);
    const described = (await clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat!] }))).NatGateways ?? [];
    expect(described.map((n) => n.ConnectivityType)).toEqual(['private']);
  },
  'ui-service-bridge-network': async () => {
    const ui = await taskDefinition(SANDBOX_NAMES.families.ui);
    expect(ui.networkMode).toBe('bridge');
    const svc = await service(SANDBOX_NAMES.services.ui);
    expect(svc?.launchType).toBe('EC2');
    expect(svc?.networkConfiguration?.awsvpcConfiguration).toBeUndefined();
    expect(svc?.taskDefinition).toBe(ui.taskDefinitionArn);
  },
  'wrong-account': async () => {
    const config = configSchema.parse(parse(await readFile(join(outDir, SANDBOX_CONFIG_FILE), 'utf8')));
    expect(config.accountId).toBe('999999999999');
  },
  'region-mismatch': async () => {
    const ui = await taskDefinition('ovaledge-ui');
    expect(ui.revision).toBe(2);
    expect(envOf(ui).EDGI_AWS_REGION).toBe('eu-west-1');
    const svc = await service('ovaledge-ui');
    expect(svc?.status).toBe('ACTIVE');
    expect(svc?.taskDefinition).toBe(ui.taskDefinitionArn);
    expect(svc?.deployments?.[0]?.taskDefinition).toBe(ui.taskDefinitionArn);
  },
  'insight-service-deleted': async () => {
    expect((await service('oe-edgi-insights-service'))?.status).not.toBe('ACTIVE');
  },
  'insight-public-subnet': async () => {
    const table = await routeTableFor(state.subnets.insight[0]);
    expect(table.RouteTableId).toBe(state.routeTables.publicId);
    expect(routesToIgw(table)).toBe(true);
  },
  'insight-main-table-public': async () => {
    const table = await routeTableFor(state.subnets.insight[1]);
    expect(table.RouteTableId).toBe(state.vpc.mainRouteTableId);
    expect(routesToIgw(table)).toBe(true);
  },
  'insight-single-subnet': async () => {
    const svc = await service('oe-edgi-insights-service');
    expect(svc?.status).toBe('ACTIVE');
    expect(svc?.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual([state.subnets.insight[0]]);
    expect(svc?.deployments?.[0]?.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual([state.subnets.insight[0]]);
    expect(svc?.serviceRegistries).toEqual([{ registryArn: state.cloudMap.insightServiceArn }]);
    expect(envOf(await taskDefinition('oe_edgi_insights_service')).SUBNETS).toBe(state.subnets.insight[0]);
  },
  'edgi-sg-no-8000': async () => {
    expect(allowsTcpFromCidr(await rules(state.securityGroups.edgi), 8000, state.vpc.cidr)).toBe(false);
  },
  'edgi-sg-no-9200': async () => {
    expect(allowsTcpFromGroup(await rules(state.securityGroups.edgi), 9200, state.securityGroups.elasticsearch)).toBe(false);
  },
  'edgi-sg-no-3306': async () => {
    expect(allowsTcpFromGroup(await rules(state.securityGroups.edgi), 3306, state.securityGroups.rds)).toBe(false);
  },
  'edgi-sg-no-efs': async () => {
    const edgi = await rules(state.securityGroups.edgi);
    expect(allowsTcpFromGroup(edgi, 2049, state.securityGroups.efs)).toBe(false);
    expect(allowsAllFromGroup(edgi, state.securityGroups.efs)).toBe(false);
  },
  'edgi-sg-efs-all-traffic': async () => {
    const edgi = await rules(state.securityGroups.edgi);
    expect(allowsTcpFromGroup(edgi, 2049, state.securityGroups.efs)).toBe(false);
    expect(allowsAllFromGroup(edgi, state.securityGroups.efs)).toBe(true);
  },
  'edgi-sg-8000-from-anywhere': async () => {
    const edgi = await rules(state.securityGroups.edgi);
    expect(allowsTcpFromCidr(edgi, 8000, state.vpc.cidr)).toBe(false);
    expect(allowsTcpFromCidr(edgi, 8000, '0.0.0.0/0')).toBe(true);
  },
  'rds-sg-no-edgi': async () => {
    const rds = await rules(state.securityGroups.rds);
    expect(allowsTcpFromGroup(rds, 3306, state.securityGroups.edgi)).toBe(false);
    expect(allowsTcpFromGroup(rds, 3306, state.securityGroups.ovaledge)).toBe(true);
  },
  'es-sg-no-edgi': async () => {
    expect(allowsTcpFromGroup(await rules(state.securityGroups.elasticsearch), 9200, state.securityGroups.edgi)).toBe(false);
  },
  'efs-sg-no-nfs': async () => {
    expect(allowsTcpFromGroup(await rules(state.securityGroups.efs), 2049, state.securityGroups.edgi)).toBe(false);
  },
};

describe('faults', () => {
  it('have unique names, a description and at least one expectation (a correct shape, none)', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FAULTS) {
      expect(f.description).toMatch(/\.$/);
      // Variants (src/sandbox/faults/variants.ts) are correct deployments of other shapes: nothing changes.
      if (f.name.startsWith('shape-')) expect(f.expect).toEqual({});
      else expect(Object.keys(f.expect).length).toBeGreaterThan(0);
      expect(findFault(f.name)).toBe(f);
    }
    for (const name of Object.keys(verify)) expect(names).toContain(name);
  });

  it('rejects an unknown fault name', async () => {
    await expect(breakSandbox('no-such-fault', { endpoint, outDir })).rejects.toThrow(/Unknown fault "no-such-fault"/);
  });

  describe('on a fresh sandbox', () => {
    beforeEach(freshSandbox);

    it.each(Object.keys(verify).map((name) => [name]))('%s applies and makes its change', async (name) => {
      await breakSandbox(name, { endpoint, outDir });
      configSchema.parse(parse(await readFile(join(outDir, SANDBOX_CONFIG_FILE), 'utf8')));
      await verify[name]!();
    });
  });
});
