// Names, ids and the state file of the sandbox: what every provisioning step and fault shares.
import type { AwsCredentials } from '../../aws/client-config.js';


export const SANDBOX_CONFIG_FILE = 'askedgi-doctor.yaml';
export const SANDBOX_STATE_FILE = 'sandbox-state.json';

export const CLUSTER = 'askedgi-sandbox';
export const ENV = 'dev';
export const VPC_CIDR = '10.20.0.0/16';
export const QUEUE_PREFIX = 'askedgi-sandbox';
export const NAMESPACE = 'askedgi.local';
export const DB_SECRET_NAME = 'askedgi/sandbox/db';
export const EDGI_USER_SECRET_NAME = 'askedgi/sandbox/edgi-user';
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
export const EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

export const SANDBOX_NAMES = {
  cluster: CLUSTER,
  env: ENV,
  queuePrefix: QUEUE_PREFIX,
  namespace: NAMESPACE,
  dbSecret: DB_SECRET_NAME,
  edgiUserSecret: EDGI_USER_SECRET_NAME,
  families: { data: 'edgi-data-service', insight: 'oe_edgi_insights_service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
  services: { insight: 'oe-edgi-insights-service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
  cloudMapServices: { insight: 'oe-edgi-insights-service', data: 'edgi-data-service' },
  iam: {
    user: 'edgi_user',
    userPolicy: 'AskEdgi_policy_Saas',
    taskRole: 'AskEdgiEcsTaskRole',
    taskRolePolicy: 'AskEdgi_ECS_Policy',
    executionRole: 'AskEdgiEcsExecutionRole',
  },
  logGroups: {
    data: '/ecs/edgi-data-service',
    insight: '/ecs/oe_edgi_insights_service',
    ui: '/ecs/ovaledge-ui',
    job: '/ecs/ovaledge-job',
  },
} as const;

/** Every id and ARN the sandbox created; written to sandbox-state.json and read by the faults. */
export interface SandboxState {
  region: string;
  endpoint: string;
  accountId: string;
  cluster: { name: string; arn: string };
  vpc: { id: string; cidr: string; internetGatewayId: string; mainRouteTableId: string };
  subnets: { insight: [string, string]; public: string; availabilityZones: [string, string] };
  routeTables: {
    privateId: string;
    publicId: string;
    /** Explicit association ids of the two Insight subnets with the private table, in subnet order. */
    insightAssociationIds: [string, string];
    publicAssociationId: string;
  };
  securityGroups: { edgi: string; elasticsearch: string; rds: string; efs: string; ovaledge: string };
  efs: {
    fileSystemId: string;
    mountTargetIds: string[];
    accessPoints: { logs: string; documents: string; store: string };
  };
  bucket: string;
  iam: {
    userName: string;
    userArn: string;
    accessKeyId: string;
    userPolicyArn: string;
    taskRoleName: string;
    taskRoleArn: string;
    taskRolePolicyArn: string;
    executionRoleName: string;
    executionRoleArn: string;
  };
  secrets: { db: { name: string; arn: string }; edgiUser: { name: string; arn: string } };
  queues: { prefix: string; aiFunctions: string; dataSync: string };
  logGroups: { data: string; insight: string; ui: string; job: string };
  cloudMap: {
    namespaceId: string;
    namespaceArn: string;
    namespaceName: string;
    insightServiceId: string;
    insightServiceArn: string;
    dataServiceId: string;
    dataServiceArn: string;
    insightInstanceId: string;
    dataInstanceId: string;
  };
  taskDefinitions: {
    /** Both registered revisions of the Data family, oldest first; the last is the latest. */
    data: string[];
    insight: string;
    ui: string;
    job: string;
  };
  services: { insight: string; ui: string; job: string };
}

export interface ProvisionOptions {
  endpoint: string;
  region: string;
  outDir: string;
  /**
   * Credentials to provision with; absent: the default chain (moto's default account). A role
   * assumed in another account id provisions into that account (moto serves several), which is how
   * the fleet tests build one sandbox per customer account.
   */
  credentials?: AwsCredentials;
}

/**
 * The customer's tenant id on every task definition: not a runbook variable, but the kind of
 * deployment-specific rule a plugin check verifies (examples/checks/tenant-id.ts, loaded by the
 * sandbox config).
 */
export const SANDBOX_TENANT_ID = { OE_TENANT_ID: 'askedgi-sandbox' } as const;
