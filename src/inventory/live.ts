// The inventory on the AWS SDK v3. No SDK client module is imported statically: each is loaded and
// its client made on first use (src/aws/lazy-clients.ts), so a command loads only what it calls.
// Every operation called here is declared in operations.ts (IAM actions, paging, errors) and listed
// in docs/aws-operations.md.
import type { IpPermission as SdkIpPermission, Filter } from '@aws-sdk/client-ec2';
import type { Service as SdkService, TaskDefinition as SdkTaskDefinition } from '@aws-sdk/client-ecs';
import pLimit from 'p-limit';
import { effectiveEndpoint, effectiveTimeouts, IAM_PREFIX, type ClientOptions, type ServiceKey } from '../aws/client-config.js';
import { LazyClients, type Loaded, type SdkClients } from '../aws/lazy-clients.js';
import type { Config } from '../config/schema.js';
import { classify, ecsClientExceptionKind, toInventoryError } from './errors.js';
import { WorkspaceDb, type DbConnectionOptions, type UptimeRow, type WorkspaceRow } from './db.js';
import { logFilterPatterns } from './log-patterns.js';
import { resolvePrefixLists, splitBlackholes } from './prefix-lists.js';
import { looksLikePlaceholder, redactEnvironment, redactText } from './redact.js';
import { registerSecretString } from '../secrets/mask.js';
import { InventoryError } from './types.js';
import { envValue } from '../resolve/env.js';
import { parseValueFrom } from '../resolve/value-from.js';
import type { IamPolicySource, NatGateway, NetworkAcl, ObjectInfo, PrincipalPolicies, SimulationResult, VpcEndpoint } from './types.js';
import type {
  AccessPoint,
  LogSearch,
  ApiCallCounts,
  Bucket,
  CloudMapInstance,
  CloudMapService,
  Deployment,
  IamRole,
  IamUser,
  ManagedPrefixList,
  MountTargetSecurityGroups,
  Namespace,
  PolicyDocument,
  SecretShape,
  SecretMetadata,
  SsmParameter,
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
  TaskSet,
  Vpc,
} from './types.js';

export { logFilterPatterns } from './log-patterns.js';

/** How the inventory reaches the OvalEdge database, or why it does not. */
export type DatabaseAccess =
  | { config: NonNullable<Config['database']>; connect: (clients: LazyClients, inv: LiveInventory) => Promise<DbConnectionOptions> }
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
  /**
   * Items per page for every listing that takes a page size (tests use 1 to read many pages);
   * default: each API's maximum.
   */
  pageSize?: number;
  /**
   * Search several log terms in one `?"A" ?"B"` filter pattern. Default: on for AWS, off with a
   * custom endpoint, because moto understands one term or one quoted phrase per pattern only.
   */
  combineLogTerms?: boolean;
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

/**
 * An ECS service. Services with the CODE_DEPLOY or EXTERNAL deployment controller have no
 * `deployments` (AWS returns an empty list) but task sets; their deployments are derived from the
 * task sets, PRIMARY first, so that "the primary deployment" means the same for every controller
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html).
 */
export function mapService(s: SdkService, name: string): Service {
  const net = s.networkConfiguration?.awsvpcConfiguration;
  const controller = s.deploymentController?.type;
  const taskSets: TaskSet[] = (s.taskSets ?? []).map((t) => ({
    id: t.id ?? '',
    status: t.status ?? '',
    taskDefinition: t.taskDefinition ?? '',
    stabilityStatus: t.stabilityStatus,
    desiredCount: t.computedDesiredCount ?? 0,
    runningCount: t.runningCount ?? 0,
  }));
  const fromTaskSets = controller === 'CODE_DEPLOY' || controller === 'EXTERNAL';
  const deployments: Deployment[] = fromTaskSets
    ? [...taskSets]
        .sort((a, b) => Number(b.status === 'PRIMARY') - Number(a.status === 'PRIMARY'))
        .map((t) => ({
          id: t.id,
          status: t.status,
          taskDefinition: t.taskDefinition,
          rolloutState: t.status === 'PRIMARY' ? (t.stabilityStatus === 'STEADY_STATE' ? 'COMPLETED' : 'IN_PROGRESS') : undefined,
          desiredCount: t.desiredCount,
          runningCount: t.runningCount,
        }))
    : (s.deployments ?? []).map((d) => ({
        id: d.id ?? '',
        status: d.status ?? '',
        taskDefinition: d.taskDefinition ?? '',
        rolloutState: d.rolloutState,
        desiredCount: d.desiredCount ?? 0,
        runningCount: d.runningCount ?? 0,
      }));
  const primary = taskSets.find((t) => t.status === 'PRIMARY');
  return {
    arn: s.serviceArn ?? '',
    name: s.serviceName ?? name,
    clusterArn: s.clusterArn ?? '',
    status: s.status ?? 'UNKNOWN',
    // An EXTERNAL service may carry no task definition of its own: its PRIMARY task set's is the one it runs.
    taskDefinition: s.taskDefinition ?? (fromTaskSets ? primary?.taskDefinition : undefined) ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    launchType: s.launchType,
    subnets: net?.subnets ?? [],
    securityGroups: net?.securityGroups ?? [],
    assignPublicIp: net?.assignPublicIp,
    ...(controller ? { deploymentController: controller } : {}),
    deployments,
    ...(fromTaskSets ? { taskSets } : {}),
    serviceRegistries: (s.serviceRegistries ?? []).map((g) => ({
      registryArn: g.registryArn ?? '',
      containerName: g.containerName,
      containerPort: g.containerPort,
    })),
  };
}

const errName = (err: unknown) => (err as { name?: string } | undefined)?.name ?? '';
const httpStatus = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
const responseHeader = (err: unknown, name: string) => (err as { $response?: { headers?: Record<string, string> } } | undefined)?.$response?.headers?.[name];

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

/** Every item of an SDK v3 paginator. */
async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** The inventory on the AWS SDK v3: memoized, bounded, counted, read-only, each client made on first use. */
export class LiveInventory implements Inventory {
  readonly source = 'live' as const;
  readonly clients: LazyClients;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly counts: ApiCallCounts = {};
  /** Every queue-name prefix requested (sqsQueues): a longer one is served from a shorter one's listing. */
  private readonly sqsPrefixes = new Set<string>();
  /** The prefetched reads (and what their answers started) not settled yet. */
  private readonly prefetching = new Set<Promise<unknown>>();
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly pageSize?: number;
  private readonly combineLogTerms: boolean;
  private readonly timeouts: { connectMs: number; requestMs: number };

  private readonly db?: WorkspaceDb;
  private readonly dbUnavailable?: string;

