// The inventory: the only door to AWS (and later MySQL and logs) while checking. Every getter is
// memoized by its arguments; "not found" is `undefined`; anything that prevents reading throws an
// InventoryError naming the AWS action, so a check can report `error` with the missing permission.
// Secret values are removed before data enters the inventory (see redact.ts).

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface KeyValue {
  name: string;
  /** The value, or REDACTED when the name says it is a secret (then `secret` holds facts about it). */
  value: string;
  secret?: import('./redact.js').SecretFacts;
}

export interface ContainerDefinition {
  name: string;
  image?: string;
  portMappings: { containerPort?: number; protocol?: string }[];
  /** Values of secret-looking names are replaced by REDACTED at the inventory edge. */
  environment: KeyValue[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration?: { logDriver: string; options: Record<string, string> };
  mountPoints: { sourceVolume?: string; containerPath?: string; readOnly?: boolean }[];
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: string;
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode?: string;
  requiresCompatibilities: string[];
  ephemeralStorageGiB?: number;
  containers: ContainerDefinition[];
  volumes: {
    name: string;
    efs?: {
      fileSystemId: string;
      rootDirectory?: string;
      transitEncryption?: string;
      accessPointId?: string;
      iam?: string;
    };
  }[];
}

export interface Deployment {
  id: string;
  status: string;
  taskDefinition: string;
  rolloutState?: string;
  desiredCount: number;
  runningCount: number;
}

export interface Service {
  arn: string;
  name: string;
  clusterArn: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  launchType?: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: string;
  /** ECS, CODE_DEPLOY or EXTERNAL; the latter two have no `deployments` of their own, see `taskSets`. */
  deploymentController?: string;
  /**
   * For CODE_DEPLOY and EXTERNAL services: `deployments` is derived from the task sets (the PRIMARY
   * one first, status PRIMARY), as AWS returns no deployments for them.
   */
  deployments: Deployment[];
  /** The service's task sets (CODE_DEPLOY / EXTERNAL deployment controllers only). */
  taskSets?: TaskSet[];
  serviceRegistries: { registryArn: string; containerName?: string; containerPort?: number }[];
}

export interface TaskSet {
  id: string;
  /** PRIMARY, ACTIVE or DRAINING. */
  status: string;
  taskDefinition: string;
  /** STEADY_STATE or STABILIZING. */
  stabilityStatus?: string;
  desiredCount: number;
  runningCount: number;
}

export interface Cluster {
  arn: string;
  name: string;
  status: string;
}

export interface IpPermission {
  /** 'tcp' | 'udp' | 'icmp' | '-1' (all) or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  groupIds: string[];
  prefixListIds: string[];
  /** CIDRs of the rule's managed prefix lists that could be read (IPv4 and IPv6 mixed). */
  prefixListCidrs?: string[];
  /** Prefix lists of the rule whose entries could not be read: the rule cannot be verified from them. */
  unresolvedPrefixLists?: UnresolvedPrefixList[];
}

export interface UnresolvedPrefixList {
  id: string;
  kind: InventoryErrorKind;
  action: string;
  detail: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId?: string;
  description?: string;
  ingress: IpPermission[];
  egress: IpPermission[];
}

export interface Subnet {
  id: string;
  vpcId: string;
  cidr: string;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
  name?: string;
}

export interface Vpc {
  id: string;
  cidrs: string[];
  name?: string;
}

export interface Route {
  destinationCidr?: string;
  destinationIpv6Cidr?: string;
  /** An internet gateway (igw-), a virtual private gateway (vgw-), `local`, … */
  gatewayId?: string;
  natGatewayId?: string;
  /** A transit gateway (tgw-): the way out is routed on by the transit gateway, often to a central egress VPC. */
  transitGatewayId?: string;
  /** A network interface or instance (a NAT instance, a firewall appliance). */
  networkInterfaceId?: string;
  instanceId?: string;
  /** An AWS Cloud WAN core network. */
  coreNetworkArn?: string;
  state?: string;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  /** How this table was found for the subnet asked about. */
  association: 'explicit' | 'main';
  /** Routes that route: a route in state `blackhole` (its target gone) routes nothing and is listed in `blackholeRoutes` instead. */
  routes: Route[];
  blackholeRoutes?: Route[];
}

export interface MountTarget {
  id: string;
  fileSystemId: string;
  subnetId: string;
  availabilityZone?: string;
  lifeCycleState: string;
  /**
   * Fixture data only. The live inventory reads security groups per target, only when asked
   * (`mountTargetSecurityGroups`), because that read needs ec2:DescribeNetworkInterfaceAttribute too.
   */
  securityGroups?: string[];
}

/** A mount target's security groups, or why they cannot be read for this target alone. */
export type MountTargetSecurityGroups = { groups: string[] } | { unreadable: string };

/** A managed prefix list (a rule source in a security group). */
export interface ManagedPrefixList {
  id: string;
  name: string;
  /** IPv4 or IPv6. */
  addressFamily: string;
  cidrs: string[];
}

export interface AccessPoint {
  id: string;
  arn: string;
  fileSystemId: string;
  name?: string;
  rootPath?: string;
  posixUser?: { uid: number; gid: number };
  creationInfo?: { ownerUid: number; ownerGid: number; permissions: string };
  lifeCycleState: string;
}

export interface CorsRule {
  allowedHeaders: string[];
  allowedMethods: string[];
  allowedOrigins: string[];
  exposeHeaders: string[];
}

export interface Bucket {
  name: string;
  /**
   * The bucket's region when S3 answered 301 PermanentRedirect (x-amz-bucket-region): the bucket is
   * not in the deployment's region. Absent when it is in the region asked.
   */
  region?: string;
  /** undefined: the bucket has no CORS configuration. */
  cors?: CorsRule[];
}

export interface IamUser {
  name: string;
  arn: string;
  attachedPolicies: { name: string; arn: string }[];
  accessKeys: { id: string; status: string }[];
}

export interface IamRole {
  name: string;
  arn: string;
  /** The trust policy, URL-decoded and parsed. */
  trustPolicy: PolicyDocument;
  attachedPolicies: { name: string; arn: string }[];
  inlinePolicies: string[];
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

export interface PolicyStatement {
  Effect?: string;
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, unknown>;
}

/** A Secrets Manager secret: its key names only, never its values. */
export interface SecretShape {
  name: string;
  arn: string;
  /** Top-level keys when the value is a JSON object; undefined when it is not JSON. */
  keys?: string[];
  /** Fixture data only: when the secret is scheduled for deletion (ISO date), see `secretMetadata`. */
  deletedDate?: string;
}

/** What DescribeSecret says about a secret (never its value). */
export interface SecretMetadata {
  name: string;
  arn: string;
  /** ISO date the secret is scheduled to be deleted on; absent when it is not scheduled for deletion. */
  deletedDate?: string;
}

/** An SSM Parameter Store parameter: its name and type only, never its value. */
export interface SsmParameter {
  name: string;
  arn?: string;
  /** String, StringList or SecureString. */
  type?: string;
}

export interface Namespace {
  id: string;
  arn: string;
  name: string;
  type: string;
  /** The Route 53 hosted zone of a DNS namespace (Properties.DnsProperties.HostedZoneId); none for HTTP. */
  hostedZoneId?: string;
}

export interface CloudMapService {
  id: string;
  arn: string;
  name: string;
  namespaceId?: string;
}

export interface CloudMapInstance {
  id: string;
  attributes: Record<string, string>;
}

export interface LogSearch {
  group: string;
  /** Matching events in the window (at most `limit` were read). */
  count: number;
  /** True when there were more matches than were read. */
  truncated: boolean;
  /** Distinct messages, first seen first, secrets redacted, each at most 500 characters. */
  lines: string[];
}

// --- effective permissions and network paths ---------------------------------------------------

/** An identity policy with its document, as the evaluator reads it (src/effective/iam.ts). */
export type IamPolicySource = import('../effective/iam.js').PolicySource;

/** Every policy that reaches a principal, with documents: managed at their default version, inline, and (users) their groups'. */
export interface PrincipalPolicies {
  kind: 'role' | 'user';
  name: string;
  arn: string;
  policies: IamPolicySource[];
  /** The permissions boundary (a managed policy at its default version), when one is set. */
  boundary?: IamPolicySource;
}

/** One answer of iam:SimulatePrincipalPolicy. */
export interface SimulationResult {
  action: string;
  resource: string;
  /** allowed | explicitDeny | implicitDeny */
  decision: string;
  /** Policies IAM says decided it (their ids as IAM gives them). */
  matchedStatements: string[];
  /** Context keys IAM needed but was not given: the answer depends on them. */
  missingContextValues: string[];
  /** False when the permissions boundary does not allow it. */
  allowedByBoundary?: boolean;
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  /** '-1' (all), '6' (tcp), '17' (udp), … as the API gives it. */
  protocol: string;
  action: 'allow' | 'deny';
  cidr?: string;
  ipv6Cidr?: string;
  fromPort?: number;
  toPort?: number;
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  entries: NetworkAclEntry[];
}

export interface VpcEndpoint {
  id: string;
  vpcId: string;
  /** e.g. com.amazonaws.us-east-1.s3 */
  serviceName: string;
  type: string;
  state: string;
  privateDnsEnabled: boolean;
  subnetIds: string[];
  routeTableIds: string[];
  securityGroupIds: string[];
}

export interface NatGateway {
  id: string;
  vpcId: string;
  subnetId: string;
  state: string;
  connectivityType?: string;
}

/** Counted AWS operations, keyed "service:Operation" (e.g. "ec2:DescribeSecurityGroups"). */
export type ApiCallCounts = Record<string, number>;

export interface Inventory {
  /** Where this inventory reads from, for the report header. */
  readonly source: 'live' | 'fixture' | 'recorded';
  identity(): Promise<CallerIdentity>;
  cluster(name: string): Promise<Cluster | undefined>;
  service(cluster: string, name: string): Promise<Service | undefined>;
  /** A family name gives its latest ACTIVE revision; an ARN or family:revision gives that one. */
  taskDefinition(familyOrArn: string): Promise<TaskDefinition | undefined>;
  securityGroup(id: string): Promise<SecurityGroup | undefined>;
  subnet(id: string): Promise<Subnet | undefined>;
  vpc(id: string): Promise<Vpc | undefined>;
  /** The explicitly associated route table, or the VPC's main table when there is none. */
  routeTableFor(subnetId: string): Promise<RouteTable | undefined>;
  mountTargets(fileSystemId: string): Promise<MountTarget[] | undefined>;
  /** undefined when the file system does not exist. */
  accessPoints(fileSystemId: string): Promise<AccessPoint[] | undefined>;
  bucket(name: string): Promise<Bucket | undefined>;
  iamUser(name: string): Promise<IamUser | undefined>;
  /** By role name or role ARN. */
  iamRole(nameOrArn: string): Promise<IamRole | undefined>;
  /** Key names of a secret's JSON value, by name or ARN; values never enter the inventory. */
  secret(nameOrArn: string): Promise<SecretShape | undefined>;
  /** DescribeSecret by name or ARN (no value is read); undefined when the secret does not exist. */
  secretMetadata(nameOrArn: string): Promise<SecretMetadata | undefined>;
  /** DescribeParameters for one parameter name (names only, never values); undefined when it does not exist. */
  ssmParameter(name: string): Promise<SsmParameter | undefined>;
  logGroupExists(name: string): Promise<boolean>;
  /** Queue URLs whose names start with the prefix. */
  sqsQueues(prefix: string): Promise<string[]>;
  namespaces(): Promise<Namespace[]>;
  /** Cloud Map service by id or ARN. */
  cloudMapService(idOrArn: string): Promise<CloudMapService | undefined>;
  cloudMapServices(namespaceId: string): Promise<CloudMapService[]>;
  cloudMapInstances(serviceId: string): Promise<CloudMapInstance[]>;
  /** Events containing any of the terms in the last `windowMinutes`, searched server side; undefined when the group does not exist. */
  searchLogs(group: string, terms: string[], windowMinutes: number, limit: number): Promise<LogSearch | undefined>;
  /** Whether an object exists (HeadObject). */
  objectExists(bucket: string, key: string): Promise<boolean>;
  /**
   * The object at exactly `key` (ListObjectsV2 Prefix=key, MaxKeys=1: s3:ListBucket, no object read),
   * or undefined when there is none. Never memoized: each call reads again, so a caller can compare
   * the object before and after a write (the smoke test's upload).
   */
  objectInfo(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** Why the database cannot be read (not configured, left out by --no-db); undefined when it can. */
  databaseUnavailable(): string | undefined;
  /** Rows of the edgi stack table for a user id or e-mail (SELECT only). */
  workspaceRows(user: string): Promise<import('./db.js').WorkspaceRow[]>;
  /** Rows of the edgi uptime history for these user ids (SELECT only). */
  uptimeRows(users: string[]): Promise<import('./db.js').UptimeRow[]>;
  apiCalls(): ApiCallCounts;
  // --- effective permissions and network paths (appended) ---
  /** Every identity policy of a role or user with its document, and its permissions boundary; undefined when the principal does not exist. */
  principalPolicies(kind: 'role' | 'user', nameOrArn: string): Promise<PrincipalPolicies | undefined>;
  /** iam:SimulatePrincipalPolicy for the principal's own policies (throws InventoryError when denied or not implemented). */
  simulatePrincipalPolicy(principalArn: string, actions: string[], resources: string[]): Promise<SimulationResult[]>;
  /** The network ACL associated with the subnet (explicitly, or the VPC's default). */
  networkAclFor(subnetId: string): Promise<NetworkAcl | undefined>;
  vpcEndpoints(vpcId: string): Promise<VpcEndpoint[]>;
  natGateways(vpcId: string): Promise<NatGateway[]>;
  /** Security groups of one mount target; a target that is not `available` or in transition is `unreadable`, never an exception for the list. */
  mountTargetSecurityGroups(mountTarget: MountTarget): Promise<MountTargetSecurityGroups>;
  /** A managed prefix list with its entries; undefined when it does not exist. */
  managedPrefixList(id: string): Promise<ManagedPrefixList | undefined>;
}

export type InventoryErrorKind = 'access-denied' | 'throttled' | 'unreachable' | 'credentials' | 'invalid' | 'timeout' | 'other';

function inventoryErrorMessage(kind: InventoryErrorKind, action: string, resource: string, detail: string): string {
  switch (kind) {
    case 'access-denied':
      return `Access denied reading ${resource}: the caller lacks permission ${action}.`;
    case 'credentials':
      return `AWS rejected the credentials while reading ${resource} (${action}: ${detail}): fix the credentials (AWS_PROFILE, access key, session token); this is not a missing permission.`;
    case 'timeout':
      return `${action} timed out after ${detail} reading ${resource}.`;
    default:
      return `Could not read ${resource} (${action}): ${detail}`;
  }
}

/** A read that could not be done. `action` is the IAM action, e.g. "ec2:DescribeSecurityGroups". */
export class InventoryError extends Error {
  constructor(
    readonly kind: InventoryErrorKind,
    readonly action: string,
    readonly resource: string,
    detail: string,
    /** A sentence added to the message (what else the answer can mean). */
    hint?: string,
  ) {
    super(`${inventoryErrorMessage(kind, action, resource, detail)}${hint ? ` ${hint}` : ''}`);
    this.name = 'InventoryError';
  }

  /** What the finding names as expected: a permission only when one is missing. */
  get expected(): string | undefined {
    return this.kind === 'access-denied' ? `permission ${this.action}` : undefined;
  }
}

/** An S3 object as a listing shows it: enough to tell whether it changed. */
export interface ObjectInfo {
  key: string;
  etag?: string;
  /** ISO 8601. */
  lastModified?: string;
  size?: number;
}
