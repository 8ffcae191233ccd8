// A healthy Variant-2 deployment as plain objects, for unit tests on the fixture inventory.
// Tests copy it with healthy() and break one thing, like the sandbox's faults do against moto.
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/engine/check.js';
import { runChecks } from '../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import type { IpPermission, TaskDefinition } from '../../src/inventory/types.js';
import type { CheckResult } from '../../src/model.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/acme`;
export const IDS = {
  vpc: 'vpc-1',
  subnetA: 'subnet-a',
  subnetB: 'subnet-b',
  publicSubnet: 'subnet-pub',
  edgiSg: 'sg-edgi',
  esSg: 'sg-es',
  rdsSg: 'sg-rds',
  efsSg: 'sg-efs',
  fs: 'fs-1',
  igw: 'igw-1',
};

export const tcp = (port: number, from: { groups?: string[]; cidrs?: string[] }): IpPermission => ({
  protocol: 'tcp',
  fromPort: port,
  toPort: port,
  cidrs: from.cidrs ?? [],
  ipv6Cidrs: [],
  groupIds: from.groups ?? [],
  prefixListIds: [],
});

export const allTraffic = (from: { groups?: string[]; cidrs?: string[] }): IpPermission => ({
  protocol: '-1',
  cidrs: from.cidrs ?? [],
  ipv6Cidrs: [],
  groupIds: from.groups ?? [],
  prefixListIds: [],
});

function taskDef(family: string, revision: number, env: Record<string, string>): TaskDefinition {
  return {
    arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`,
    family,
    revision,
    status: 'ACTIVE',
    cpu: '1024',
    memory: '2048',
    requiresCompatibilities: ['FARGATE'],
    containers: [
      {
        name: family,
        portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
        environment: Object.entries(env).map(([name, value]) => ({ name, value })),
        secrets: [],
        mountPoints: [],
      },
    ],
    volumes: [],
  };
}

export function healthy(): FixtureData {
  return {
    identity: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/engineer`, userId: 'AIDAEXAMPLE' },
    clusters: [{ arn: CLUSTER_ARN, name: 'acme', status: 'ACTIVE' }],
    services: [
      {
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/acme/oe-edgi-insights-service`,
        name: 'oe-edgi-insights-service',
        clusterArn: CLUSTER_ARN,
        status: 'ACTIVE',
        taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/oe_edgi_insights_service:1`,
        desiredCount: 1,
        runningCount: 1,
        subnets: [IDS.subnetA, IDS.subnetB],
        securityGroups: [IDS.edgiSg],
        assignPublicIp: 'DISABLED',
        deployments: [],
        serviceRegistries: [],
      },
    ],
    taskDefinitions: [
      taskDef('edgi-data-service', 2, { AWS_REGION: REGION }),
      taskDef('oe_edgi_insights_service', 1, { AWS_REGION: REGION }),
      taskDef('ovaledge-ui', 1, { EDGI_AWS_REGION: REGION, EDGI_AWS_SECRET_KEY: 'canary-secret-value' }),
      taskDef('ovaledge-job', 1, { EDGI_AWS_REGION: REGION }),
    ],
    vpcs: [{ id: IDS.vpc, cidrs: ['10.20.0.0/16'] }],
    subnets: [
      { id: IDS.subnetA, vpcId: IDS.vpc, cidr: '10.20.1.0/24', availabilityZone: 'us-east-1a', mapPublicIpOnLaunch: false },
      { id: IDS.subnetB, vpcId: IDS.vpc, cidr: '10.20.2.0/24', availabilityZone: 'us-east-1b', mapPublicIpOnLaunch: false },
      { id: IDS.publicSubnet, vpcId: IDS.vpc, cidr: '10.20.100.0/24', availabilityZone: 'us-east-1a', mapPublicIpOnLaunch: true },
    ],
    routeTables: [
      { id: 'rtb-main', vpcId: IDS.vpc, main: true, subnetIds: [], routes: [{ destinationCidr: '10.20.0.0/16', gatewayId: 'local' }] },
      { id: 'rtb-private', vpcId: IDS.vpc, main: false, subnetIds: [IDS.subnetA, IDS.subnetB], routes: [{ destinationCidr: '10.20.0.0/16', gatewayId: 'local' }] },
      {
        id: 'rtb-public',
        vpcId: IDS.vpc,
        main: false,
        subnetIds: [IDS.publicSubnet],
        routes: [
          { destinationCidr: '10.20.0.0/16', gatewayId: 'local' },
          { destinationCidr: '0.0.0.0/0', gatewayId: IDS.igw },
        ],
      },
    ],
    securityGroups: [
      {
        id: IDS.edgiSg,
        name: 'edgi',
        vpcId: IDS.vpc,
        ingress: [tcp(8000, { cidrs: ['10.20.0.0/16'] }), tcp(9200, { groups: [IDS.esSg] }), tcp(3306, { groups: [IDS.rdsSg] }), tcp(2049, { groups: [IDS.efsSg] })],
        egress: [allTraffic({ cidrs: ['0.0.0.0/0'] })],
      },
      { id: IDS.esSg, name: 'es', vpcId: IDS.vpc, ingress: [tcp(9200, { groups: [IDS.edgiSg] })], egress: [] },
      { id: IDS.rdsSg, name: 'rds', vpcId: IDS.vpc, ingress: [tcp(3306, { groups: [IDS.edgiSg] })], egress: [] },
      { id: IDS.efsSg, name: 'efs', vpcId: IDS.vpc, ingress: [tcp(2049, { groups: [IDS.edgiSg] })], egress: [] },
    ],
    mountTargets: {
      [IDS.fs]: [
        { id: 'fsmt-a', fileSystemId: IDS.fs, subnetId: IDS.subnetA, availabilityZone: 'us-east-1a', lifeCycleState: 'available', securityGroups: [IDS.efsSg] },
        { id: 'fsmt-b', fileSystemId: IDS.fs, subnetId: IDS.subnetB, availabilityZone: 'us-east-1b', lifeCycleState: 'available', securityGroups: [IDS.efsSg] },
      ],
    },
  };
}

export const baseConfig = (): ConfigInput => ({
  region: REGION,
  accountId: ACCOUNT,
  cluster: 'acme',
  securityGroups: { elasticsearch: IDS.esSg, rds: IDS.rdsSg, efs: IDS.efsSg },
  efs: { fileSystemId: IDS.fs },
});

export function config(overrides: Partial<ConfigInput> = {}): Config {
  return parseConfig({ ...baseConfig(), ...overrides }, 'test.yaml', { checkIds: CHECKS.map((c) => c.id), env: {} });
}

/** Run one check (with the checks it needs) on a fixture; returns that check's result. */
export async function runOne(check: Check, data: FixtureData, cfg: Config = config()): Promise<CheckResult> {
  const needed = CHECKS.filter((c) => check.needs?.includes(c.id));
  const results = await runChecks([...needed, check], new FixtureInventory(data), cfg);
  return results.find((r) => r.id === check.id)!;
}

export function sg(data: FixtureData, id: string) {
  const g = data.securityGroups!.find((s) => s.id === id);
  if (!g) throw new Error(`no ${id} in fixture`);
  return g;
}
