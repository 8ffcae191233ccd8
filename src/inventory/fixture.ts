import type { UptimeRow, WorkspaceRow } from './db.js';
import { matchesAnyTerm } from './log-patterns.js';
import { resolvePrefixLists, splitBlackholes } from './prefix-lists.js';
import { redactEnvironment, redactText } from './redact.js';
import type { IamPolicySource, NatGateway, NetworkAcl, NetworkAclEntry, ObjectInfo, PrincipalPolicies, SimulationResult, VpcEndpoint } from './types.js';
import {
  InventoryError,
  type AccessPoint,
  type Bucket,
  type CloudMapInstance,
  type CloudMapService,
  type IamRole,
  type IamUser,
  type LogSearch,
  type ManagedPrefixList,
  type MountTargetSecurityGroups,
  type Namespace,
  type SecretShape,
  type SecretMetadata,
  type SsmParameter,
  type ApiCallCounts,
  type CallerIdentity,
  type Cluster,
  type Inventory,
  type MountTarget,
  type Route,
  type RouteTable,
  type SecurityGroup,
  type Service,
  type Subnet,
  type TaskDefinition,
  type Vpc,
} from './types.js';

/** Plain objects an inventory is built from in unit tests (and, later, a recorded bundle). */
export interface FixtureData {
  identity?: CallerIdentity;
  clusters?: Cluster[];
  services?: Service[];
  /** Environment values may be raw: they are redacted on the way in, as the live inventory does. */
  taskDefinitions?: TaskDefinition[];
  securityGroups?: SecurityGroup[];
  subnets?: Subnet[];
  vpcs?: Vpc[];
  routeTables?: { id: string; vpcId: string; main: boolean; subnetIds: string[]; routes: Route[] }[];
  mountTargets?: Record<string, MountTarget[]>;
  /** Keyed by file system id; a file system absent here does not exist. */
  accessPoints?: Record<string, AccessPoint[]>;
  buckets?: Bucket[];
  iamUsers?: IamUser[];
  iamRoles?: IamRole[];
  /** Key names only, as the live inventory keeps them. */
  secrets?: SecretShape[];
  /** SSM Parameter Store parameters (names and types only). */
  ssmParameters?: SsmParameter[];
  logGroups?: string[];
  sqsQueueUrls?: string[];
  namespaces?: Namespace[];
  cloudMapServices?: CloudMapService[];
  /** Keyed by Cloud Map service id. */
  cloudMapInstances?: Record<string, CloudMapInstance[]>;
  /** Log events by group (all inside the window); a group absent here does not exist unless in logGroups. */
  logEvents?: Record<string, string[]>;
  /** Existing S3 objects as "bucket/key". */
  objects?: string[];
  /** The edgi tables; absent = database not configured. */
  database?: { stack: WorkspaceRow[]; uptime: UptimeRow[] };
  /** IAM actions that answer AccessDenied, to test that checks report `error` naming them. */
  denied?: string[];
  // --- effective permissions and network paths ---
  /** Managed policies by ARN: the default version id and every version's document. */
  managedPolicies?: { arn: string; name: string; defaultVersionId: string; versions: Record<string, unknown> }[];
  /** Inline policy documents keyed "role:<name>", "user:<name>" or "group:<name>", then by policy name. */
  inlinePolicies?: Record<string, Record<string, unknown>>;
  /** Group names by user name. */
  userGroups?: Record<string, string[]>;
  /** Managed policies attached to each group, by group name. */
  groupPolicies?: Record<string, { name: string; arn: string }[]>;
  /** Permissions boundary policy ARN keyed "role:<name>" or "user:<name>". */
  permissionsBoundaries?: Record<string, string>;
  /** Answers of iam:SimulatePrincipalPolicy by principal ARN; absent: the call is not implemented (as in moto). */
  simulations?: Record<string, SimulationResult[]>;
  networkAcls?: (Omit<NetworkAcl, 'entries'> & { subnetIds: string[]; entries: NetworkAclEntry[] })[];
  vpcEndpoints?: VpcEndpoint[];
  natGateways?: NatGateway[];
  /** Mount target ids whose security groups cannot be read, with the reason (a target in transition). */
  mountTargetSecurityGroupsUnreadable?: Record<string, string>;
  managedPrefixLists?: ManagedPrefixList[];
}

/**
 * Whether a SecretId names the secret, as Secrets Manager reads it: its name, its ARN, or its partial
 * ARN (the ARN without the "-" and 6 random characters Secrets Manager appends to the name).
 */
function secretNamed(secret: { name: string; arn: string }, id: string): boolean {
  return secret.name === id || secret.arn === id || (id.startsWith('arn:') && secret.arn.length === id.length + 7 && secret.arn.startsWith(`${id}-`));
}

