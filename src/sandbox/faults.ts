// Named faults: each breaks exactly one thing the runbook asks for in a correct sandbox, and says
// which checks must then change status. The matrix test applies them one at a time to a fresh sandbox.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  DescribeSecurityGroupRulesCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type CreateServiceCommandInput,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { parse } from 'yaml';
import { destroyClients, makeClients, type AwsClients } from '../aws/clients.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { ensureEmulatorCredentials, resetMoto } from './emulator.js';
import {
  provisionSandbox,
  SANDBOX_CONFIG_FILE,
  SANDBOX_NAMES,
  SANDBOX_STATE_FILE,
  writeSandboxConfig,
  type SandboxState,
} from './provision.js';

export type FaultStatus = 'fail' | 'warn' | 'error' | 'skip';

export interface FaultContext {
  clients: AwsClients;
  /** Mutable: a fault that replaces a resource records the new id or ARN here. */
  state: SandboxState;
  /** The raw config as read from askedgi-doctor.yaml; mutable, rewritten by the caller after apply. */
  config: ConfigInput;
  region: string;
}

export interface Fault {
  name: string;
  step: number;
  description: string;
  /** check id → the status it must then have; every other check keeps its clean status */
  expect: Record<string, FaultStatus>;
  apply(ctx: FaultContext): Promise<void>;
}

/** A source of inbound traffic: a CIDR range or another security group. */
type Source = { cidr: string } | { group: string };

function matches(rule: SecurityGroupRule, protocol: string, port: number | undefined, source: Source): boolean {
  if (rule.IsEgress || rule.IpProtocol !== protocol) return false;
  if (port !== undefined && (rule.FromPort !== port || rule.ToPort !== port)) return false;
  return 'cidr' in source ? rule.CidrIpv4 === source.cidr : rule.ReferencedGroupInfo?.GroupId === source.group;
}

/**
 * Revokes one inbound rule by its rule id. moto compares rule descriptions when revoking by
 * IpPermissions (AWS does not), so the rule is looked up first and revoked by id.
 */
async function revokeIngress(
  ctx: FaultContext,
  groupId: string,
  protocol: string,
  port: number | undefined,
  source: Source,
): Promise<void> {
  const out = await ctx.clients.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  const ids = (out.SecurityGroupRules ?? [])
    .filter((r) => matches(r, protocol, port, source))
    .flatMap((r) => (r.SecurityGroupRuleId ? [r.SecurityGroupRuleId] : []));
  if (ids.length === 0) {
    const from = 'cidr' in source ? source.cidr : source.group;
    throw new Error(`Security group ${groupId} has no inbound ${protocol} ${port ?? 'all'} rule from ${from}.`);
  }
  await ctx.clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }));
}

const authorizeIngress = (ctx: FaultContext, groupId: string, permission: IpPermission) =>
  ctx.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));

/** Registers a new revision of a family: the latest one with its container definitions changed. */
async function registerRevision(
  ctx: FaultContext,
  family: string,
  change: (container: ContainerDefinition) => ContainerDefinition,
): Promise<string> {
  const out = await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const td = out.taskDefinition;
  if (!td) throw new Error(`Task definition family ${family} not found in the sandbox.`);
  const input: RegisterTaskDefinitionCommandInput = {
    family,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    containerDefinitions: (td.containerDefinitions ?? []).map(change),
    volumes: td.volumes,
    placementConstraints: td.placementConstraints,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    ephemeralStorage: td.ephemeralStorage,
    runtimePlatform: td.runtimePlatform,
  };
  const registered = await ctx.clients.ecs.send(new RegisterTaskDefinitionCommand(input));
  const arn = registered.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error(`Registering a new revision of ${family} returned no ARN.`);
  return arn;
}

function withEnv(container: ContainerDefinition, name: string, value: string): ContainerDefinition {
  const environment = (container.environment ?? []).map((kv) => (kv.name === name ? { ...kv, value } : kv));
  return { ...container, environment };
}

/**
 * Deletes an ECS service and creates it again with changed settings. moto's UpdateService leaves the
 * PRIMARY deployment's taskDefinition and networkConfiguration as they were, so an update would not
 * look like a real rollout; a re-created service is consistent everywhere.
 */
async function recreateService(
  ctx: FaultContext,
  serviceName: string,
  change: (input: CreateServiceCommandInput) => CreateServiceCommandInput,
): Promise<string> {
  const cluster = ctx.state.cluster.name;
  const described = await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
  const svc = described.services?.find((s) => s.status === 'ACTIVE');
  if (!svc) throw new Error(`Service ${serviceName} is not ACTIVE in cluster ${cluster}.`);
  const input: CreateServiceCommandInput = {
    cluster,
    serviceName,
    taskDefinition: svc.taskDefinition,
    desiredCount: svc.desiredCount,
    launchType: svc.launchType,
    networkConfiguration: svc.networkConfiguration,
    serviceRegistries: svc.serviceRegistries,
  };
  await ctx.clients.ecs.send(new DeleteServiceCommand({ cluster, service: serviceName, force: true }));
  const created = await ctx.clients.ecs.send(new CreateServiceCommand(change(input)));
  const arn = created.service?.serviceArn;
  if (!arn) throw new Error(`Re-creating service ${serviceName} returned no ARN.`);
  return arn;
}

