// What a fault is, and the small mutations faults are built from.
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupRulesCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceRouteCommand,
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
import type { AwsClients } from '../../aws/clients.js';
import type { ConfigInput } from '../../config/schema.js';
import type { DbConnectionOptions } from '../../inventory/db.js';
import { DEPENDS_ON } from '../../resolve/dependencies.generated.js';
import { SANDBOX_NAMES, type SandboxState } from '../provision.js';

export type FaultStatus = 'fail' | 'warn' | 'error' | 'skip';

/**
 * What a fault's run shows: the statuses it names, and `skip` for every check that depends (in the
 * recorded dependency graph) on a check it makes fail or error. Faults name only what they change.
 */
export function withDependents(expect: Readonly<Record<string, FaultStatus>>): Record<string, FaultStatus> {
  const broken = new Set(Object.entries(expect).filter(([, s]) => s === 'fail' || s === 'error').map(([id]) => id));
  const out: Record<string, FaultStatus> = { ...expect };
  for (const [id, roots] of Object.entries(DEPENDS_ON)) if (out[id] === undefined && roots.some((r) => broken.has(r))) out[id] = 'skip';
  return out;
}

export interface FaultContext {
  clients: AwsClients;
  /** Mutable: a fault that replaces a resource records the new id or ARN here. */
  state: SandboxState;
  /** The raw config as read from askedgi-doctor.yaml; mutable, rewritten by the caller after apply. */
  config: ConfigInput;
  region: string;
  /** The sandbox directory (app-state.json of the OvalEdge app lives there). */
  dir?: string;
  /** The sandbox database (app user), when the sandbox runs one (sandbox-app.json); absent otherwise. */
  database?: DbConnectionOptions;
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
export type Source = { cidr: string } | { group: string };

function matches(rule: SecurityGroupRule, protocol: string, port: number | undefined, source: Source): boolean {
  if (rule.IsEgress || rule.IpProtocol !== protocol) return false;
  if (port !== undefined && (rule.FromPort !== port || rule.ToPort !== port)) return false;
  return 'cidr' in source ? rule.CidrIpv4 === source.cidr : rule.ReferencedGroupInfo?.GroupId === source.group;
}

/**
 * Revokes one inbound rule by its rule id. moto compares rule descriptions when revoking by
 * IpPermissions (AWS does not), so the rule is looked up first and revoked by id.
 */
export async function revokeIngress(
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

export const authorizeIngress = (ctx: FaultContext, groupId: string, permission: IpPermission) =>
  ctx.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));

/**
 * Registers a new revision of a family: the latest one as a RegisterTaskDefinition input, changed
 * by `change` (containers, volumes, task role, sizes …). Returns the new revision's ARN.
 */
export async function registerTaskDefinition(
  ctx: FaultContext,
  family: string,
  change: (input: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput,
): Promise<string> {
  const out = await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const td = out.taskDefinition;
  if (!td) throw new Error(`Task definition family ${family} not found in the sandbox.`);
  const input: RegisterTaskDefinitionCommandInput = {
    family,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    containerDefinitions: td.containerDefinitions ?? [],
    volumes: td.volumes,
    placementConstraints: td.placementConstraints,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    ephemeralStorage: td.ephemeralStorage,
    runtimePlatform: td.runtimePlatform,
  };
  const registered = await ctx.clients.ecs.send(new RegisterTaskDefinitionCommand(change(input)));
  const arn = registered.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error(`Registering a new revision of ${family} returned no ARN.`);
  return arn;
}

/** Registers a new revision of a family: the latest one with its container definitions changed. */
export function registerRevision(ctx: FaultContext, family: string, change: (container: ContainerDefinition) => ContainerDefinition): Promise<string> {
  return registerTaskDefinition(ctx, family, (input) => ({ ...input, containerDefinitions: (input.containerDefinitions ?? []).map(change) }));
}

/** Runs the Insight service on a new Insight revision, as a careful engineer would (re-created: moto's UpdateService keeps the old PRIMARY). */
export async function redeployInsight(ctx: FaultContext, insightArn: string): Promise<void> {
  ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => ({ ...input, taskDefinition: insightArn }));
  ctx.state.taskDefinitions.insight = insightArn;
}

export function withEnv(container: ContainerDefinition, name: string, value: string): ContainerDefinition {
  const environment = (container.environment ?? []).map((kv) => (kv.name === name ? { ...kv, value } : kv));
  return { ...container, environment };
}

/**
 * Deletes an ECS service and creates it again with changed settings. moto's UpdateService leaves the
 * PRIMARY deployment's taskDefinition and networkConfiguration as they were, so an update would not
 * look like a real rollout; a re-created service is consistent everywhere.
 */
export async function recreateService(
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

/** One entry of a network ACL, as the fault helpers write it. */
export interface AclEntry {
  RuleNumber: number;
  Egress: boolean;
  RuleAction: 'allow' | 'deny';
  Protocol: string;
  PortRange?: { From: number; To: number };
  CidrBlock: string;
}

/** A new network ACL with `entries` (the final deny * is AWS's), associated with each of `subnets` in place of its current one. */
export async function networkAclFor(ctx: FaultContext, subnets: readonly string[], entries: readonly AclEntry[]): Promise<string> {
  const { ec2 } = ctx.clients;
  const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: ctx.state.vpc.id }))).NetworkAcl?.NetworkAclId;
  if (!acl) throw new Error('Creating the network ACL returned no id.');
  for (const e of entries) await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, ...e }));
  for (const subnet of subnets) {
    const current = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet] }] }))).NetworkAcls ?? [];
    const association = current.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === subnet)?.NetworkAclAssociationId;
    if (!association) throw new Error(`Subnet ${subnet} has no network ACL association.`);
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: acl }));
  }
  return acl;
}

/** Points the private route table's 0.0.0.0/0 (the Insight subnets' way out) at another target. */
export async function replacePrivateDefaultRoute(ctx: FaultContext, target: { TransitGatewayId: string } | { NatGatewayId: string }): Promise<void> {
  await ctx.clients.ec2.send(new ReplaceRouteCommand({ RouteTableId: ctx.state.routeTables.privateId, DestinationCidrBlock: '0.0.0.0/0', ...target }));
}
