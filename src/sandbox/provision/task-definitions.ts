// Runbook steps 6, 8 and 9: the Data, Insight, UI and Job task definitions.
import { type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { SANDBOX_NAMES, CLUSTER, QUEUE_PREFIX, NAMESPACE } from './names.js';
import { env, logConfiguration, type TaskDefinitionContext } from './support.js';

export function dataTaskDefinition(c: TaskDefinitionContext): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families.data;
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '2048',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    ephemeralStorage: { sizeInGiB: 200 },
    containerDefinitions: [
      {
        name,
        image: 'ovaledge/edgi-data-service:latest',
        essential: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: env({
          AWS_REGION: c.region,
          AWS_SCTNAME: c.dbSecretName,
          BUCKET_NAME: c.bucket,
          CREDENTIAL_TYPE: 'container',
          DEPLOYMENT_TYPE: 'ecs',
          // The runbook says ENV=production here (step 6) but ENV=prod on Insight (step 7); the sandbox
          // uses prod on both and says so in expect.data.env (sandboxConfig). Fault env-runbook-literal restores production.
          ENV: 'prod',
        }),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups.data, c.region),
      },
    ],
  };
}

export function insightTaskDefinition(
  c: TaskDefinitionContext & {
    fileSystemId: string;
    accessPoints: { logs: string; documents: string; store: string };
    namespaceId: string;
    edgiSg: string;
    subnets: [string, string];
    dataTaskDefinitionArn: string;
  },
): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families.insight;
  const paths = { logs: '/app/logs', documents: '/app/documents', store: '/app/store' } as const;
  const kinds = ['logs', 'documents', 'store'] as const;
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '1024',
    memory: '2048',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    ephemeralStorage: { sizeInGiB: 200 },
    volumes: kinds.map((kind) => ({
      name: `edgi-${kind}`,
      efsVolumeConfiguration: {
        fileSystemId: c.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: c.accessPoints[kind], iam: 'ENABLED' },
      },
    })),
    containerDefinitions: [
      {
        name,
        image: 'ovaledge/oe_edgi_insights_service:latest',
        essential: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: env({
          AI_FUNCTION_QUEUE_NAME: 'ai_functions_queue',
          AWS_REGION: c.region,
          AWS_SCTNAME: c.dbSecretName,
          BUCKET_NAME: c.bucket,
          CLUSTER_NAME: CLUSTER,
          CREDENTIAL_TYPE: 'container',
          DATA_SYNC_QUEUE_NAME: 'data_sync_queue',
          DEPLOYMENT_TYPE: 'ecs',
          DNS_NAME_SPACE_ID: c.namespaceId,
          DOCS_FOLDER: paths.documents,
          EDGI_WORKSPACE_DISCOVERY: 'dynamic',
          EDGI_WORKSPACE_HOST: SANDBOX_NAMES.families.data,
          EDGI_WORKSPACE_NAME_SPACE: NAMESPACE,
          ENV: 'prod',
          LOG_PATH: paths.logs,
          SECURITY_GROUPS: c.edgiSg,
          SQS_QUEUE_PREFIX: QUEUE_PREFIX,
          STORE_FOLDER: paths.store,
          SUBNETS: c.subnets.join(','),
          TASK_DEFINITION: c.dataTaskDefinitionArn,
        }),
        mountPoints: kinds.map((kind) => ({ sourceVolume: `edgi-${kind}`, containerPath: paths[kind], readOnly: false })),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups.insight, c.region),
      },
    ],
  };
}

export function ovaledgeTaskDefinition(
  kind: 'ui' | 'job',
  c: TaskDefinitionContext & { accessKeyId: string; edgiUserSecretArn: string },
): RegisterTaskDefinitionCommandInput {
  const name = SANDBOX_NAMES.families[kind];
  // Secret keys come from Secrets Manager (JSON keys of one secret), never plaintext env.
  const secretRef = (key: string) => ({ name: key, valueFrom: `${c.edgiUserSecretArn}:${key}::` });
  return {
    family: name,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '2048',
    memory: '8192',
    taskRoleArn: c.taskRoleArn,
    executionRoleArn: c.executionRoleArn,
    containerDefinitions: [
      {
        name,
        image: `ovaledge/${name}:latest`,
        essential: true,
        portMappings: kind === 'ui' ? [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] : [],
        environment: env({
          EDGI_AI_FUNCTION_QUEUE: 'ai_functions_queue',
          EDGI_AWS_ACCESS_ID: c.accessKeyId,
          EDGI_AWS_REGION: c.region,
          EDGI_BUCKET_NAME: c.bucket,
          EDGI_CLIENT_PREFIX: QUEUE_PREFIX,
          EDGI_CONSUMER_CREDENTIAL_TYPE: 'static',
          EDGI_ENABLE: 'true',
          EDGI_INSIGHT_SERVICE_HOST: `${SANDBOX_NAMES.cloudMapServices.insight}.${NAMESPACE}`,
          EDGI_WORKSPACE_DISCOVERY: 'dynamic',
          EDGI_WORKSPACE_HOST: SANDBOX_NAMES.families.data,
          EDGI_WORKSPACE_NAMESPACE: NAMESPACE,
        }),
        secrets: ['BRIDGE_AWS_USER_ACCESS_KEY', 'BRIDGE_AWS_USER_SECRET_KEY', 'EDGI_AWS_SECRET_KEY'].map(secretRef),
        logConfiguration: logConfiguration(SANDBOX_NAMES.logGroups[kind], c.region),
      },
    ],
  };
}
