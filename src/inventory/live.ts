import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type Filter, type IpPermission as SdkIpPermission } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, type TaskDefinition as SdkTaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeMountTargetsCommand, DescribeMountTargetSecurityGroupsCommand } from '@aws-sdk/client-efs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { makeClients, type AwsClients, type ClientOptions } from '../aws/clients.js';
import { toInventoryError } from './errors.js';
import { redactEnvironment } from './redact.js';
import type {
  ApiCallCounts,
  CallerIdentity,
  Cluster,
  Inventory,
  IpPermission,
  MountTarget,
  RouteTable,
  SecurityGroup,
  Service,
  Subnet,
  TaskDefinition,
  Vpc,
} from './types.js';

/** IAM action prefix per client, so counts read as the permissions they need ("ec2:DescribeVpcs"). */
const IAM_PREFIX: Record<keyof AwsClients, string> = {
  sts: 'sts',
  ec2: 'ec2',
  ecs: 'ecs',
  efs: 'elasticfilesystem',
  iam: 'iam',
  s3: 's3',
  secrets: 'secretsmanager',
  cloudMap: 'servicediscovery',
  logs: 'logs',
  sqs: 'sqs',
};

/** The one part of an SDK client the call counter needs. */
interface CountableClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
}

export interface LiveInventoryOptions extends ClientOptions {
  /** At most this many AWS calls in flight at once. */
  concurrency?: number;
}

const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

function mapPermission(p: SdkIpPermission): IpPermission {
  return {
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrs: (p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
    ipv6Cidrs: (p.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [r.CidrIpv6] : [])),
    groupIds: (p.UserIdGroupPairs ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
    prefixListIds: (p.PrefixListIds ?? []).flatMap((g) => (g.PrefixListId ? [g.PrefixListId] : [])),
  };
}

export function mapTaskDefinition(td: SdkTaskDefinition): TaskDefinition {
  return {
    arn: td.taskDefinitionArn ?? '',
    family: td.family ?? '',
    revision: td.revision ?? 0,
    status: td.status ?? 'UNKNOWN',
    cpu: td.cpu,
    memory: td.memory,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities ?? [],
    ephemeralStorageGiB: td.ephemeralStorage?.sizeInGiB,
    containers: (td.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image,
      portMappings: (c.portMappings ?? []).map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })),
      environment: redactEnvironment(c.environment),
      secrets: (c.secrets ?? []).map((s) => ({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' })),
      logConfiguration: c.logConfiguration
        ? { logDriver: c.logConfiguration.logDriver ?? '', options: { ...(c.logConfiguration.options ?? {}) } }
        : undefined,
      mountPoints: (c.mountPoints ?? []).map((m) => ({ sourceVolume: m.sourceVolume, containerPath: m.containerPath, readOnly: m.readOnly })),
    })),
    volumes: (td.volumes ?? []).map((v) => ({
      name: v.name ?? '',
      efs: v.efsVolumeConfiguration
        ? {
            fileSystemId: v.efsVolumeConfiguration.fileSystemId ?? '',
            rootDirectory: v.efsVolumeConfiguration.rootDirectory,
            transitEncryption: v.efsVolumeConfiguration.transitEncryption,
            accessPointId: v.efsVolumeConfiguration.authorizationConfig?.accessPointId,
            iam: v.efsVolumeConfiguration.authorizationConfig?.iam,
          }
        : undefined,
    })),
  };
}