export class FixtureInventory implements Inventory {
  readonly source = 'fixture' as const;
  private readonly counts: ApiCallCounts = {};
  private readonly data: FixtureData;

  constructor(data: FixtureData) {
    this.data = {
      ...data,
      taskDefinitions: data.taskDefinitions?.map((td) => ({
        ...td,
        containers: td.containers.map((c) => ({ ...c, environment: redactEnvironment(c.environment) })),
      })),
    };
  }

  apiCalls(): ApiCallCounts {
    return { ...this.counts };
  }

  private read<T>(action: string, resource: string, fn: () => T): Promise<T> {
    this.counts[action] = (this.counts[action] ?? 0) + 1;
    if (this.data.denied?.includes(action)) {
      return Promise.reject(new InventoryError('access-denied', action, resource, 'AccessDenied'));
    }
    return Promise.resolve(fn());
  }

  identity(): Promise<CallerIdentity> {
    return this.read('sts:GetCallerIdentity', 'the caller identity', () => {
      if (!this.data.identity) throw new InventoryError('credentials', 'sts:GetCallerIdentity', 'the caller identity', 'no credentials');
      return this.data.identity;
    });
  }

  cluster(name: string): Promise<Cluster | undefined> {
    return this.read('ecs:DescribeClusters', `ECS cluster ${name}`, () => this.data.clusters?.find((c) => c.name === name || c.arn === name));
  }

  service(cluster: string, name: string): Promise<Service | undefined> {
    return this.read('ecs:DescribeServices', `ECS service ${name}`, () =>
      this.data.services?.find((s) => s.name === name && (s.clusterArn === cluster || s.clusterArn.endsWith(`/${cluster}`))),
    );
  }

  taskDefinition(familyOrArn: string): Promise<TaskDefinition | undefined> {
    return this.read('ecs:DescribeTaskDefinition', `task definition ${familyOrArn}`, () => {
      const all = this.data.taskDefinitions ?? [];
      const exact = all.find((t) => t.arn === familyOrArn || `${t.family}:${t.revision}` === familyOrArn);
      if (exact) return exact;
      return all
        .filter((t) => t.family === familyOrArn && t.status === 'ACTIVE')
        .sort((a, b) => b.revision - a.revision)[0];
    });
  }

  securityGroup(id: string): Promise<SecurityGroup | undefined> {
    return this.read('ec2:DescribeSecurityGroups', `security group ${id}`, () => this.data.securityGroups?.find((g) => g.id === id)).then((g) =>
      g ? resolvePrefixLists(g, (pl) => this.managedPrefixList(pl)) : undefined,
    );
  }

  subnet(id: string): Promise<Subnet | undefined> {
    return this.read('ec2:DescribeSubnets', `subnet ${id}`, () => this.data.subnets?.find((s) => s.id === id));
  }

  vpc(id: string): Promise<Vpc | undefined> {
    return this.read('ec2:DescribeVpcs', `VPC ${id}`, () => this.data.vpcs?.find((v) => v.id === id));
  }

  routeTableFor(subnetId: string): Promise<RouteTable | undefined> {
    return this.read('ec2:DescribeRouteTables', `route table of subnet ${subnetId}`, () => {
      const tables = this.data.routeTables ?? [];
      const explicit = tables.find((t) => t.subnetIds.includes(subnetId));
      const vpcId = this.data.subnets?.find((s) => s.id === subnetId)?.vpcId;
      const table = explicit ?? tables.find((t) => t.main && t.vpcId === vpcId);
      if (!table) return undefined;
      return { id: table.id, vpcId: table.vpcId, main: table.main, association: explicit ? 'explicit' : 'main', ...splitBlackholes(table.routes) };
    });
  }

  mountTargets(fileSystemId: string): Promise<MountTarget[] | undefined> {
    return this.read('elasticfilesystem:DescribeMountTargets', `mount targets of EFS ${fileSystemId}`, () => this.data.mountTargets?.[fileSystemId]);
  }

  accessPoints(fileSystemId: string): Promise<AccessPoint[] | undefined> {
    return this.read('elasticfilesystem:DescribeAccessPoints', `access points of EFS ${fileSystemId}`, () => this.data.accessPoints?.[fileSystemId]);
  }

  bucket(name: string): Promise<Bucket | undefined> {
    return this.read('s3:ListBucket', `S3 bucket ${name}`, () => this.data.buckets?.find((b) => b.name === name));
  }

  iamUser(name: string): Promise<IamUser | undefined> {
    return this.read('iam:GetUser', `IAM user ${name}`, () => this.data.iamUsers?.find((u) => u.name === name));
  }

  iamRole(nameOrArn: string): Promise<IamRole | undefined> {
    return this.read('iam:GetRole', `IAM role ${nameOrArn}`, () => this.data.iamRoles?.find((r) => r.name === nameOrArn || r.arn === nameOrArn));
  }