  constructor(opts: LiveInventoryOptions) {
    this.timeouts = effectiveTimeouts(opts);
    this.pageSize = opts.pageSize;
    this.combineLogTerms = opts.combineLogTerms ?? !effectiveEndpoint(opts.endpoint);
    // Count every operation any client sends (once per operation, not per retry).
    this.clients = new LazyClients(opts, (key: ServiceKey, client: SdkClients[ServiceKey]) => {
      (client as unknown as CountableClient).middlewareStack.add(
        (next, context) => (args) => {
          const op = `${IAM_PREFIX[key]}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
          this.counts[op] = (this.counts[op] ?? 0) + 1;
          return next(args);
        },
        { step: 'initialize', name: 'askedgiDoctorCallCounter' },
      );
    });
    const database = opts.database ?? { unavailable: 'no database configured (database.url or database.fromSecret)' };
    if ('unavailable' in database) this.dbUnavailable = database.unavailable;
    else this.db = new WorkspaceDb(() => database.connect(this.clients, this), database.config, (op) => (this.counts[op] = (this.counts[op] ?? 0) + 1));
    // 32: every read the config determines (about 30 on a full run) starts at once; still bounded per target.
    this.limit = pLimit(opts.concurrency ?? 32);
  }

  apiCalls(): ApiCallCounts {
    return { ...this.counts };
  }

  destroy(): void {
    this.clients.destroy();
    void this.db?.close();
  }

  /** Memoize by key and turn SDK failures into InventoryErrors naming the action. */
  private get<T>(key: string, action: string, resource: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn().catch((err: unknown) => {
        throw toInventoryError(err, action, resource, this.timeouts);
      });
      this.memo.set(key, p);
    }
    return p;
  }

  /**
   * One SDK call (or one paginator's pages, which run one after another) on a service's client, made
   * on first use. Bounds the calls in flight; a getter awaiting another getter holds no slot.
   */
  private async call<K extends ServiceKey, T>(key: K, fn: (aws: Loaded<K>) => Promise<T>, region?: string): Promise<T> {
    const aws = await this.clients.get(key, region);
    return this.limit(() => fn(aws));
  }

  identity(): Promise<CallerIdentity> {
    return this.get('identity', 'sts:GetCallerIdentity', 'the caller identity', async () => {
      const r = await this.call('sts', ({ sdk, client }) => client.send(new sdk.GetCallerIdentityCommand({})));
      return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
    });
  }

  cluster(name: string): Promise<Cluster | undefined> {
    return this.get(`cluster:${name}`, 'ecs:DescribeClusters', `ECS cluster ${name}`, async () => {
      const r = await this.call('ecs', ({ sdk, client }) => client.send(new sdk.DescribeClustersCommand({ clusters: [name] })));
      const c = r.clusters?.[0];
      return c ? { arn: c.clusterArn ?? '', name: c.clusterName ?? name, status: c.status ?? 'UNKNOWN' } : undefined;
    });
  }

  service(cluster: string, name: string): Promise<Service | undefined> {
    return this.get(`service:${cluster}/${name}`, 'ecs:DescribeServices', `ECS service ${name} in cluster ${cluster}`, async () => {
      let r;
      try {
        r = await this.call('ecs', ({ sdk, client }) => client.send(new sdk.DescribeServicesCommand({ cluster, services: [name] })));
      } catch (err) {
        // An unknown cluster: ClusterNotFoundException; the service is then not there either.
        if (errName(err) === 'ClusterNotFoundException') return undefined;
        throw err;
      }
      const s = r.services?.find((x) => x.status !== 'INACTIVE') ?? r.services?.[0];
      return s ? mapService(s, name) : undefined;
    });
  }

  /**
   * Names of the cluster's services (discovery for `init`, not a check): ListServices pages; an
   * unknown cluster has none.
   */
  serviceNames(cluster: string): Promise<string[]> {
    return this.get(`services:${cluster}`, 'ecs:ListServices', `services of ECS cluster ${cluster}`, async () => {
      try {
        const arns = await this.call('ecs', ({ sdk, client }) => collect(sdk.paginateListServices({ client, pageSize: this.pageSize ?? 100 }, { cluster }), (p) => p.serviceArns));
        return arns.map((arn) => arn.split('/').pop() ?? arn);
      } catch (err) {
        if (errName(err) === 'ClusterNotFoundException') return [];
        throw err;
      }
    });
  }

  /**
   * The IAM user an access key id belongs to (discovery for `init`): GetAccessKeyLastUsed names the
   * owner and reads no secret. undefined when IAM does not know the key.
   */
  accessKeyOwner(accessKeyId: string): Promise<string | undefined> {
    return this.get(`key-owner:${accessKeyId}`, 'iam:GetAccessKeyLastUsed', `the owner of access key ${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`, async () => {
      try {
        const r = await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })));
        return r.UserName || undefined;
      } catch (err) {
        if (errName(err) === 'NoSuchEntity' || errName(err) === 'NoSuchEntityException') return undefined;
        throw err;
      }
    });
  }

  taskDefinition(familyOrArn: string): Promise<TaskDefinition | undefined> {
    return this.get(`td:${familyOrArn}`, 'ecs:DescribeTaskDefinition', `task definition ${familyOrArn}`, async () => {
      let td;
      try {
        td = (await this.call('ecs', ({ sdk, client }) => client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: familyOrArn })))).taskDefinition;
      } catch (err) {
        // ECS answers an unknown family or revision with ClientException "Unable to describe task
        // definition."; the same exception also means access denied or an invalid identifier.
        if (errName(err) === 'ClientException' && ecsClientExceptionKind((err as Error).message ?? '') === 'not-found') return undefined;
        throw err;
      }
      if (!td) return undefined;
      // By family, AWS answers the latest ACTIVE revision. moto answers the latest revision even when
      // it is INACTIVE; then look for the newest ACTIVE one explicitly (never reached on AWS).
      if (!familyOrArn.includes(':') && td.status !== 'ACTIVE') {
        const latest = await this.latestActiveRevision(familyOrArn);
        if (!latest) return undefined;
        const again = (await this.call('ecs', ({ sdk, client }) => client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: latest })))).taskDefinition;
        return again?.status === 'ACTIVE' ? mapTaskDefinition(again) : undefined;
      }
      return mapTaskDefinition(td);
    });
  }

  /**
   * The newest ACTIVE revision's ARN of a family: ListTaskDefinitions newest first (`sort: DESC`),
   * stopping at the first page that holds the family. The prefix also matches longer family names,
   * so the family is compared exactly; the highest revision of that page is taken because moto
   * ignores `sort` and pagination (it answers everything, oldest first, in one page).
   */
  private latestActiveRevision(family: string): Promise<string | undefined> {
    return this.call('ecs', async ({ sdk, client }) => {
      const pages = sdk.paginateListTaskDefinitions({ client, pageSize: this.pageSize ?? 100 }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' });
      for await (const page of pages) {
        const mine = (page.taskDefinitionArns ?? [])
          .map((arn) => ({ arn, m: /task-definition\/(.+):(\d+)$/.exec(arn) }))
          .filter((x) => x.m?.[1] === family)
          .sort((a, b) => Number(b.m![2]) - Number(a.m![2]));
        if (mine[0]) return mine[0].arn;
      }
      return undefined;
    });
  }

  securityGroup(id: string): Promise<SecurityGroup | undefined> {
    return this.get(`sg:${id}`, 'ec2:DescribeSecurityGroups', `security group ${id}`, async () => {
      let g;
      try {
        // By id: the cost does not grow with the number of groups in the account.
        const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: [id] })));
        g = r.SecurityGroups?.[0];
      } catch (err) {
        if (/NotFound|Malformed/.test(errName(err))) return undefined;
        throw err;
      }
      if (!g) return undefined;
      const sg: SecurityGroup = {
        id: g.GroupId ?? id,
        name: g.GroupName ?? '',
        vpcId: g.VpcId,
        description: g.Description,
        ingress: (g.IpPermissions ?? []).map(mapPermission),
        egress: (g.IpPermissionsEgress ?? []).map(mapPermission),
      };
      // Rules from managed prefix lists carry the lists' entries (read only when such a rule exists).
      return resolvePrefixLists(sg, (pl) => this.managedPrefixList(pl));
    });
  }

  subnet(id: string): Promise<Subnet | undefined> {
    return this.get(`subnet:${id}`, 'ec2:DescribeSubnets', `subnet ${id}`, async () => {
      try {
        const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeSubnetsCommand({ SubnetIds: [id] })));
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
        if (/NotFound|Malformed/.test(errName(err))) return undefined;
        throw err;
      }
    });
  }

  vpc(id: string): Promise<Vpc | undefined> {
    return this.get(`vpc:${id}`, 'ec2:DescribeVpcs', `VPC ${id}`, async () => {
      try {
        const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeVpcsCommand({ VpcIds: [id] })));
        const v = r.Vpcs?.[0];
        if (!v) return undefined;
        const cidrs = (v.CidrBlockAssociationSet ?? []).flatMap((a) => (a.CidrBlock && a.CidrBlockState?.State !== 'disassociated' ? [a.CidrBlock] : []));
        return { id: v.VpcId ?? id, cidrs: cidrs.length > 0 ? cidrs : v.CidrBlock ? [v.CidrBlock] : [], name: tag(v.Tags, 'Name') };
      } catch (err) {
        if (/NotFound|Malformed/.test(errName(err))) return undefined;
        throw err;
      }
    });
  }

  routeTableFor(subnetId: string): Promise<RouteTable | undefined> {
    return this.get(`rt:${subnetId}`, 'ec2:DescribeRouteTables', `route table of subnet ${subnetId}`, async () => {
      const byFilter = async (filters: Filter[]) =>
        (await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeRouteTablesCommand({ Filters: filters })))).RouteTables ?? [];
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
        ...splitBlackholes(
          (table.Routes ?? []).map((r) => ({
            destinationCidr: r.DestinationCidrBlock,
            destinationIpv6Cidr: r.DestinationIpv6CidrBlock,
            gatewayId: r.GatewayId,
            natGatewayId: r.NatGatewayId,
            transitGatewayId: r.TransitGatewayId,
            networkInterfaceId: r.NetworkInterfaceId,
            instanceId: r.InstanceId,
            coreNetworkArn: r.CoreNetworkArn,
            state: r.State,
          })),
        ),
      };
    });
  }

  mountTargets(fileSystemId: string): Promise<MountTarget[] | undefined> {
    return this.get(`mt:${fileSystemId}`, 'elasticfilesystem:DescribeMountTargets', `mount targets of EFS ${fileSystemId}`, async () => {
      try {
        const targets = await this.call('efs', ({ sdk, client }) =>
          collect(sdk.paginateDescribeMountTargets({ client, pageSize: this.pageSize ?? 100 }, { FileSystemId: fileSystemId }), (p) => p.MountTargets),
        );
        return targets.map((t) => ({
          id: t.MountTargetId ?? '',
          fileSystemId,
          subnetId: t.SubnetId ?? '',
          availabilityZone: t.AvailabilityZoneName,
          lifeCycleState: t.LifeCycleState ?? '',
        }));
      } catch (err) {
        if (errName(err) === 'FileSystemNotFound') return undefined;
        throw err;
      }
    });
  }

  accessPoints(fileSystemId: string): Promise<AccessPoint[] | undefined> {
    return this.get(`ap:${fileSystemId}`, 'elasticfilesystem:DescribeAccessPoints', `access points of EFS ${fileSystemId}`, async () => {
      try {
        const points = await this.call('efs', ({ sdk, client }) =>
          collect(sdk.paginateDescribeAccessPoints({ client, pageSize: this.pageSize ?? 1000 }, { FileSystemId: fileSystemId }), (p) => p.AccessPoints),
        );
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

  /** The account a bucket must belong to (ExpectedBucketOwner); undefined when the caller cannot be identified. */
  private async ownerAccount(): Promise<string | undefined> {
    try {
      return (await this.identity()).account || undefined;
    } catch {
      return undefined;
    }
  }

  bucket(name: string): Promise<Bucket | undefined> {
    return this.get(`bucket:${name}`, 's3:ListBucket', `S3 bucket ${name}`, async () => {
      const owner = await this.ownerAccount();
      let region: string | undefined;
      try {
        // ListObjectsV2 with no keys rather than HeadBucket: both need s3:ListBucket on AWS, while
        // moto's IAM enforcement wants a non-existent s3:HeadBucket action for HEAD.
        await this.call('s3', ({ sdk, client }) => client.send(new sdk.ListObjectsV2Command({ Bucket: name, MaxKeys: 0, ExpectedBucketOwner: owner })));
      } catch (err) {
        if (errName(err) === 'NotFound' || errName(err) === 'NoSuchBucket' || httpStatus(err) === 404) return undefined;
        // A bucket in another region: S3 answers 301 PermanentRedirect with x-amz-bucket-region
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html); the SDK follows it
        // only with followRegionRedirects, which would hide the region from the report.
        const elsewhere = responseHeader(err, 'x-amz-bucket-region');
        if (elsewhere && (httpStatus(err) === 301 || errName(err) === 'PermanentRedirect')) region = elsewhere;
        else if (classify(err).kind === 'access-denied' && owner) {
          // S3 answers 403 both to a missing s3:ListBucket and to a bucket of another account
          // (ExpectedBucketOwner mismatch): say both.
          throw new InventoryError('access-denied', 's3:ListBucket', `S3 bucket ${name}`, classify(err).detail, `Or the bucket is owned by another account than ${owner} (S3 answers 403 to ExpectedBucketOwner=${owner} then).`);
        } else throw err;
      }
      const cors = await this.get(`cors:${name}`, 's3:GetBucketCORS', `CORS of S3 bucket ${name}`, async () => {
        try {
          const r = await this.call('s3', ({ sdk, client }) => client.send(new sdk.GetBucketCorsCommand({ Bucket: name, ExpectedBucketOwner: owner })), region);
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
      return { name, ...(region ? { region } : {}), cors };
    });
  }

  iamUser(name: string): Promise<IamUser | undefined> {
    return this.get(`user:${name}`, 'iam:GetUser', `IAM user ${name}`, async () => {
      // The listings need only the name: they start with the GetUser, not after it.
      const lists = Promise.all([
        this.attachedPolicyList('user', name),
        this.get(`user-keys:${name}`, 'iam:ListAccessKeys', `access keys of IAM user ${name}`, () =>
          this.call('iam', ({ sdk, client }) =>
            collect(sdk.paginateListAccessKeys({ client, pageSize: this.pageSize ?? 1000 }, { UserName: name }), (p) =>
              p.AccessKeyMetadata?.map((k) => ({ id: k.AccessKeyId ?? '', status: k.Status ?? '' })),
            ),
          ),
        ),
      ]);
      lists.catch(() => undefined); // awaited below unless there is no such user (or GetUser fails)
      const record = await this.principalRecord('user', name);
      if (!record) return undefined;
      const [attachedPolicies, accessKeys] = await lists;
      return { name, arn: record.arn, attachedPolicies, accessKeys };
    });
  }

  iamRole(nameOrArn: string): Promise<IamRole | undefined> {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop() ?? nameOrArn : nameOrArn;
    return this.get(`role:${name}`, 'iam:GetRole', `IAM role ${name}`, async () => {
      // The listings need only the name: they start with the GetRole, not after it.
      const lists = Promise.all([this.attachedPolicyList('role', name), this.inlinePolicyNames('role', name)]);
      lists.catch(() => undefined); // awaited below unless there is no such role (or GetRole fails)
      const role = await this.principalRecord('role', name);
      if (!role) return undefined;
      const [attachedPolicies, inlinePolicies] = await lists;
      return { name, arn: role.arn, trustPolicy: parsePolicyDocument(role.trustPolicy), attachedPolicies, inlinePolicies };
    });
  }

  /**
   * One GetRole / GetUser per principal and run, shared by iamRole/iamUser and principalPolicies
   * (undefined when it does not exist).
   */
  private principalRecord(kind: 'role' | 'user', name: string): Promise<{ arn: string; trustPolicy?: string; boundaryArn?: string } | undefined> {
    return this.get(`principal:${kind}:${name}`, kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', `IAM ${kind} ${name}`, async () => {
      try {
        if (kind === 'role') {
          const r = (await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetRoleCommand({ RoleName: name })))).Role;
          return r ? { arn: r.Arn ?? '', trustPolicy: r.AssumeRolePolicyDocument, boundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn } : undefined;
        }
        const u = (await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetUserCommand({ UserName: name })))).User;
        return u ? { arn: u.Arn ?? '', boundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn } : undefined;
      } catch (err) {
        if (errName(err) === 'NoSuchEntity' || errName(err) === 'NoSuchEntityException') return undefined;
        throw err;
      }
    });
  }

  /** The managed policies attached to a role or user: one listing per principal and run. */
  private attachedPolicyList(kind: 'role' | 'user', name: string): Promise<{ name: string; arn: string }[]> {
    const toRef = (p: { AttachedPolicies?: { PolicyName?: string; PolicyArn?: string }[] }) => p.AttachedPolicies?.map((x) => ({ name: x.PolicyName ?? '', arn: x.PolicyArn ?? '' }));
    return kind === 'role'
      ? this.get(`role-policies:${name}`, 'iam:ListAttachedRolePolicies', `policies of IAM role ${name}`, () =>
          this.call('iam', ({ sdk, client }) => collect(sdk.paginateListAttachedRolePolicies({ client, pageSize: this.pageSize ?? 1000 }, { RoleName: name }), toRef)),
        )
      : this.get(`user-policies:${name}`, 'iam:ListAttachedUserPolicies', `policies of IAM user ${name}`, () =>
          this.call('iam', ({ sdk, client }) => collect(sdk.paginateListAttachedUserPolicies({ client, pageSize: this.pageSize ?? 1000 }, { UserName: name }), toRef)),
        );
  }

  /** The names of a principal's inline policies: one listing per principal and run. */
  private inlinePolicyNames(kind: 'role' | 'user' | 'group', name: string): Promise<string[]> {
    const list = { role: 'iam:ListRolePolicies', user: 'iam:ListUserPolicies', group: 'iam:ListGroupPolicies' }[kind];
    return this.get(`inline-names:${kind}:${name}`, list, `inline policies of IAM ${kind} ${name}`, () =>
      allPages(async (Marker) => {
        const r: { PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string } =
          kind === 'role'
            ? await this.call('iam', ({ sdk, client }) => client.send(new sdk.ListRolePoliciesCommand({ RoleName: name, Marker, MaxItems: this.pageSize ?? 1000 })))
            : kind === 'user'
              ? await this.call('iam', ({ sdk, client }) => client.send(new sdk.ListUserPoliciesCommand({ UserName: name, Marker, MaxItems: this.pageSize ?? 1000 })))
              : await this.call('iam', ({ sdk, client }) => client.send(new sdk.ListGroupPoliciesCommand({ GroupName: name, Marker, MaxItems: this.pageSize ?? 1000 })));
        return { items: r.PolicyNames ?? [], next: r.IsTruncated ? r.Marker : undefined };
      }),
    );
  }

  /** DescribeSecret, only to explain a failed GetSecretValue (its date and key); undefined when it cannot be read. */
  private async describeSecret(nameOrArn: string): Promise<{ deletedDate?: Date; kmsKeyId?: string } | undefined> {
    try {
      const r = await this.call('secrets', ({ sdk, client }) => client.send(new sdk.DescribeSecretCommand({ SecretId: nameOrArn })));
      return { deletedDate: r.DeletedDate, kmsKeyId: r.KmsKeyId };
    } catch {
      return undefined;
    }
  }

  secretMetadata(nameOrArn: string): Promise<SecretMetadata | undefined> {
    return this.get(`secret-metadata:${nameOrArn}`, 'secretsmanager:DescribeSecret', `secret ${nameOrArn}`, async () => {
      try {
        const r = await this.call('secrets', ({ sdk, client }) => client.send(new sdk.DescribeSecretCommand({ SecretId: nameOrArn })));
        return { name: r.Name ?? nameOrArn, arn: r.ARN ?? '', ...(r.DeletedDate ? { deletedDate: r.DeletedDate.toISOString() } : {}) };
      } catch (err) {
        if (errName(err) === 'ResourceNotFoundException') return undefined;
        throw err;
      }
    });
  }

  ssmParameter(name: string): Promise<SsmParameter | undefined> {
    // DescribeParameters with an Equals filter on the name: metadata only, the value is never read.
    return this.get(`ssm-parameter:${name}`, 'ssm:DescribeParameters', `SSM parameter ${name}`, async () => {
      const r = await this.call('ssm', ({ sdk, client }) => client.send(new sdk.DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] })));
      const p = (r.Parameters ?? []).find((x) => x.Name === name);
      return p ? { name, ...(p.ARN ? { arn: p.ARN } : {}), ...(p.Type ? { type: p.Type } : {}) } : undefined;
    });
  }

  secret(nameOrArn: string): Promise<SecretShape | undefined> {
    const action = 'secretsmanager:GetSecretValue';
    const resource = `secret ${nameOrArn}`;
    return this.get(`secret:${nameOrArn}`, action, resource, async () => {
      let r;
      try {
        r = await this.call('secrets', ({ sdk, client }) => client.send(new sdk.GetSecretValueCommand({ SecretId: nameOrArn })));
      } catch (err) {
        if (errName(err) === 'ResourceNotFoundException') return undefined;
        // A secret scheduled for deletion answers InvalidRequestException
        // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
        if (errName(err) === 'InvalidRequestException') {
          const d = await this.describeSecret(nameOrArn);
          const when = d?.deletedDate ? ` on ${d.deletedDate.toISOString()} (DeletedDate)` : '';
          throw new InventoryError('invalid', action, resource, `the secret is scheduled for deletion${when}; restore it (aws secretsmanager restore-secret) before the tasks next start.`);
        }
        // The value could not be decrypted with the secret's KMS key: the caller lacks kms:Decrypt on it.
        if (errName(err) === 'DecryptionFailure') {
          const d = await this.describeSecret(nameOrArn);
          throw new InventoryError('access-denied', 'kms:Decrypt', `${resource} (KMS key ${d?.kmsKeyId ?? 'aws/secretsmanager or the key the secret names'})`, classify(err).detail);
        }
        throw err;
      }
      // Only the key names leave this function; the value is dropped here, after it is registered
      // as a known secret (masked wherever it might be echoed).
      registerSecretString(r.SecretString);
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
      // By prefix = the name: a few groups at most, whatever the account holds; stop at the exact one.
      return this.call('logs', async ({ sdk, client }) => {
        for await (const page of sdk.paginateDescribeLogGroups({ client, pageSize: this.pageSize ?? 50 }, { logGroupNamePrefix: name })) {
          if ((page.logGroups ?? []).some((g) => g.logGroupName === name)) return true;
        }
        return false;
      });
    });
  }

  /**
   * The URLs of the queues whose names start with `prefix`. One ListQueues per run serves every
   * prefix that extends an already requested one (SQS_QUEUE_PREFIX, EDGI_CLIENT_PREFIX, `<prefix>-`):
   * QueueNamePrefix is a prefix match on the queue name and the listing is complete (paged), so the
   * longer prefix's queues are exactly the listed names that start with it. Should that listing fail,
   * the longer prefix is listed on its own (its failure is then its own).
   */
  sqsQueues(prefix: string): Promise<string[]> {
    const key = `sqs:${prefix}`;
    const wider = this.memo.has(key) ? undefined : [...this.sqsPrefixes].filter((p) => prefix.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    this.sqsPrefixes.add(prefix);
    // ListQueues returns at most 1 000 URLs and no NextToken unless MaxResults is sent
    // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html).
    const list = () =>
      this.call('sqs', ({ sdk, client }) => collect(sdk.paginateListQueues({ client, pageSize: this.pageSize ?? 1000 }, { QueueNamePrefix: prefix, MaxResults: this.pageSize ?? 1000 }), (p) => p.QueueUrls));
    return this.get(key, 'sqs:ListQueues', `SQS queues named ${prefix}*`, () =>
      wider === undefined ? list() : this.sqsQueues(wider).then((urls) => urls.filter((u) => (u.split('/').pop() ?? '').startsWith(prefix)), list),
    );
  }

  namespaces(): Promise<Namespace[]> {
    return this.get('namespaces', 'servicediscovery:ListNamespaces', 'Cloud Map namespaces', () =>
      this.call('cloudMap', ({ sdk, client }) =>
        collect(sdk.paginateListNamespaces({ client, pageSize: this.pageSize ?? 100 }, {}), (p) => p.Namespaces?.map((n) => ({ id: n.Id ?? '', arn: n.Arn ?? '', name: n.Name ?? '', type: n.Type ?? '', ...(n.Properties?.DnsProperties?.HostedZoneId ? { hostedZoneId: n.Properties.DnsProperties.HostedZoneId } : {}) }))),
      ),
    );
  }

  cloudMapService(idOrArn: string): Promise<CloudMapService | undefined> {
    const id = idOrArn.startsWith('arn:') ? idOrArn.split('/').pop() ?? idOrArn : idOrArn;
    return this.get(`cmservice:${id}`, 'servicediscovery:GetService', `Cloud Map service ${id}`, async () => {
      try {
        const s = (await this.call('cloudMap', ({ sdk, client }) => client.send(new sdk.GetServiceCommand({ Id: id })))).Service;
        return s ? { id: s.Id ?? id, arn: s.Arn ?? '', name: s.Name ?? '', namespaceId: s.NamespaceId } : undefined;
      } catch (err) {
        if (errName(err) === 'ServiceNotFound') return undefined;
        throw err;
      }
    });
  }

  cloudMapServices(namespaceId: string): Promise<CloudMapService[]> {
    return this.get(`cmservices:${namespaceId}`, 'servicediscovery:ListServices', `Cloud Map services of namespace ${namespaceId}`, async () => {
      const all = await this.call('cloudMap', ({ sdk, client }) =>
        collect(sdk.paginateListServices({ client, pageSize: this.pageSize ?? 100 }, { Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }] }), (p) => p.Services),
      );
      // moto ignores the namespace filter, so filter here as well.
      return all
        .map((s) => ({ id: s.Id ?? '', arn: s.Arn ?? '', name: s.Name ?? '', namespaceId: (s as { NamespaceId?: string }).NamespaceId }))
        .filter((s) => s.namespaceId === undefined || s.namespaceId === namespaceId);
    });
  }

  cloudMapInstances(serviceId: string): Promise<CloudMapInstance[]> {
    return this.get(`cminstances:${serviceId}`, 'servicediscovery:ListInstances', `instances of Cloud Map service ${serviceId}`, () =>
      this.call('cloudMap', ({ sdk, client }) =>
        collect(sdk.paginateListInstances({ client, pageSize: this.pageSize ?? 100 }, { ServiceId: serviceId }), (p) => p.Instances?.map((i) => ({ id: i.Id ?? '', attributes: { ...(i.Attributes ?? {}) } }))),
      ),
    );
  }

  searchLogs(group: string, terms: string[], windowMinutes: number, limit: number): Promise<LogSearch | undefined> {
    return this.get(`logs:${group}:${terms.join('|')}:${windowMinutes}:${limit}`, 'logs:FilterLogEvents', `log group ${group}`, async () => {
      if (!(await this.logGroupExists(group))) return undefined;
      const startTime = Date.now() - windowMinutes * 60_000;
      // One query per pattern (one in all against AWS, one per term against moto), all started at
      // once; each pages on its own. Events are unioned by id in pattern order: with one pattern per
      // term, an event matching two terms counts once.
      const perPattern = await Promise.all(
        logFilterPatterns(terms, this.combineLogTerms).map(async (filterPattern) => {
          const found: [string, string][] = [];
          let truncated = false;
          let token: string | undefined;
          do {
            const r = await this.call('logs', ({ sdk, client }) =>
              client.send(new sdk.FilterLogEventsCommand({ logGroupName: group, filterPattern, startTime, nextToken: token, limit: Math.min(limit, 10_000) })),
            );
            for (const e of r.events ?? []) found.push([e.eventId ?? `${e.timestamp}:${e.logStreamName}:${e.message}`, redactText((e.message ?? '').trim()).slice(0, 500)]);
            token = found.length >= limit ? undefined : r.nextToken;
            if (found.length >= limit && r.nextToken) truncated = true;
          } while (token);
          return { found, truncated };
        }),
      );
      const events = new Map(perPattern.flatMap((p) => p.found));
      return { group, count: events.size, truncated: perPattern.some((p) => p.truncated), lines: [...new Set(events.values())] };
    });
  }

  objectExists(bucket: string, key: string): Promise<boolean> {
    return this.get(`object:${bucket}/${key}`, 's3:GetObject', `s3://${bucket}/${key}`, async () => {
      try {
        await this.call('s3', ({ sdk, client }) => client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key })));
        return true;
      } catch (err) {
        if (errName(err) === 'NotFound' || errName(err) === 'NoSuchKey' || httpStatus(err) === 404) return false;
        throw err;
      }
    });
  }