/** The inventory on the AWS SDK v3: memoized, bounded, counted, read-only. */
export class LiveInventory implements Inventory {
  readonly source = 'live' as const;
  readonly clients: AwsClients;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly counts: ApiCallCounts = {};
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(opts: LiveInventoryOptions) {
    this.clients = makeClients(opts);
    this.limit = pLimit(opts.concurrency ?? 8);
    // Count every operation any client sends (once per operation, not per retry).
    for (const [key, client] of Object.entries(this.clients) as [keyof AwsClients, CountableClient][]) {
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
          const op = `${IAM_PREFIX[key]}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
          this.counts[op] = (this.counts[op] ?? 0) + 1;
          return next(args);
        },
        { step: 'initialize', name: 'askedgiDoctorCallCounter' },
      );
    }
  }

  apiCalls(): ApiCallCounts {
    return { ...this.counts };
  }

  destroy(): void {
    for (const c of Object.values(this.clients)) c.destroy();
  }

  /** Memoize by key and turn SDK failures into InventoryErrors naming the action. */
  private get<T>(key: string, action: string, resource: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn().catch((err: unknown) => {
        throw toInventoryError(err, action, resource);
      });
      this.memo.set(key, p);
    }
    return p;
  }

  /** Bound the calls in flight. Only around single SDK sends: a getter awaiting another getter holds no slot. */
  private send<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(fn);
  }

  identity(): Promise<CallerIdentity> {
    return this.get('identity', 'sts:GetCallerIdentity', 'the caller identity', async () => {
      const r = await this.send(() => this.clients.sts.send(new GetCallerIdentityCommand({})));
      return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
    });
  }

  cluster(name: string): Promise<Cluster | undefined> {
    return this.get(`cluster:${name}`, 'ecs:DescribeClusters', `ECS cluster ${name}`, async () => {
      const r = await this.send(() => this.clients.ecs.send(new DescribeClustersCommand({ clusters: [name] })));
      const c = r.clusters?.[0];
      return c ? { arn: c.clusterArn ?? '', name: c.clusterName ?? name, status: c.status ?? 'UNKNOWN' } : undefined;
    });
  }

  service(cluster: string, name: string): Promise<Service | undefined> {
    return this.get(`service:${cluster}/${name}`, 'ecs:DescribeServices', `ECS service ${name} in cluster ${cluster}`, async () => {
      const r = await this.send(() => this.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [name] })));
      const s = r.services?.find((x) => x.status !== 'INACTIVE') ?? r.services?.[0];
      if (!s) return undefined;
      const net = s.networkConfiguration?.awsvpcConfiguration;
      return {
        arn: s.serviceArn ?? '',
        name: s.serviceName ?? name,
        clusterArn: s.clusterArn ?? '',
        status: s.status ?? 'UNKNOWN',
        taskDefinition: s.taskDefinition ?? '',
        desiredCount: s.desiredCount ?? 0,
        runningCount: s.runningCount ?? 0,
        launchType: s.launchType,
        subnets: net?.subnets ?? [],
        securityGroups: net?.securityGroups ?? [],
        assignPublicIp: net?.assignPublicIp,
        deployments: (s.deployments ?? []).map((d) => ({
          id: d.id ?? '',
          status: d.status ?? '',
          taskDefinition: d.taskDefinition ?? '',
          rolloutState: d.rolloutState,
          desiredCount: d.desiredCount ?? 0,
          runningCount: d.runningCount ?? 0,
        })),
        serviceRegistries: (s.serviceRegistries ?? []).map((g) => ({
          registryArn: g.registryArn ?? '',
          containerName: g.containerName,
          containerPort: g.containerPort,
        })),
      };
    });
  }

  taskDefinition(familyOrArn: string): Promise<TaskDefinition | undefined> {
    return this.get(`td:${familyOrArn}`, 'ecs:DescribeTaskDefinition', `task definition ${familyOrArn}`, async () => {
      try {
        const r = await this.send(() => this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: familyOrArn })));
        return r.taskDefinition ? mapTaskDefinition(r.taskDefinition) : undefined;
      } catch (err) {
        // ECS answers an unknown family or revision with a ClientException.
        if ((err as { name?: string }).name === 'ClientException') return undefined;
        throw err;
      }
    });
  }

  securityGroup(id: string): Promise<SecurityGroup | undefined> {
    return this.get(`sg:${id}`, 'ec2:DescribeSecurityGroups', `security group ${id}`, async () => {
      try {
        const r = await this.send(() => this.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })));
        const g = r.SecurityGroups?.[0];
        if (!g) return undefined;
        return {
          id: g.GroupId ?? id,
          name: g.GroupName ?? '',
          vpcId: g.VpcId,
          description: g.Description,
          ingress: (g.IpPermissions ?? []).map(mapPermission),
          egress: (g.IpPermissionsEgress ?? []).map(mapPermission),
        };
      } catch (err) {
        if (/NotFound|Malformed/.test((err as { name?: string }).name ?? '')) return undefined;
        throw err;
      }
    });
  }

  subnet(id: string): Promise<Subnet | undefined> {
    return this.get(`subnet:${id}`, 'ec2:DescribeSubnets', `subnet ${id}`, async () => {
      try {
        const r = await this.send(() => this.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] })));
        const s = r.Subnets?.[0];
        if (!s) return undefined;
        return {
          id: s.SubnetId ?? id,
          vpcId: s.VpcId ?? '',
          cidr: s.CidrBlock ?? '',
          availabilityZone: s.AvailabilityZone ?? '',
          mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
          name: tag(s.Tags, 'Name'),
        };
      } catch (err) {
        if (/NotFound|Malformed/.test((err as { name?: string }).name ?? '')) return undefined;
        throw err;
      }
    });
  }

  vpc(id: string): Promise<Vpc | undefined> {
    return this.get(`vpc:${id}`, 'ec2:DescribeVpcs', `VPC ${id}`, async () => {
      try {
        const r = await this.send(() => this.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [id] })));
        const v = r.Vpcs?.[0];
        if (!v) return undefined;
        const cidrs = (v.CidrBlockAssociationSet ?? []).flatMap((a) => (a.CidrBlock && a.CidrBlockState?.State !== 'disassociated' ? [a.CidrBlock] : []));
        return { id: v.VpcId ?? id, cidrs: cidrs.length > 0 ? cidrs : v.CidrBlock ? [v.CidrBlock] : [], name: tag(v.Tags, 'Name') };
      } catch (err) {
        if (/NotFound|Malformed/.test((err as { name?: string }).name ?? '')) return undefined;
        throw err;
      }
    });
  }

  routeTableFor(subnetId: string): Promise<RouteTable | undefined> {
    return this.get(`rt:${subnetId}`, 'ec2:DescribeRouteTables', `route table of subnet ${subnetId}`, async () => {
      const byFilter = async (filters: Filter[]) =>
        (await this.send(() => this.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: filters })))).RouteTables ?? [];
      const explicit = (await byFilter([{ Name: 'association.subnet-id', Values: [subnetId] }]))[0];
      let table = explicit;
      if (!table) {
        // No explicit association: the subnet uses its VPC's main route table, which
        // DescribeRouteTables does not list under the subnet.
        const subnet = await this.subnet(subnetId);
        if (!subnet) return undefined;
        table = (await byFilter([{ Name: 'vpc-id', Values: [subnet.vpcId] }, { Name: 'association.main', Values: ['true'] }]))[0];
      }
      if (!table) return undefined;
      return {
        id: table.RouteTableId ?? '',
        vpcId: table.VpcId ?? '',
        main: (table.Associations ?? []).some((a) => a.Main),
        association: explicit ? 'explicit' : 'main',
        routes: (table.Routes ?? []).map((r) => ({
          destinationCidr: r.DestinationCidrBlock,
          destinationIpv6Cidr: r.DestinationIpv6CidrBlock,
          gatewayId: r.GatewayId,
          natGatewayId: r.NatGatewayId,
          state: r.State,
        })),
      };
    });
  }

  mountTargets(fileSystemId: string): Promise<MountTarget[] | undefined> {
    return this.get(`mt:${fileSystemId}`, 'elasticfilesystem:DescribeMountTargets', `mount targets of EFS ${fileSystemId}`, async () => {
      let targets;
      try {
        targets = (await this.send(() => this.clients.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemId })))).MountTargets ?? [];
      } catch (err) {
        if ((err as { name?: string }).name === 'FileSystemNotFound') return undefined;
        throw err;
      }
      return Promise.all(
        targets.map(async (t) => {
          const id = t.MountTargetId ?? '';
          const sgs = await this.get(
            `mtsg:${id}`,
            'elasticfilesystem:DescribeMountTargetSecurityGroups',
            `security groups of mount target ${id}`,
            async () => (await this.send(() => this.clients.efs.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: id })))).SecurityGroups ?? [],
          );
          return {
            id,
            fileSystemId,
            subnetId: t.SubnetId ?? '',
            availabilityZone: t.AvailabilityZoneName,
            lifeCycleState: t.LifeCycleState ?? '',
            securityGroups: sgs,
          };
        }),
      );
    });
  }
}