  secret(nameOrArn: string): Promise<SecretShape | undefined> {
    return this.read('secretsmanager:GetSecretValue', `secret ${nameOrArn}`, () => this.data.secrets?.find((x) => secretNamed(x, nameOrArn)));
  }

  secretMetadata(nameOrArn: string): Promise<SecretMetadata | undefined> {
    return this.read('secretsmanager:DescribeSecret', `secret ${nameOrArn}`, () => {
      const x = this.data.secrets?.find((s) => secretNamed(s, nameOrArn));
      return x ? { name: x.name, arn: x.arn, ...(x.deletedDate ? { deletedDate: x.deletedDate } : {}) } : undefined;
    });
  }

  ssmParameter(name: string): Promise<SsmParameter | undefined> {
    return this.read('ssm:DescribeParameters', `SSM parameter ${name}`, () => this.data.ssmParameters?.find((p) => p.name === name));
  }

  logGroupExists(name: string): Promise<boolean> {
    return this.read('logs:DescribeLogGroups', `log group ${name}`, () => (this.data.logGroups ?? []).includes(name));
  }

  sqsQueues(prefix: string): Promise<string[]> {
    return this.read('sqs:ListQueues', `SQS queues named ${prefix}*`, () => (this.data.sqsQueueUrls ?? []).filter((u) => (u.split('/').pop() ?? '').startsWith(prefix)));
  }

  namespaces(): Promise<Namespace[]> {
    return this.read('servicediscovery:ListNamespaces', 'Cloud Map namespaces', () => this.data.namespaces ?? []);
  }

  cloudMapService(idOrArn: string): Promise<CloudMapService | undefined> {
    return this.read('servicediscovery:GetService', `Cloud Map service ${idOrArn}`, () => this.data.cloudMapServices?.find((x) => x.id === idOrArn || x.arn === idOrArn));
  }

  cloudMapServices(namespaceId: string): Promise<CloudMapService[]> {
    return this.read('servicediscovery:ListServices', `Cloud Map services of namespace ${namespaceId}`, () => (this.data.cloudMapServices ?? []).filter((x) => x.namespaceId === namespaceId));
  }

  cloudMapInstances(serviceId: string): Promise<CloudMapInstance[]> {
    return this.read('servicediscovery:ListInstances', `instances of Cloud Map service ${serviceId}`, () => this.data.cloudMapInstances?.[serviceId] ?? []);
  }

  searchLogs(group: string, terms: string[], _windowMinutes: number, limit: number): Promise<LogSearch | undefined> {
    return this.read('logs:FilterLogEvents', `log group ${group}`, () => {
      if (!(this.data.logGroups ?? []).includes(group) && !this.data.logEvents?.[group]) return undefined;
      const matching = (this.data.logEvents?.[group] ?? []).filter((m) => matchesAnyTerm(m, terms));
      const read = matching.slice(0, limit);
      return { group, count: read.length, truncated: matching.length > limit, lines: [...new Set(read.map((m) => redactText(m.trim()).slice(0, 500)))] };
    });
  }

  objectExists(bucket: string, key: string): Promise<boolean> {
    return this.read('s3:GetObject', `s3://${bucket}/${key}`, () => (this.data.objects ?? []).includes(`${bucket}/${key}`));
  }

  objectInfo(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    return this.read('s3:ListBucket', `s3://${bucket}/${key}`, () => ((this.data.objects ?? []).includes(`${bucket}/${key}`) ? { key } : undefined));
  }

  databaseUnavailable(): string | undefined {
    return this.data.database ? undefined : 'no database configured (database.url or database.fromSecret)';
  }

  workspaceRows(user: string): Promise<WorkspaceRow[]> {
    return this.read('mysql:SELECT', 'the edgi_data_service_stack table', () => (this.data.database?.stack ?? []).filter((r) => r.user === user || r.email === user));
  }

  uptimeRows(users: string[]): Promise<UptimeRow[]> {
    return this.read('mysql:SELECT', 'the edgi_data_service_uptime_history table', () => (this.data.database?.uptime ?? []).filter((r) => users.includes(r.user)));
  }

  mountTargetSecurityGroups(mt: MountTarget): Promise<MountTargetSecurityGroups> {
    return this.read('elasticfilesystem:DescribeMountTargetSecurityGroups', `security groups of mount target ${mt.id}`, () => {
      const why = this.data.mountTargetSecurityGroupsUnreadable?.[mt.id];
      if (why) return { unreadable: why };
      if (mt.lifeCycleState !== 'available') return { unreadable: `mount target ${mt.id} is ${mt.lifeCycleState}, not available` };
      const listed = Object.values(this.data.mountTargets ?? {}).flat().find((t) => t.id === mt.id);
      return { groups: listed?.securityGroups ?? mt.securityGroups ?? [] };
    });
  }

