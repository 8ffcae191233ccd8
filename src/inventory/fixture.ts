import { redactEnvironment } from './redact.js';
import {
  InventoryError,
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
  /** IAM actions that answer AccessDenied, to test that checks report `error` naming them. */
  denied?: string[];
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
    return this.read('ec2:DescribeSecurityGroups', `security group ${id}`, () => this.data.securityGroups?.find((g) => g.id === id));
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
      return { id: table.id, vpcId: table.vpcId, main: table.main, association: explicit ? 'explicit' : 'main', routes: table.routes };
    });
  }

  mountTargets(fileSystemId: string): Promise<MountTarget[] | undefined> {
    return this.read('elasticfilesystem:DescribeMountTargets', `mount targets of EFS ${fileSystemId}`, () => this.data.mountTargets?.[fileSystemId]);
  }
}
