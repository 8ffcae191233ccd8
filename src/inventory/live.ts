import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type Filter, type IpPermission as SdkIpPermission } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, type TaskDefinition as SdkTaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAccessPointsCommand, DescribeMountTargetsCommand, DescribeMountTargetSecurityGroupsCommand } from '@aws-sdk/client-efs';
import { GetRoleCommand, GetUserCommand, ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketCorsCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeManagedPrefixListsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcEndpointsCommand,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import type { IamPolicySource, NatGateway, NetworkAcl, PrefixList, PrincipalPolicies, SimulationResult, VpcEndpoint } from './types.js';
import { GetServiceCommand, ListInstancesCommand, ListNamespacesCommand, ListServicesCommand } from '@aws-sdk/client-servicediscovery';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { makeClients, type AwsClients, type ClientOptions } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { toInventoryError } from './errors.js';
import { WorkspaceDb, type DbConnectionOptions, type UptimeRow, type WorkspaceRow } from './db.js';
import { redactEnvironment, redactText } from './redact.js';
import { InventoryError } from './types.js';
import type {
  AccessPoint,
  LogSearch,
  ApiCallCounts,
  Bucket,
  CloudMapInstance,
  CloudMapService,
  IamRole,
  IamUser,
  Namespace,
  PolicyDocument,
  SecretShape,
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

/** How the inventory reaches the OvalEdge database, or why it does not. */
export type DatabaseAccess =
  | { config: NonNullable<Config['database']>; connect: (clients: AwsClients, inv: LiveInventory) => Promise<DbConnectionOptions> }
  | { unavailable: string };

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
  /** The OvalEdge database: how to connect, or why it is not read. */
  database?: DatabaseAccess;
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

const errName = (err: unknown) => (err as { name?: string } | undefined)?.name ?? '';
const httpStatus = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/** IAM returns policy documents URL-encoded (moto not always): decode only when it is encoded. */
export function parsePolicyDocument(text: string | undefined): PolicyDocument {
  if (!text) return {};
  const raw = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  try {
    return JSON.parse(raw) as PolicyDocument;
  } catch {
    return {};
  }
}

/** Collect every page of a NextToken-style listing. */
async function allPages<T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}

/** The inventory on the AWS SDK v3: memoized, bounded, counted, read-only. */
export class LiveInventory implements Inventory {
  readonly source = 'live' as const;
  readonly clients: AwsClients;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly counts: ApiCallCounts = {};
  private readonly limit: ReturnType<typeof pLimit>;

  private readonly db?: WorkspaceDb;
  private readonly dbUnavailable?: string;

  constructor(opts: LiveInventoryOptions) {
    this.clients = makeClients(opts);
    const database = opts.database ?? { unavailable: 'no database configured (database.url or database.fromSecret)' };
    if ('unavailable' in database) this.dbUnavailable = database.unavailable;
    else this.db = new WorkspaceDb(() => database.connect(this.clients, this), database.config, (op) => (this.counts[op] = (this.counts[op] ?? 0) + 1));
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
    void this.db?.close();
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
        const td = r.taskDefinition;
        if (!td) return undefined;
        // By family, AWS answers the latest ACTIVE revision. moto answers the latest revision even when
        // it is INACTIVE; then look for the newest ACTIVE one explicitly (never reached on AWS).
        if (!familyOrArn.includes(':') && td.status !== 'ACTIVE') {
          const listed = await this.send(() => this.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: familyOrArn, status: 'ACTIVE' })));
          const latest = (listed.taskDefinitionArns ?? [])
            .map((arn) => ({ arn, m: /task-definition\/(.+):(\d+)$/.exec(arn) }))
            .filter((x) => x.m?.[1] === familyOrArn)
            .sort((a, b) => Number(b.m![2]) - Number(a.m![2]))[0];
          if (!latest) return undefined;
          const again = await this.send(() => this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: latest.arn })));
          return again.taskDefinition?.status === 'ACTIVE' ? mapTaskDefinition(again.taskDefinition) : undefined;
        }
        return mapTaskDefinition(td);
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

  accessPoints(fileSystemId: string): Promise<AccessPoint[] | undefined> {
    return this.get(`ap:${fileSystemId}`, 'elasticfilesystem:DescribeAccessPoints', `access points of EFS ${fileSystemId}`, async () => {
      try {
        const points = await allPages(async (NextToken) => {
          const r = await this.send(() => this.clients.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fileSystemId, NextToken })));
          return { items: r.AccessPoints ?? [], next: r.NextToken };
        });
        return points.map((a) => ({
          id: a.AccessPointId ?? '',
          arn: a.AccessPointArn ?? '',
          fileSystemId: a.FileSystemId ?? fileSystemId,
          name: a.Name,
          rootPath: a.RootDirectory?.Path,
          posixUser: a.PosixUser ? { uid: a.PosixUser.Uid ?? -1, gid: a.PosixUser.Gid ?? -1 } : undefined,
          creationInfo: a.RootDirectory?.CreationInfo
            ? { ownerUid: a.RootDirectory.CreationInfo.OwnerUid ?? -1, ownerGid: a.RootDirectory.CreationInfo.OwnerGid ?? -1, permissions: a.RootDirectory.CreationInfo.Permissions ?? '' }
            : undefined,
          lifeCycleState: a.LifeCycleState ?? '',
        }));
      } catch (err) {
        if (errName(err) === 'FileSystemNotFound') return undefined;
        throw err;
      }
    });
  }

  bucket(name: string): Promise<Bucket | undefined> {
    return this.get(`bucket:${name}`, 's3:ListBucket', `S3 bucket ${name}`, async () => {
      try {
        // ListObjectsV2 with no keys rather than HeadBucket: both need s3:ListBucket on AWS, while
        // moto's IAM enforcement wants a non-existent s3:HeadBucket action for HEAD.
        await this.send(() => this.clients.s3.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: 0 })));
      } catch (err) {
        if (errName(err) === 'NotFound' || errName(err) === 'NoSuchBucket' || httpStatus(err) === 404) return undefined;
        throw err;
      }
      const cors = await this.get(`cors:${name}`, 's3:GetBucketCORS', `CORS of S3 bucket ${name}`, async () => {
        try {
          const r = await this.send(() => this.clients.s3.send(new GetBucketCorsCommand({ Bucket: name })));
          return (r.CORSRules ?? []).map((c) => ({
            allowedHeaders: c.AllowedHeaders ?? [],
            allowedMethods: c.AllowedMethods ?? [],
            allowedOrigins: c.AllowedOrigins ?? [],
            exposeHeaders: c.ExposeHeaders ?? [],
          }));
        } catch (err) {
          if (errName(err) === 'NoSuchCORSConfiguration') return undefined;
          throw err;
        }
      });
      return { name, cors };
    });
  }

  iamUser(name: string): Promise<IamUser | undefined> {
    return this.get(`user:${name}`, 'iam:GetUser', `IAM user ${name}`, async () => {
      let arn: string;
      try {
        arn = (await this.send(() => this.clients.iam.send(new GetUserCommand({ UserName: name })))).User?.Arn ?? '';
      } catch (err) {
        if (errName(err) === 'NoSuchEntity' || errName(err) === 'NoSuchEntityException') return undefined;
        throw err;
      }
      const [attachedPolicies, accessKeys] = await Promise.all([
        this.get(`user-policies:${name}`, 'iam:ListAttachedUserPolicies', `policies of IAM user ${name}`, () =>
          allPages(async (Marker) => {
            const r = await this.send(() => this.clients.iam.send(new ListAttachedUserPoliciesCommand({ UserName: name, Marker })));
            return { items: (r.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' })), next: r.IsTruncated ? r.Marker : undefined };
          }),
        ),
        this.get(`user-keys:${name}`, 'iam:ListAccessKeys', `access keys of IAM user ${name}`, () =>
          allPages(async (Marker) => {
            const r = await this.send(() => this.clients.iam.send(new ListAccessKeysCommand({ UserName: name, Marker })));
            return { items: (r.AccessKeyMetadata ?? []).map((k) => ({ id: k.AccessKeyId ?? '', status: k.Status ?? '' })), next: r.IsTruncated ? r.Marker : undefined };
          }),
        ),
      ]);
      return { name, arn, attachedPolicies, accessKeys };
    });
  }

  iamRole(nameOrArn: string): Promise<IamRole | undefined> {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop() ?? nameOrArn : nameOrArn;
    return this.get(`role:${name}`, 'iam:GetRole', `IAM role ${name}`, async () => {
      let role;
      try {
        role = (await this.send(() => this.clients.iam.send(new GetRoleCommand({ RoleName: name })))).Role;
      } catch (err) {
        if (errName(err) === 'NoSuchEntity' || errName(err) === 'NoSuchEntityException') return undefined;
        throw err;
      }
      if (!role) return undefined;
      const [attachedPolicies, inlinePolicies] = await Promise.all([
        this.get(`role-policies:${name}`, 'iam:ListAttachedRolePolicies', `policies of IAM role ${name}`, () =>
          allPages(async (Marker) => {
            const r = await this.send(() => this.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker })));
            return { items: (r.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' })), next: r.IsTruncated ? r.Marker : undefined };
          }),
        ),
        this.get(`role-inline:${name}`, 'iam:ListRolePolicies', `inline policies of IAM role ${name}`, () =>
          allPages(async (Marker) => {
            const r = await this.send(() => this.clients.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker })));
            return { items: r.PolicyNames ?? [], next: r.IsTruncated ? r.Marker : undefined };
          }),
        ),
      ]);
      return { name, arn: role.Arn ?? '', trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument), attachedPolicies, inlinePolicies };
    });
  }

  secret(nameOrArn: string): Promise<SecretShape | undefined> {
    return this.get(`secret:${nameOrArn}`, 'secretsmanager:GetSecretValue', `secret ${nameOrArn}`, async () => {
      let r;
      try {
        r = await this.send(() => this.clients.secrets.send(new GetSecretValueCommand({ SecretId: nameOrArn })));
      } catch (err) {
        if (errName(err) === 'ResourceNotFoundException') return undefined;
        throw err;
      }
      // Only the key names leave this function; the value is dropped here.
      let keys: string[] | undefined;
      try {
        const parsed: unknown = JSON.parse(r.SecretString ?? '');
        keys = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined;
      } catch {
        keys = undefined;
      }
      return { name: r.Name ?? nameOrArn, arn: r.ARN ?? '', keys };
    });
  }

  logGroupExists(name: string): Promise<boolean> {
    return this.get(`loggroup:${name}`, 'logs:DescribeLogGroups', `log group ${name}`, async () => {
      const groups = await allPages(async (nextToken) => {
        const r = await this.send(() => this.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken })));
        return { items: r.logGroups ?? [], next: r.nextToken };
      });
      return groups.some((g) => g.logGroupName === name);
    });
  }

  sqsQueues(prefix: string): Promise<string[]> {
    return this.get(`sqs:${prefix}`, 'sqs:ListQueues', `SQS queues named ${prefix}*`, () =>
      allPages(async (NextToken) => {
        const r = await this.send(() => this.clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, NextToken })));
        return { items: r.QueueUrls ?? [], next: r.NextToken };
      }),
    );
  }

  namespaces(): Promise<Namespace[]> {
    return this.get('namespaces', 'servicediscovery:ListNamespaces', 'Cloud Map namespaces', () =>
      allPages(async (NextToken) => {
        const r = await this.send(() => this.clients.cloudMap.send(new ListNamespacesCommand({ NextToken })));
        return { items: (r.Namespaces ?? []).map((n) => ({ id: n.Id ?? '', arn: n.Arn ?? '', name: n.Name ?? '', type: n.Type ?? '' })), next: r.NextToken };
      }),
    );
  }

  cloudMapService(idOrArn: string): Promise<CloudMapService | undefined> {
    const id = idOrArn.startsWith('arn:') ? idOrArn.split('/').pop() ?? idOrArn : idOrArn;
    return this.get(`cmservice:${id}`, 'servicediscovery:GetService', `Cloud Map service ${id}`, async () => {
      try {
        const s = (await this.send(() => this.clients.cloudMap.send(new GetServiceCommand({ Id: id })))).Service;
        return s ? { id: s.Id ?? id, arn: s.Arn ?? '', name: s.Name ?? '', namespaceId: s.NamespaceId } : undefined;
      } catch (err) {
        if (errName(err) === 'ServiceNotFound') return undefined;
        throw err;
      }
    });
  }

  cloudMapServices(namespaceId: string): Promise<CloudMapService[]> {
    return this.get(`cmservices:${namespaceId}`, 'servicediscovery:ListServices', `Cloud Map services of namespace ${namespaceId}`, async () => {
      // moto ignores the namespace filter, so filter here as well.
      const all = await allPages(async (NextToken) => {
        const r = await this.send(() =>
          this.clients.cloudMap.send(new ListServicesCommand({ NextToken, Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }] })),
        );
        return { items: r.Services ?? [], next: r.NextToken };
      });
      return all
        .map((s) => ({ id: s.Id ?? '', arn: s.Arn ?? '', name: s.Name ?? '', namespaceId: (s as { NamespaceId?: string }).NamespaceId }))
        .filter((s) => s.namespaceId === undefined || s.namespaceId === namespaceId);
    });
  }

  cloudMapInstances(serviceId: string): Promise<CloudMapInstance[]> {
    return this.get(`cminstances:${serviceId}`, 'servicediscovery:ListInstances', `instances of Cloud Map service ${serviceId}`, () =>
      allPages(async (NextToken) => {
        const r = await this.send(() => this.clients.cloudMap.send(new ListInstancesCommand({ ServiceId: serviceId, NextToken })));
        return { items: (r.Instances ?? []).map((i) => ({ id: i.Id ?? '', attributes: { ...(i.Attributes ?? {}) } })), next: r.NextToken };
      }),
    );
  }

  searchLogs(group: string, terms: string[], windowMinutes: number, limit: number): Promise<LogSearch | undefined> {
    return this.get(`logs:${group}:${terms.join('|')}:${windowMinutes}:${limit}`, 'logs:FilterLogEvents', `log group ${group}`, async () => {
      if (!(await this.logGroupExists(group))) return undefined;
      const startTime = Date.now() - windowMinutes * 60_000;
      // One plain-term query per term, unioned by event id: the "?A ?B" OR syntax is not understood
      // by every implementation (moto), while a plain term is.
      const events = new Map<string, string>();
      let truncated = false;
      for (const term of terms) {
        let token: string | undefined;
        let read = 0;
        do {
          const r = await this.send(() =>
            this.clients.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: term, startTime, nextToken: token, limit: Math.min(limit, 10_000) })),
          );
          for (const e of r.events ?? []) {
            read += 1;
            events.set(e.eventId ?? `${e.timestamp}:${e.logStreamName}:${e.message}`, redactText((e.message ?? '').trim()).slice(0, 500));
          }
          token = read >= limit ? undefined : r.nextToken;
          if (read >= limit && r.nextToken) truncated = true;
        } while (token);
      }
      return { group, count: events.size, truncated, lines: [...new Set(events.values())] };
    });
  }

  objectExists(bucket: string, key: string): Promise<boolean> {
    return this.get(`object:${bucket}/${key}`, 's3:GetObject', `s3://${bucket}/${key}`, async () => {
      try {
        await this.send(() => this.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        return true;
      } catch (err) {
        if (errName(err) === 'NotFound' || errName(err) === 'NoSuchKey' || httpStatus(err) === 404) return false;
        throw err;
      }
    });
  }

  findObject(bucket: string, fileName: string, prefix?: string): Promise<string | undefined> {
    return this.get(`find:${bucket}/${prefix ?? ''}*${fileName}`, 's3:ListBucket', `S3 bucket ${bucket}`, async () => {
      let token: string | undefined;
      // Bounded: at most 20 pages of 1000 keys, so a huge bucket cannot stall the run.
      for (let page = 0; page < 20; page += 1) {
        const r = await this.send(() => this.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
        const hit = (r.Contents ?? []).find((o) => o.Key === fileName || o.Key?.endsWith(`/${fileName}`));
        if (hit?.Key) return hit.Key;
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
        if (!token) return undefined;
      }
      return undefined;
    });
  }

  databaseUnavailable(): string | undefined {
    return this.dbUnavailable;
  }

  private requireDb(): WorkspaceDb {
    if (!this.db) throw new InventoryError('other', 'mysql:SELECT', 'the OvalEdge database', this.dbUnavailable ?? 'not configured');
    return this.db;
  }

  workspaceRows(user: string): Promise<WorkspaceRow[]> {
    return this.get(`db-stack:${user}`, 'mysql:SELECT', 'the edgi_data_service_stack table', () => this.requireDb().workspaceRows(user));
  }

  uptimeRows(users: string[]): Promise<UptimeRow[]> {
    return this.get(`db-uptime:${users.join(',')}`, 'mysql:SELECT', 'the edgi_data_service_uptime_history table', () => this.requireDb().uptimeRows(users));
  }
  // --- effective permissions and network paths (appended) ------------------------------------

  /** A managed policy's default version document (GetPolicy names the version, GetPolicyVersion holds it). */
  private managedPolicy(arn: string, origin: IamPolicySource['origin'], name: string, group?: string): Promise<IamPolicySource> {
    return this.get(`policy-doc:${arn}`, 'iam:GetPolicyVersion', `managed policy ${arn}`, async () => {
      const policy = await this.get(`policy:${arn}`, 'iam:GetPolicy', `managed policy ${arn}`, async () =>
        (await this.send(() => this.clients.iam.send(new GetPolicyCommand({ PolicyArn: arn })))).Policy,
      );
      const versionId = policy?.DefaultVersionId ?? 'v1';
      const version = await this.send(() => this.clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })));
      // moto returns the document not URL-encoded, real IAM URL-encoded: parsePolicyDocument decodes either.
      return { origin, name: policy?.PolicyName ?? name, arn, versionId, group, document: parsePolicyDocument(version.PolicyVersion?.Document) };
    }).then((p) => ({ ...p, origin, group }));
  }

  private inlinePolicies(kind: 'role' | 'user' | 'group', name: string): Promise<IamPolicySource[]> {
    const list = { role: 'iam:ListRolePolicies', user: 'iam:ListUserPolicies', group: 'iam:ListGroupPolicies' }[kind];
    const read = { role: 'iam:GetRolePolicy', user: 'iam:GetUserPolicy', group: 'iam:GetGroupPolicy' }[kind];
    return this.get(`inline-docs:${kind}:${name}`, read, `inline policies of IAM ${kind} ${name}`, async () => {
      const names = await this.get(`inline-names:${kind}:${name}`, list, `inline policies of IAM ${kind} ${name}`, () =>
        allPages(async (Marker) => {
          const r = await this.send<{ PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string }>(() =>
            kind === 'role'
              ? this.clients.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker }))
              : kind === 'user'
                ? this.clients.iam.send(new ListUserPoliciesCommand({ UserName: name, Marker }))
                : this.clients.iam.send(new ListGroupPoliciesCommand({ GroupName: name, Marker })),
          );
          return { items: r.PolicyNames ?? [], next: r.IsTruncated ? r.Marker : undefined };
        }),
      );
      return Promise.all(
        names.map(async (policyName) => {
          const r = await this.send<{ PolicyDocument?: string }>(() =>
            kind === 'role'
              ? this.clients.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }))
              : kind === 'user'
                ? this.clients.iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))
                : this.clients.iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName })),
          );
          const origin: IamPolicySource['origin'] = kind === 'group' ? 'group-inline' : 'inline';
          return { origin, name: policyName, ...(kind === 'group' ? { group: name } : {}), document: parsePolicyDocument(r.PolicyDocument) };
        }),
      );
    });
  }

  principalPolicies(kind: 'role' | 'user', nameOrArn: string): Promise<PrincipalPolicies | undefined> {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop() ?? nameOrArn : nameOrArn;
    return this.get(`principal-policies:${kind}:${name}`, kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', `IAM ${kind} ${name}`, async () => {
      let arn: string;
      let boundaryArn: string | undefined;
      try {
        if (kind === 'role') {
          const r = (await this.send(() => this.clients.iam.send(new GetRoleCommand({ RoleName: name })))).Role;
          arn = r?.Arn ?? '';
          boundaryArn = r?.PermissionsBoundary?.PermissionsBoundaryArn;
        } else {
          const u = (await this.send(() => this.clients.iam.send(new GetUserCommand({ UserName: name })))).User;
          arn = u?.Arn ?? '';
          boundaryArn = u?.PermissionsBoundary?.PermissionsBoundaryArn;
        }
      } catch (err) {
        if (errName(err) === 'NoSuchEntity' || errName(err) === 'NoSuchEntityException') return undefined;
        throw err;
      }
      const attached = kind === 'role' ? (await this.iamRole(name))?.attachedPolicies ?? [] : (await this.iamUser(name))?.attachedPolicies ?? [];
      const policies: IamPolicySource[] = [
        ...(await Promise.all(attached.map((p) => this.managedPolicy(p.arn, 'managed', p.name)))),
        ...(await this.inlinePolicies(kind, name)),
      ];
      if (kind === 'user') {
        const groups = await this.get(`user-groups:${name}`, 'iam:ListGroupsForUser', `groups of IAM user ${name}`, () =>
          allPages(async (Marker) => {
            const r = await this.send(() => this.clients.iam.send(new ListGroupsForUserCommand({ UserName: name, Marker })));
            return { items: (r.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])), next: r.IsTruncated ? r.Marker : undefined };
          }),
        );
        for (const group of groups) {
          const groupAttached = await this.get(`group-policies:${group}`, 'iam:ListAttachedGroupPolicies', `policies of IAM group ${group}`, () =>
            allPages(async (Marker) => {
              const r = await this.send(() => this.clients.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group, Marker })));
              return { items: (r.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' })), next: r.IsTruncated ? r.Marker : undefined };
            }),
          );
          policies.push(...(await Promise.all(groupAttached.map((p) => this.managedPolicy(p.arn, 'group-managed', p.name, group)))));
          policies.push(...(await this.inlinePolicies('group', group)));
        }
      }
      const boundary = boundaryArn ? await this.managedPolicy(boundaryArn, 'boundary', boundaryArn.split('/').pop() ?? boundaryArn) : undefined;
      return { kind, name, arn, policies, ...(boundary ? { boundary } : {}) };
    });
  }

  simulatePrincipalPolicy(principalArn: string, actions: string[], resources: string[]): Promise<SimulationResult[]> {
    const key = `simulate:${principalArn}:${actions.join(',')}:${resources.join(',')}`;
    return this.get(key, 'iam:SimulatePrincipalPolicy', `IAM principal ${principalArn}`, () =>
      allPages(async (Marker) => {
        const r = await this.send(() =>
          this.clients.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: principalArn, ActionNames: actions, ResourceArns: resources, Marker })),
        );
        const items = (r.EvaluationResults ?? []).flatMap((e) => {
          const perResource = e.ResourceSpecificResults?.length ? e.ResourceSpecificResults : [{ EvalResourceName: e.EvalResourceName, EvalResourceDecision: e.EvalDecision, MatchedStatements: e.MatchedStatements, MissingContextValues: e.MissingContextValues }];
          return perResource.map((x) => ({
            action: e.EvalActionName ?? '',
            resource: x.EvalResourceName ?? e.EvalResourceName ?? '*',
            decision: x.EvalResourceDecision ?? e.EvalDecision ?? 'implicitDeny',
            matchedStatements: (x.MatchedStatements ?? []).flatMap((m) => (m.SourcePolicyId ? [m.SourcePolicyId] : [])),
            missingContextValues: x.MissingContextValues ?? [],
            allowedByBoundary: e.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
          }));
        });
        return { items, next: r.IsTruncated ? r.Marker : undefined };
      }),
    );
  }

  networkAclFor(subnetId: string): Promise<NetworkAcl | undefined> {
    return this.get(`nacl:${subnetId}`, 'ec2:DescribeNetworkAcls', `network ACL of subnet ${subnetId}`, async () => {
      // Every subnet is associated with exactly one network ACL (the VPC's default unless another is set).
      const r = await this.send(() => this.clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] })));
      const acl = r.NetworkAcls?.find((a) => (a.Associations ?? []).some((x) => x.SubnetId === subnetId)) ?? r.NetworkAcls?.[0];
      if (!acl) return undefined;
      return {
        id: acl.NetworkAclId ?? '',
        vpcId: acl.VpcId ?? '',
        isDefault: acl.IsDefault ?? false,
        entries: (acl.Entries ?? []).map((e) => ({
          ruleNumber: e.RuleNumber ?? 32767,
          egress: e.Egress ?? false,
          protocol: e.Protocol ?? '-1',
          action: e.RuleAction === 'allow' ? 'allow' : 'deny',
          cidr: e.CidrBlock,
          ipv6Cidr: e.Ipv6CidrBlock,
          fromPort: e.PortRange?.From,
          toPort: e.PortRange?.To,
        })),
      };
    });
  }

  vpcEndpoints(vpcId: string): Promise<VpcEndpoint[]> {
    return this.get(`vpce:${vpcId}`, 'ec2:DescribeVpcEndpoints', `VPC endpoints of ${vpcId}`, () =>
      allPages(async (NextToken) => {
        const r = await this.send(() => this.clients.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })));
        const items = (r.VpcEndpoints ?? []).map((e) => ({
          id: e.VpcEndpointId ?? '',
          vpcId: e.VpcId ?? vpcId,
          serviceName: e.ServiceName ?? '',
          type: e.VpcEndpointType ?? '',
          state: (e.State ?? '').toLowerCase(),
          privateDnsEnabled: e.PrivateDnsEnabled ?? false,
          subnetIds: e.SubnetIds ?? [],
          routeTableIds: e.RouteTableIds ?? [],
          securityGroupIds: (e.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
        }));
        return { items, next: r.NextToken };
      }),
    );
  }

  natGateways(vpcId: string): Promise<NatGateway[]> {
    return this.get(`nat:${vpcId}`, 'ec2:DescribeNatGateways', `NAT gateways of ${vpcId}`, () =>
      allPages(async (NextToken) => {
        const r = await this.send(() => this.clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })));
        const items = (r.NatGateways ?? []).map((n) => ({ id: n.NatGatewayId ?? '', vpcId: n.VpcId ?? vpcId, subnetId: n.SubnetId ?? '', state: n.State ?? '', connectivityType: n.ConnectivityType }));
        return { items, next: r.NextToken };
      }),
    );
  }

  prefixList(id: string): Promise<PrefixList | undefined> {
    return this.get(`pl:${id}`, 'ec2:DescribeManagedPrefixLists', `prefix list ${id}`, async () => {
      let list;
      try {
        list = (await this.send(() => this.clients.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [id] })))).PrefixLists?.[0];
      } catch (err) {
        if (/NotFound|Malformed/.test(errName(err))) return undefined;
        throw err;
      }
      if (!list) return undefined;
      const cidrs = await this.get(`pl-entries:${id}`, 'ec2:GetManagedPrefixListEntries', `entries of prefix list ${id}`, () =>
        allPages(async (NextToken) => {
          const r = await this.send(() => this.clients.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, NextToken })));
          return { items: (r.Entries ?? []).flatMap((e) => (e.Cidr ? [e.Cidr] : [])), next: r.NextToken };
        }),
      );
      return { id: list.PrefixListId ?? id, name: list.PrefixListName ?? '', cidrs };
    });
  }
}
