// The reference deployment: a healthy Variant-2 deployment as plain objects for the fixture
// inventory. Unit tests copy it with healthy() and break one thing, like the sandbox's faults do
// against moto; the catalog runs on it once to record its dependency graph (src/resolve/graph.ts).
import type { ConfigInput } from '../config/schema.js';
import type { FixtureData } from './fixture.js';
import type { IpPermission, Service, TaskDefinition } from './types.js';

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

export const BUCKET = 'acme-askedgi';
export const NAMESPACE = { id: 'ns-1', name: 'askedgi.local' };
export const CM = { insight: 'srv-insight', data: 'srv-data' };
export const ACCESS_KEY_ID = 'AKIAEXAMPLEEDGI00001';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/AskEdgiEcsTaskRole`;
export const tdArn = (family: string, revision: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;

interface TaskDefSpec {
  family: string;
  revision: number;
  cpu: string;
  memory: string;
  container: string;
  port?: number;
  env: Record<string, string>;
  secrets?: string[];
  volumes?: TaskDefinition['volumes'];
  mountPoints?: TaskDefinition['containers'][number]['mountPoints'];
  ephemeralStorageGiB?: number;
}

function taskDef(t: TaskDefSpec): TaskDefinition {
  return {
    arn: tdArn(t.family, t.revision),
    family: t.family,
    revision: t.revision,
    status: 'ACTIVE',
    cpu: t.cpu,
    memory: t.memory,
    taskRoleArn: ROLE_ARN,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/AskEdgiEcsExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    ephemeralStorageGiB: t.ephemeralStorageGiB,
    containers: [
      {
        name: t.container,
        portMappings: t.port ? [{ containerPort: t.port, protocol: 'tcp' }] : [],
        environment: Object.entries(t.env).map(([name, value]) => ({ name, value })),
        secrets: (t.secrets ?? []).map((name) => ({ name, valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/edgi-user` })),
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${t.family}`, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' } },
        mountPoints: t.mountPoints ?? [],
      },
    ],
    volumes: t.volumes ?? [],
  };
}

const AP = { logs: 'fsap-logs', documents: 'fsap-documents', store: 'fsap-store' };

export function taskDefinitions(): TaskDefinition[] {
  const data = (revision: number) =>
    taskDef({
      family: 'edgi-data-service',
      revision,
      cpu: '512',
      memory: '2048',
      container: 'edgi-data-service',
      port: 8000,
      ephemeralStorageGiB: 200,
      env: { AWS_REGION: REGION, AWS_SCTNAME: 'acme/db', BUCKET_NAME: BUCKET, CREDENTIAL_TYPE: 'container', DEPLOYMENT_TYPE: 'ecs', ENV: 'production' },
    });
  const edgiEnv = {
    EDGI_AI_FUNCTION_QUEUE: 'ai_functions_queue',
    EDGI_AWS_ACCESS_ID: ACCESS_KEY_ID,
    EDGI_AWS_REGION: REGION,
    EDGI_BUCKET_NAME: BUCKET,
    EDGI_CLIENT_PREFIX: 'acme',
    EDGI_CONSUMER_CREDENTIAL_TYPE: 'static',
    EDGI_ENABLE: 'true',
    EDGI_INSIGHT_SERVICE_HOST: `oe-edgi-insights-service.${NAMESPACE.name}`,
    EDGI_WORKSPACE_DISCOVERY: 'dynamic',
    EDGI_WORKSPACE_HOST: 'edgi-data-service',
    EDGI_WORKSPACE_NAMESPACE: NAMESPACE.name,
  };
  const ovaledge = (family: string) =>
    taskDef({ family, revision: 1, cpu: '2048', memory: '8192', container: family, port: family === 'ovaledge-ui' ? 8080 : undefined, env: edgiEnv, secrets: ['BRIDGE_AWS_USER_ACCESS_KEY', 'BRIDGE_AWS_USER_SECRET_KEY', 'EDGI_AWS_SECRET_KEY'] });
  const ui = ovaledge('ovaledge-ui');
  // A plaintext secret with a canary value: redaction must keep it out of every output.
  ui.containers[0]!.environment.push({ name: 'OPENAI_API_KEY_CANARY', value: 'canary-secret-value' });
  return [
    data(1),
    data(2),
    taskDef({
      family: 'oe_edgi_insights_service',
      revision: 1,
      cpu: '1024',
      memory: '2048',
      container: 'oe_edgi_insights_service',
      port: 8000,
      ephemeralStorageGiB: 200,
      env: {
        AI_FUNCTION_QUEUE_NAME: 'ai_functions_queue',
        AWS_REGION: REGION,
        AWS_SCTNAME: 'acme/db',
        BUCKET_NAME: BUCKET,
        CLUSTER_NAME: 'acme',
        CREDENTIAL_TYPE: 'container',
        DATA_SYNC_QUEUE_NAME: 'data_sync_queue',
        DEPLOYMENT_TYPE: 'ecs',
        DNS_NAME_SPACE_ID: NAMESPACE.id,
        DOCS_FOLDER: '/app/documents',
        EDGI_WORKSPACE_DISCOVERY: 'dynamic',
        EDGI_WORKSPACE_HOST: 'edgi-data-service',
        EDGI_WORKSPACE_NAME_SPACE: NAMESPACE.name,
        ENV: 'prod',
        LOG_PATH: '/app/logs',
        SECURITY_GROUPS: IDS.edgiSg,
        SQS_QUEUE_PREFIX: 'acme',
        STORE_FOLDER: '/app/store',
        SUBNETS: `${IDS.subnetA},${IDS.subnetB}`,
        TASK_DEFINITION: tdArn('edgi-data-service', 2),
      },
      volumes: (['logs', 'documents', 'store'] as const).map((v) => ({
        name: v,
        efs: { fileSystemId: IDS.fs, rootDirectory: '/', transitEncryption: 'ENABLED', accessPointId: AP[v], iam: 'ENABLED' },
      })),
      mountPoints: [
        { sourceVolume: 'logs', containerPath: '/app/logs' },
        { sourceVolume: 'documents', containerPath: '/app/documents' },
        { sourceVolume: 'store', containerPath: '/app/store' },
      ],
    }),
    ui,
    ovaledge('ovaledge-job'),
  ];
}

const service = (name: string, family: string, registries: Service['serviceRegistries'] = []): Service => ({
  arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/acme/${name}`,
  name,
  clusterArn: CLUSTER_ARN,
  status: 'ACTIVE',
  taskDefinition: tdArn(family, 1),
  desiredCount: 1,
  runningCount: 1,
  launchType: 'FARGATE',
  subnets: [IDS.subnetA, IDS.subnetB],
  securityGroups: [name === 'oe-edgi-insights-service' ? IDS.edgiSg : 'sg-ovaledge'],
  assignPublicIp: 'DISABLED',
  deployments: [{ id: `ecs-svc/${name}`, status: 'PRIMARY', taskDefinition: tdArn(family, 1), rolloutState: 'COMPLETED', desiredCount: 1, runningCount: 1 }],
  serviceRegistries: registries,
});