const STEP1_DEPENDENTS_OF_INSIGHT_SERVICE = [
  'insight-subnets-private',
  'edgi-sg-ingress-vpc',
  'edgi-sg-ingress-elasticsearch',
  'edgi-sg-ingress-rds',
  'edgi-sg-ingress-efs',
  'rds-sg-allows-edgi',
  'elasticsearch-sg-allows-edgi',
  'efs-mount-targets-allow-nfs',
] as const;

export const FAULTS: Fault[] = [
  {
    name: 'wrong-account',
    step: 0,
    description: 'The config expects account 999999999999, so the caller identity is in the wrong account.',
    expect: { 'caller-identity': 'fail' },
    async apply(ctx) {
      ctx.config.accountId = '999999999999';
    },
  },
  {
    name: 'region-mismatch',
    step: 0,
    description: 'The OvalEdge UI task definition sets EDGI_AWS_REGION to eu-west-1 while the deployment runs in another region.',
    expect: { 'region-agreement': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.ui, (c) => withEnv(c, 'EDGI_AWS_REGION', 'eu-west-1'));
      // The service runs the new revision so that only the region disagrees, not the rollout.
      ctx.state.services.ui = await recreateService(ctx, SANDBOX_NAMES.services.ui, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.ui = arn;
    },
  },
  {
    name: 'insight-service-deleted',
    step: 1,
    description: 'The Edgi Insight ECS service was deleted, so its subnets and security group cannot be verified.',
    expect: {
      'insight-service-network': 'fail',
      ...Object.fromEntries(STEP1_DEPENDENTS_OF_INSIGHT_SERVICE.map((id) => [id, 'skip' as const])),
    },
    async apply(ctx) {
      await ctx.clients.ecs.send(
        new DeleteServiceCommand({ cluster: ctx.state.cluster.name, service: SANDBOX_NAMES.services.insight, force: true }),
      );
    },
  },
  {
    name: 'insight-public-subnet',
    step: 1,
    description: 'The first Insight subnet is associated with the public route table (0.0.0.0/0 to the internet gateway), so it is not private.',
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const out = await ctx.clients.ec2.send(
        new ReplaceRouteTableAssociationCommand({
          AssociationId: ctx.state.routeTables.insightAssociationIds[0],
          RouteTableId: ctx.state.routeTables.publicId,
        }),
      );
      if (out.NewAssociationId) ctx.state.routeTables.insightAssociationIds[0] = out.NewAssociationId;
    },
  },
  {
    name: 'insight-main-table-public',
    step: 1,
    description: "The second Insight subnet has no explicit route table and the VPC's main table routes 0.0.0.0/0 to the internet gateway.",
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const { ec2 } = ctx.clients;
      await ec2.send(new DisassociateRouteTableCommand({ AssociationId: ctx.state.routeTables.insightAssociationIds[1] }));
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId: ctx.state.vpc.mainRouteTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: ctx.state.vpc.internetGatewayId,
        }),
      );
    },
  },
  {
    name: 'insight-single-subnet',
    step: 1,
    description: 'The Edgi Insight service runs in one subnet instead of the two private subnets the runbook asks for.',
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const subnet = ctx.state.subnets.insight[0];
      // SUBNETS on the task definition follows the service, so only the subnet count is wrong.
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => withEnv(c, 'SUBNETS', subnet));
      ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => {
        const vpc = input.networkConfiguration?.awsvpcConfiguration;
        if (!vpc) throw new Error('The Insight service has no awsvpc network configuration.');
        return { ...input, taskDefinition: arn, networkConfiguration: { awsvpcConfiguration: { ...vpc, subnets: [subnet] } } };
      });
      ctx.state.taskDefinitions.insight = arn;
    },
  },
  {
    name: 'edgi-sg-no-8000',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 8000 from the VPC range (ECS service communication).',
    expect: { 'edgi-sg-ingress-vpc': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 8000, { cidr: ctx.state.vpc.cidr });
    },
  },
  {
    name: 'edgi-sg-no-9200',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 9200 from the private Elasticsearch security group.',
    expect: { 'edgi-sg-ingress-elasticsearch': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 9200, { group: ctx.state.securityGroups.elasticsearch });
    },
  },
  {
    name: 'edgi-sg-no-3306',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 3306 from the private RDS security group.',
    expect: { 'edgi-sg-ingress-rds': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 3306, { group: ctx.state.securityGroups.rds });
    },
  },
  {
    name: 'edgi-sg-no-efs',
    step: 1,
    description: 'The Edgi security group has no inbound rule from the private EFS security group.',
    expect: { 'edgi-sg-ingress-efs': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 2049, { group: ctx.state.securityGroups.efs });
    },
  },
  {
    name: 'edgi-sg-efs-all-traffic',
    step: 1,
    description: "The Edgi security group allows All/All from the EFS security group, the runbook's literal rule, broader than TCP 2049.",
    expect: { 'edgi-sg-ingress-efs': 'warn' },
    async apply(ctx) {
      const { edgi, efs } = ctx.state.securityGroups;
      await revokeIngress(ctx, edgi, 'tcp', 2049, { group: efs });
      await authorizeIngress(ctx, edgi, {
        IpProtocol: '-1',
        UserIdGroupPairs: [{ GroupId: efs, Description: 'Allow EFS to ECS Edgi communication' }],
      });
    },
  },
  {
    name: 'edgi-sg-8000-from-anywhere',
    step: 1,
    description: 'The Edgi security group opens TCP 8000 to 0.0.0.0/0 instead of the VPC range.',
    expect: { 'edgi-sg-ingress-vpc': 'warn' },
    async apply(ctx) {
      const { edgi } = ctx.state.securityGroups;
      await revokeIngress(ctx, edgi, 'tcp', 8000, { cidr: ctx.state.vpc.cidr });
      await authorizeIngress(ctx, edgi, {
        IpProtocol: 'tcp',
        FromPort: 8000,
        ToPort: 8000,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'Allow ECS service communication' }],
      });
    },
  },
  {
    name: 'rds-sg-no-edgi',
    step: 1,
    description: 'The RDS security group does not allow TCP 3306 from the Edgi security group, so the Insight service cannot reach MySQL.',
    expect: { 'rds-sg-allows-edgi': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.rds, 'tcp', 3306, { group: ctx.state.securityGroups.edgi });
    },
  },
  {
    name: 'es-sg-no-edgi',
    step: 1,
    description: 'The Elasticsearch security group does not allow TCP 9200 from the Edgi security group.',
    expect: { 'elasticsearch-sg-allows-edgi': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.elasticsearch, 'tcp', 9200, { group: ctx.state.securityGroups.edgi });
    },
  },
  {
    name: 'efs-sg-no-nfs',
    step: 1,
    description: 'The EFS mount-target security group does not allow TCP 2049 (NFS) from the Edgi security group.',
    expect: { 'efs-mount-targets-allow-nfs': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.efs, 'tcp', 2049, { group: ctx.state.securityGroups.edgi });
    },
  },
];