  async objectInfo(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      // The owner and the bucket's region come from memoized reads; only the listing is read again.
      const owner = await this.ownerAccount();
      const region = (await this.bucket(bucket))?.region;
      // Not memoized (read before and after an upload): each call is one ListObjectsV2 of at most one key.
      const page = await this.call('s3', ({ sdk, client }) => client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1, ExpectedBucketOwner: owner })), region);
      // Prefix=key also matches longer keys (key.bak); keys are listed in order, so the exact one comes first.
      const o = page.Contents?.[0];
      if (!o || o.Key !== key) return undefined;
      return { key, ...(o.ETag ? { etag: o.ETag } : {}), ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}), ...(o.Size !== undefined ? { size: o.Size } : {}) };
    } catch (err) {
      if (err instanceof InventoryError) throw err;
      throw toInventoryError(err, 's3:ListBucket', `s3://${bucket}/${key}`, this.timeouts);
    }
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

  /**
   * Start every read the configuration already determines now, and each second-wave read as soon as
   * its input is known, before the checks ask (issue 13: the AWS phase is bounded by the dependency
   * depth, not by the length of the call list). Only reads whose IAM action is among `actions` (the
   * selected checks' permissions) are started, each through the memoized getter the checks call, so
   * nothing is read twice and nothing is read that no selected check needs. Failures are left for
   * the check that asks to report.
   */
  prefetch(cfg: Config, actions: Iterable<string>): void {
    const may = new Set(actions);
    const quiet = (p: Promise<unknown>) => {
      const settled = p.catch(() => undefined);
      this.prefetching.add(settled);
      void settled.then(() => this.prefetching.delete(settled));
    };
    const start = <T>(action: string, read: () => Promise<T>, then?: (value: T) => void) => {
      if (!may.has(action)) return;
      const p = read();
      quiet(then ? p.then(then) : p);
    };
    // A hint only: the plain value from whichever container carries it (the checks decide what is valid).
    const env = (td: TaskDefinition | undefined, _container: string, name: string) => {
      const value = td ? envValue(td, name)?.trim() : undefined;
      return value && !looksLikePlaceholder(value) ? value : undefined;
    };
    const sg = (id: string, then?: (g: SecurityGroup | undefined) => void) => start('ec2:DescribeSecurityGroups', () => this.securityGroup(id), then);
    const subnet = (id: string) =>
      start('ec2:DescribeSubnets', () => this.subnet(id), (s) => {
        if (s) start('ec2:DescribeVpcs', () => this.vpc(s.vpcId));
      });
    // A subnet a task runs in, as the network-path checks read it (checks/support/paths.ts subnetView):
    // its VPC, route table and (`acl`) network ACL, and (`wayOut`) the NAT gateways and VPC endpoints of
    // its VPC, started as soon as the subnet names its VPC rather than after the route table.
    const subnetPaths = (id: string, opts: { acl: boolean; wayOut: boolean }) => {
      start('ec2:DescribeSubnets', () => this.subnet(id), (s) => {
        if (!s) return;
        start('ec2:DescribeVpcs', () => this.vpc(s.vpcId));
        if (opts.wayOut) {
          start('ec2:DescribeNatGateways', () => this.natGateways(s.vpcId));
          start('ec2:DescribeVpcEndpoints', () => this.vpcEndpoints(s.vpcId));
        }
      });
      start('ec2:DescribeRouteTables', () => this.routeTableFor(id));
      if (opts.acl) start('ec2:DescribeNetworkAcls', () => this.networkAclFor(id));
    };

    // A principal's policy documents (what the effective-permission checks evaluate): the listings
    // need only the name, each document only its listing.
    const ROLE_POLICY_READS = ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'];
    const USER_POLICY_READS = ['iam:GetUser', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:ListGroupsForUser', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies', 'iam:GetGroupPolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'];
    const policies = (kind: 'role' | 'user', name: string) => {
      if ((kind === 'role' ? ROLE_POLICY_READS : USER_POLICY_READS).every((a) => may.has(a))) quiet(this.principalPolicies(kind, name));
    };

    quiet(this.identity());
    policies('role', cfg.iam.taskRole);
    policies('user', cfg.iam.user);
    start('ecs:DescribeClusters', () => this.cluster(cfg.cluster));
    for (const id of [cfg.securityGroups.elasticsearch, cfg.securityGroups.rds, cfg.securityGroups.efs]) sg(id);
    for (const id of cfg.network.subnets ?? []) {
      subnet(id);
      start('ec2:DescribeRouteTables', () => this.routeTableFor(id));
    }
    start('ecs:DescribeServices', () => this.service(cfg.cluster, cfg.services.insight), (service) => {
      if (!service) return;
      const edgi = cfg.network.edgiSecurityGroup ?? (service.securityGroups.length === 1 ? service.securityGroups[0] : undefined);
      if (edgi) sg(edgi, (g) => g?.vpcId && start('ec2:DescribeVpcs', () => this.vpc(g.vpcId!)));
      // The Insight subnets: their paths out (insight-subnets-way-out, edgi-egress-paths) and in.
      for (const id of service.subnets) subnetPaths(id, { acl: true, wayOut: true });
      // The Insight instances are read only by the in-VPC probe: left to it.
      const registry = service.serviceRegistries[0];
      if (registry) start('servicediscovery:GetService', () => this.cloudMapService(registry.registryArn));
      // The callers' side of the path to Insight (edgi-callers-reach-8000): the UI and Job services'
      // groups and subnets, read once the Insight service is known, as that check does.
      for (const name of [cfg.services.ui, cfg.services.job]) {
        start('ecs:DescribeServices', () => this.service(cfg.cluster, name), (caller) => {
          if (!caller || caller.status === 'INACTIVE') return;
          for (const id of caller.securityGroups) sg(id);
          for (const id of caller.subnets) subnetPaths(id, { acl: true, wayOut: false });
        });
      }
    });
    for (const name of [cfg.services.ui, cfg.services.job]) start('ecs:DescribeServices', () => this.service(cfg.cluster, name));
    // Each task definition's secrets[].valueFrom as task-secret-references verifies them (once the
    // Data and Insight task definitions it needs are there): a secret's metadata, then the key names
    // of a json-key reference unless the secret is missing or scheduled for deletion; an SSM parameter.
    // Only for a selection that reads secret references, which reads SSM parameters too: no other
    // check's GetSecretValue permission makes the prefetch read a secret that check does not.
    if (may.has('ssm:DescribeParameters')) start('ecs:DescribeTaskDefinition', () => Promise.all([cfg.taskDefinitions.data, cfg.taskDefinitions.insight].map((f) => this.taskDefinition(f))), (roles) => {
      if (roles.some((td) => !td)) return;
      for (const family of [cfg.taskDefinitions.data, cfg.taskDefinitions.insight, cfg.taskDefinitions.ui, cfg.taskDefinitions.job]) {
        start('ecs:DescribeTaskDefinition', () => this.taskDefinition(family), (td) => {
          for (const c of td?.containers ?? []) {
            for (const { valueFrom } of c.secrets) {
              const ref = parseValueFrom(valueFrom);
              if (ref.kind === 'unknown' || (ref.region && cfg.region && ref.region !== cfg.region)) continue;
              if (ref.kind === 'ssm') {
                if (ref.names[0]) start('ssm:DescribeParameters', () => this.ssmParameter(ref.names[0]!));
                continue;
              }
              start('secretsmanager:DescribeSecret', () => this.secretMetadata(ref.secretArn), (meta) => {
                if (meta && !meta.deletedDate && ref.jsonKey) start('secretsmanager:GetSecretValue', () => this.secret(ref.secretArn));
              });
            }
          }
        });
      }
    });
    for (const family of [cfg.taskDefinitions.ui, cfg.taskDefinitions.job]) {
      start('ecs:DescribeTaskDefinition', () => this.taskDefinition(family), (td) => td?.executionRoleArn && policies('role', td.executionRoleArn));
    }
    for (const role of ['data', 'insight'] as const) {
      start('ecs:DescribeTaskDefinition', () => this.taskDefinition(cfg.taskDefinitions[role]), (td) => {
        const container = cfg.expect[role].container;
        if (td?.executionRoleArn) policies('role', td.executionRoleArn);
        const main = td?.containers.find((x) => x.name === container) ?? td?.containers[0];
        const group = main?.logConfiguration?.logDriver === 'awslogs' ? main.logConfiguration.options['awslogs-group'] : undefined;
        if (group) {
          start('logs:DescribeLogGroups', () => this.logGroupExists(group));
          start('logs:FilterLogEvents', () => this.searchLogs(group, cfg.logs.terms, cfg.logs.windowMinutes, 1000));
        }
        const secret = env(td, container, 'AWS_SCTNAME');
        if (secret) {
          start('secretsmanager:GetSecretValue', () => this.secret(secret));
          start('secretsmanager:DescribeSecret', () => this.secretMetadata(secret));
        }
        if (role === 'data') {
          const bucket = env(td, container, 'BUCKET_NAME');
          if (bucket) start('s3:ListBucket', () => this.bucket(bucket));
        } else {
          // The Data task definition Insight pins (a family:revision or ARN: its own read), and the namespace Insight names by id.
          const pinned = env(td, container, 'TASK_DEFINITION');
          if (pinned) start('ecs:DescribeTaskDefinition', () => this.taskDefinition(pinned));
          const namespaceId = env(td, container, 'DNS_NAME_SPACE_ID');
          if (namespaceId) start('servicediscovery:ListServices', () => this.cloudMapServices(namespaceId));
          const prefix = env(td, container, 'SQS_QUEUE_PREFIX');
          if (prefix) start('sqs:ListQueues', () => this.sqsQueues(prefix));
          const nsName = env(td, container, 'EDGI_WORKSPACE_NAME_SPACE');
          if (nsName) {
            start('servicediscovery:ListNamespaces', () => this.namespaces(), (all) => {
              const ns = all.find((n) => n.name === nsName);
              if (ns) start('servicediscovery:ListServices', () => this.cloudMapServices(ns.id));
            });
          }
        }
      });
    }
    start('elasticfilesystem:DescribeMountTargets', () => this.mountTargets(cfg.efs.fileSystemId), (targets) => {
      for (const mt of targets ?? []) {
        start('ec2:DescribeSubnets', () => this.subnet(mt.subnetId));
        start('elasticfilesystem:DescribeMountTargetSecurityGroups', () => this.mountTargetSecurityGroups(mt), (r) => {
          for (const id of 'groups' in r ? r.groups : []) sg(id);
        });
      }
    });
    start('elasticfilesystem:DescribeAccessPoints', () => this.accessPoints(cfg.efs.fileSystemId));
    start('iam:GetUser', () => this.iamUser(cfg.iam.user));
    start('iam:GetRole', () => this.iamRole(cfg.iam.taskRole));
    start('servicediscovery:ListNamespaces', () => this.namespaces());
  }

  /**
   * Settles when every read prefetch started, and every read started from their answers, has
   * settled (tests: what the configuration alone determines, before any check asks).
   */
  async prefetched(): Promise<void> {
    while (this.prefetching.size > 0) await Promise.all([...this.prefetching]);
  }

  mountTargetSecurityGroups(mt: MountTarget): Promise<MountTargetSecurityGroups> {
    // Needs ec2:DescribeNetworkInterfaceAttribute as well (EFS reads the target's network interface)
    // and fails with IncorrectMountTargetState unless the target is available
    // (https://docs.aws.amazon.com/efs/latest/ug/API_DescribeMountTargetSecurityGroups.html).
    return this.get(`mtsg:${mt.id}`, 'elasticfilesystem:DescribeMountTargetSecurityGroups', `security groups of mount target ${mt.id}`, async () => {
      if (mt.lifeCycleState !== 'available') return { unreadable: `mount target ${mt.id} is ${mt.lifeCycleState || 'in an unknown state'}, not available` };
      try {
        const r = await this.call('efs', ({ sdk, client }) => client.send(new sdk.DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.id })));
        return { groups: r.SecurityGroups ?? [] };
      } catch (err) {
        if (errName(err) === 'IncorrectMountTargetState') return { unreadable: `mount target ${mt.id} is changing state (IncorrectMountTargetState)` };
        if (errName(err) === 'MountTargetNotFound') return { unreadable: `mount target ${mt.id} no longer exists (MountTargetNotFound)` };
        const c = classify(err);
        // Denied without naming the action: it is one of the two the call needs.
        if (c.kind === 'access-denied' && !c.action) {
          throw new InventoryError('access-denied', 'elasticfilesystem:DescribeMountTargetSecurityGroups and ec2:DescribeNetworkInterfaceAttribute', `security groups of mount target ${mt.id}`, c.detail);
        }
        throw err;
      }
    });
  }

  managedPrefixList(id: string): Promise<ManagedPrefixList | undefined> {
    return this.get(`pl:${id}`, 'ec2:DescribeManagedPrefixLists', `managed prefix list ${id}`, async () => {
      let list;
      try {
        list = (await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeManagedPrefixListsCommand({ PrefixListIds: [id] })))).PrefixLists?.[0];
      } catch (err) {
        if (/NotFound|Malformed/.test(errName(err))) return undefined;
        throw err;
      }
      if (!list) return undefined;
      const cidrs = await this.get(`pl-entries:${id}`, 'ec2:GetManagedPrefixListEntries', `entries of managed prefix list ${id}`, () =>
        this.call('ec2', ({ sdk, client }) =>
          collect(sdk.paginateGetManagedPrefixListEntries({ client, pageSize: this.pageSize ?? 100 }, { PrefixListId: id }), (p) => p.Entries?.flatMap((e) => (e.Cidr ? [e.Cidr] : []))),
        ),
      );
      return { id, name: list.PrefixListName ?? '', addressFamily: list.AddressFamily ?? '', cidrs };
    });
  }
  // --- effective permissions and network paths (appended) ------------------------------------

  /** A managed policy's default version document (GetPolicy names the version, GetPolicyVersion holds it). */
  private managedPolicy(arn: string, origin: IamPolicySource['origin'], name: string, group?: string): Promise<IamPolicySource> {
    return this.get(`policy-doc:${arn}`, 'iam:GetPolicyVersion', `managed policy ${arn}`, async () => {
      const policy = await this.get(`policy:${arn}`, 'iam:GetPolicy', `managed policy ${arn}`, async () =>
        (await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetPolicyCommand({ PolicyArn: arn })))).Policy,
      );
      const versionId = policy?.DefaultVersionId ?? 'v1';
      const version = await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })));
      // moto returns the document not URL-encoded, real IAM URL-encoded: parsePolicyDocument decodes either.
      return { origin, name: policy?.PolicyName ?? name, arn, versionId, group, document: parsePolicyDocument(version.PolicyVersion?.Document) };
    }).then((p) => ({ ...p, origin, group }));
  }

  private inlinePolicies(kind: 'role' | 'user' | 'group', name: string): Promise<IamPolicySource[]> {
    const read = { role: 'iam:GetRolePolicy', user: 'iam:GetUserPolicy', group: 'iam:GetGroupPolicy' }[kind];
    return this.get(`inline-docs:${kind}:${name}`, read, `inline policies of IAM ${kind} ${name}`, async () => {
      const names = await this.inlinePolicyNames(kind, name);
      return Promise.all(
        names.map(async (policyName) => {
          const r: { PolicyDocument?: string } =
            kind === 'role'
              ? await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })))
              : kind === 'user'
                ? await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetUserPolicyCommand({ UserName: name, PolicyName: policyName })))
                : await this.call('iam', ({ sdk, client }) => client.send(new sdk.GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName })));
          const origin: IamPolicySource['origin'] = kind === 'group' ? 'group-inline' : 'inline';
          return { origin, name: policyName, ...(kind === 'group' ? { group: name } : {}), document: parsePolicyDocument(r.PolicyDocument) };
        }),
      );
    });
  }

  principalPolicies(kind: 'role' | 'user', nameOrArn: string): Promise<PrincipalPolicies | undefined> {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop() ?? nameOrArn : nameOrArn;
    return this.get(`principal-policies:${kind}:${name}`, kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', `IAM ${kind} ${name}`, async () => {
      // Everything the principal's name determines starts at once, each document as soon as its
      // listing names it (depth: listing → GetPolicy → GetPolicyVersion), not after the GetRole/GetUser.
      const recordP = this.principalRecord(kind, name);
      const managedP = this.attachedPolicyList(kind, name).then((attached) => Promise.all(attached.map((p) => this.managedPolicy(p.arn, 'managed', p.name))));
      const inlineP = this.inlinePolicies(kind, name);
      const groupsP: Promise<IamPolicySource[][]> =
        kind === 'user'
          ? this.get(`user-groups:${name}`, 'iam:ListGroupsForUser', `groups of IAM user ${name}`, () =>
              allPages(async (Marker) => {
                const r = await this.call('iam', ({ sdk, client }) => client.send(new sdk.ListGroupsForUserCommand({ UserName: name, Marker })));
                return { items: (r.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])), next: r.IsTruncated ? r.Marker : undefined };
              }),
            ).then((groups) =>
              Promise.all(
                groups.map(async (group) => {
                  const attachedP = this.get(`group-policies:${group}`, 'iam:ListAttachedGroupPolicies', `policies of IAM group ${group}`, () =>
                    allPages(async (Marker) => {
                      const r = await this.call('iam', ({ sdk, client }) => client.send(new sdk.ListAttachedGroupPoliciesCommand({ GroupName: group, Marker })));
                      return { items: (r.AttachedPolicies ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' })), next: r.IsTruncated ? r.Marker : undefined };
                    }),
                  ).then((attached) => Promise.all(attached.map((p) => this.managedPolicy(p.arn, 'group-managed', p.name, group))));
                  const groupInlineP = this.inlinePolicies('group', group);
                  return [...(await attachedP), ...(await groupInlineP)];
                }),
              ),
            )
          : Promise.resolve([]);
      // Awaited below unless there is no such principal (the listings then fail the same way) or the GetRole/GetUser fails.
      for (const p of [managedP, inlineP, groupsP]) p.catch(() => undefined);
      const record = await recordP;
      if (!record) return undefined;
      const { arn, boundaryArn } = record;
      const boundaryP = boundaryArn ? this.managedPolicy(boundaryArn, 'boundary', boundaryArn.split('/').pop() ?? boundaryArn) : undefined;
      const [managed, inline, groups, boundary] = await Promise.all([managedP, inlineP, groupsP, boundaryP]);
      const policies: IamPolicySource[] = [...managed, ...inline, ...groups.flat()];
      return { kind, name, arn, policies, ...(boundary ? { boundary } : {}) };
    });
  }

  simulatePrincipalPolicy(principalArn: string, actions: string[], resources: string[]): Promise<SimulationResult[]> {
    const key = `simulate:${principalArn}:${actions.join(',')}:${resources.join(',')}`;
    return this.get(key, 'iam:SimulatePrincipalPolicy', `IAM principal ${principalArn}`, () =>
      allPages(async (Marker) => {
        const r = await this.call('iam', ({ sdk, client }) =>
          client.send(new sdk.SimulatePrincipalPolicyCommand({ PolicySourceArn: principalArn, ActionNames: actions, ResourceArns: resources, Marker })),
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
      const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] })));
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
        const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })));
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
        const r = await this.call('ec2', ({ sdk, client }) => client.send(new sdk.DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken })));
        const items = (r.NatGateways ?? []).map((n) => ({ id: n.NatGatewayId ?? '', vpcId: n.VpcId ?? vpcId, subnetId: n.SubnetId ?? '', state: n.State ?? '', connectivityType: n.ConnectivityType }));
        return { items, next: r.NextToken };
      }),
    );
  }
}

/** Every item of a listing the SDK offers no paginator for (IAM inline and group policies). */
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