export function healthy(): FixtureData {
  return {
    identity: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/engineer`, userId: 'AIDAEXAMPLE' },
    clusters: [{ arn: CLUSTER_ARN, name: 'acme', status: 'ACTIVE' }],
    services: [
      service('oe-edgi-insights-service', 'oe_edgi_insights_service', [{ registryArn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:service/${CM.insight}` }]),
      service('ovaledge-ui', 'ovaledge-ui'),
      service('ovaledge-job', 'ovaledge-job'),
    ],
    taskDefinitions: taskDefinitions(),
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
    accessPoints: {
      [IDS.fs]: (['logs', 'documents', 'store'] as const).map((v) => ({
        id: AP[v],
        arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/${AP[v]}`,
        fileSystemId: IDS.fs,
        rootPath: `/oe_edgi_insights_dev_${v}`,
        posixUser: { uid: 1000, gid: 1000 },
        creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: '0755' },
        lifeCycleState: 'available',
      })),
    },
    buckets: [{ name: BUCKET, cors: [{ allowedHeaders: ['*'], allowedMethods: ['PUT'], allowedOrigins: ['https://acme.example.com'], exposeHeaders: [] }] }],
    iamUsers: [
      {
        name: 'edgi_user',
        arn: `arn:aws:iam::${ACCOUNT}:user/edgi_user`,
        attachedPolicies: [{ name: 'AskEdgi_policy_Saas', arn: `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas` }],
        accessKeys: [{ id: ACCESS_KEY_ID, status: 'Active' }],
      },
    ],
    iamRoles: [
      {
        name: 'AskEdgiEcsTaskRole',
        arn: ROLE_ARN,
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        attachedPolicies: [{ name: 'AskEdgi_ECS_Policy', arn: `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_ECS_Policy` }],
        inlinePolicies: [],
      },
    ],
    secrets: [
      { name: 'acme/db', arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-AbCdEf`, keys: ['host', 'port', 'username', 'password', 'dbname'] },
      { name: 'acme/edgi-user', arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/edgi-user`, keys: ['EDGI_AWS_SECRET_KEY'] },
    ],
    logGroups: ['/ecs/edgi-data-service', '/ecs/oe_edgi_insights_service', '/ecs/ovaledge-ui', '/ecs/ovaledge-job'],
    sqsQueueUrls: [`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-ai_functions_queue`, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-data_sync_queue`],
    namespaces: [{ id: NAMESPACE.id, arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:namespace/${NAMESPACE.id}`, name: NAMESPACE.name, type: 'DNS_PRIVATE', hostedZoneId: 'Z0ASKEDGI' }],
    cloudMapServices: [
      { id: CM.insight, arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:service/${CM.insight}`, name: 'oe-edgi-insights-service', namespaceId: NAMESPACE.id },
      { id: CM.data, arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:service/${CM.data}`, name: 'edgi-data-service', namespaceId: NAMESPACE.id },
    ],
    cloudMapInstances: {
      [CM.insight]: [{ id: 'insight-1', attributes: { AWS_INSTANCE_IPV4: '10.20.1.10', AWS_INSTANCE_PORT: '8000' } }],
      [CM.data]: [{ id: 'edgi-data-service-admin', attributes: { AWS_INSTANCE_IPV4: '10.20.1.50', AWS_INSTANCE_PORT: '8000', ECS_TASK_DEFINITION_FAMILY: 'edgi-data-service' } }],
    },
    logEvents: { '/ecs/oe_edgi_insights_service': ['INFO started', 'INFO workspace ready for admin'], '/ecs/edgi-data-service': ['INFO listening on 8000'] },
    objects: [],
    database: {
      stack: [
        {
          pk: 1,
          user: 'admin',
          email: 'admin@askedgi.local',
          projectId: 'prj-0123456789ab',
          serviceName: 'edgi-data-service-admin',
          row: { id: 1, user_id: 'admin', user_email: 'admin@askedgi.local', project_id: 'prj-0123456789ab', service_name: 'edgi-data-service-admin', status: 'RUNNING' },
        },
      ],
      uptime: [{ pk: 1, user: 'admin', stackId: 1, row: { id: 1, stack_id: 1, user_id: 'admin' } }],
    },
  };
}

export const baseConfig = (): ConfigInput => ({
  region: REGION,
  database: { url: 'env:ASKEDGI_DB_URL' },
  workspace: { user: 'admin' },
  accountId: ACCOUNT,
  cluster: 'acme',
  securityGroups: { elasticsearch: IDS.esSg, rds: IDS.rdsSg, efs: IDS.efsSg },
  efs: { fileSystemId: IDS.fs },
});