  managedPrefixList(id: string): Promise<ManagedPrefixList | undefined> {
    return this.read('ec2:DescribeManagedPrefixLists', `managed prefix list ${id}`, () => this.data.managedPrefixLists?.find((p) => p.id === id));
  }
  // --- effective permissions and network paths (appended) ------------------------------------

  private managed(arn: string, origin: IamPolicySource['origin'], group?: string): IamPolicySource | undefined {
    const p = this.data.managedPolicies?.find((x) => x.arn === arn);
    if (!p) return undefined;
    return { origin, name: p.name, arn, versionId: p.defaultVersionId, ...(group ? { group } : {}), document: p.versions[p.defaultVersionId] };
  }

  private inline(key: string, origin: IamPolicySource['origin'], group?: string): IamPolicySource[] {
    return Object.entries(this.data.inlinePolicies?.[key] ?? {}).map(([name, document]) => ({ origin, name, ...(group ? { group } : {}), document }));
  }

  principalPolicies(kind: 'role' | 'user', nameOrArn: string): Promise<PrincipalPolicies | undefined> {
    return this.read(kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', `IAM ${kind} ${nameOrArn}`, () => {
      const principal =
        kind === 'role'
          ? this.data.iamRoles?.find((r) => r.name === nameOrArn || r.arn === nameOrArn)
          : this.data.iamUsers?.find((u) => u.name === nameOrArn || u.arn === nameOrArn);
      if (!principal) return undefined;
      for (const action of kind === 'role' ? ['iam:GetPolicyVersion', 'iam:GetRolePolicy'] : ['iam:GetPolicyVersion', 'iam:GetUserPolicy', 'iam:ListGroupsForUser']) {
        this.counts[action] = (this.counts[action] ?? 0) + 1;
        if (this.data.denied?.includes(action)) throw new InventoryError('access-denied', action, `IAM ${kind} ${principal.name}`, 'AccessDenied');
      }
      const policies: IamPolicySource[] = [
        ...principal.attachedPolicies.flatMap((p) => this.managed(p.arn, 'managed') ?? []),
        ...this.inline(`${kind}:${principal.name}`, 'inline'),
      ];
      if (kind === 'user') {
        for (const group of this.data.userGroups?.[principal.name] ?? []) {
          policies.push(...(this.data.groupPolicies?.[group] ?? []).flatMap((p) => this.managed(p.arn, 'group-managed', group) ?? []));
          policies.push(...this.inline(`group:${group}`, 'group-inline', group));
        }
      }
      const boundaryArn = this.data.permissionsBoundaries?.[`${kind}:${principal.name}`];
      const boundary = boundaryArn ? this.managed(boundaryArn, 'boundary') : undefined;
      return { kind, name: principal.name, arn: principal.arn, policies, ...(boundary ? { boundary } : {}) };
    });
  }

  simulatePrincipalPolicy(principalArn: string, actions: string[], resources: string[]): Promise<SimulationResult[]> {
    return this.read('iam:SimulatePrincipalPolicy', `IAM principal ${principalArn}`, () => {
      const table = this.data.simulations?.[principalArn];
      if (!table) throw new InventoryError('other', 'iam:SimulatePrincipalPolicy', `IAM principal ${principalArn}`, 'NotImplemented');
      return table.filter((r) => actions.includes(r.action) && (resources.includes(r.resource) || r.resource === '*'));
    });
  }

  networkAclFor(subnetId: string): Promise<NetworkAcl | undefined> {
    return this.read('ec2:DescribeNetworkAcls', `network ACL of subnet ${subnetId}`, () => {
      const acls = this.data.networkAcls ?? [];
      const vpcId = this.data.subnets?.find((s) => s.id === subnetId)?.vpcId;
      const acl = acls.find((a) => a.subnetIds.includes(subnetId)) ?? acls.find((a) => a.isDefault && a.vpcId === vpcId);
      if (!acl) return undefined;
      return { id: acl.id, vpcId: acl.vpcId, isDefault: acl.isDefault, entries: acl.entries };
    });
  }

  vpcEndpoints(vpcId: string): Promise<VpcEndpoint[]> {
    return this.read('ec2:DescribeVpcEndpoints', `VPC endpoints of ${vpcId}`, () => (this.data.vpcEndpoints ?? []).filter((e) => e.vpcId === vpcId));
  }

  natGateways(vpcId: string): Promise<NatGateway[]> {
    return this.read('ec2:DescribeNatGateways', `NAT gateways of ${vpcId}`, () => (this.data.natGateways ?? []).filter((n) => n.vpcId === vpcId));
  }
}