export function findFault(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}

export interface SandboxLocation {
  endpoint: string;
  outDir: string;
}

export async function readSandboxState(outDir: string): Promise<SandboxState> {
  return JSON.parse(await readFile(join(outDir, SANDBOX_STATE_FILE), 'utf8')) as SandboxState;
}

async function readSandboxConfig(outDir: string): Promise<ConfigInput> {
  const path = join(outDir, SANDBOX_CONFIG_FILE);
  const raw: unknown = parse(await readFile(path, 'utf8'));
  const checked = configSchema.safeParse(raw);
  if (!checked.success) throw new Error(`${path} is not a valid askedgi-doctor config: ${checked.error.message}`);
  // The raw object, not the parsed one: the file is rewritten without the schema's defaults.
  return raw as ConfigInput;
}

/** Applies a named fault to the sandbox in outDir, then rewrites its config and state files. */
export async function breakSandbox(name: string, where: SandboxLocation): Promise<Fault> {
  const fault = findFault(name);
  if (!fault) throw new Error(`Unknown fault "${name}"; known faults: ${FAULTS.map((f) => f.name).join(', ')}.`);
  const state = await readSandboxState(where.outDir);
  const config = await readSandboxConfig(where.outDir);
  ensureEmulatorCredentials();
  const clients = makeClients({ region: state.region, endpoint: where.endpoint });
  try {
    await fault.apply({ clients, state, config, region: state.region });
  } finally {
    destroyClients(clients);
  }
  await writeSandboxConfig(where.outDir, config);
  await writeFile(join(where.outDir, SANDBOX_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  return fault;
}

/** Wipes the emulator and provisions a fresh, correct sandbox. */
export async function sandboxUp(opts: SandboxLocation & { region?: string }): Promise<SandboxState> {
  await resetMoto(opts.endpoint);
  return provisionSandbox({ endpoint: opts.endpoint, region: opts.region ?? 'us-east-1', outDir: opts.outDir });
}

/** Wipes everything the sandbox created in the emulator. */
export async function sandboxDown(endpoint: string): Promise<void> {
  await resetMoto(endpoint);
}
