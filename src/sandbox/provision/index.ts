// Provisions a complete, correct AskEdgi Variant-2 deployment (runbook steps 1–9) into a moto
// emulator, step by step (one module each), and writes the config and the state file.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { destroyClients, makeClients } from '../../aws/clients.js';
import { ensureEmulatorCredentials } from '../emulator.js';
import { SANDBOX_NAMES, SANDBOX_STATE_FILE, CLUSTER, NAMESPACE, DB_SECRET_NAME, EDGI_USER_SECRET_NAME, type SandboxState, type ProvisionOptions } from './names.js';
import { must, registerTaskDefinition, createEcsService, type TaskDefinitionContext } from './support.js';
import { provisionNetwork, provisionSecurityGroups } from './network.js';
import { provisionEfs, provisionBucket } from './storage.js';
import { provisionQueues, provisionIam } from './iam.js';
import { provisionCloudMap, registerCloudMapInstances } from './cloud-map.js';
import { dataTaskDefinition, insightTaskDefinition, ovaledgeTaskDefinition } from './task-definitions.js';
import { sandboxConfig, writeSandboxConfig } from './config.js';
import { provisionEffective } from '../effective.js';

/** Provisions the whole Variant-2 deployment into a freshly reset emulator and writes the config and state files. */
export async function provisionSandbox(opts: ProvisionOptions): Promise<SandboxState> {
  ensureEmulatorCredentials();
  const clients = makeClients({ region: opts.region, endpoint: opts.endpoint, ...(opts.credentials ? { credentials: opts.credentials } : {}) });
  try {
    const { region } = opts;
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    const accountId = must(identity.Account, 'account id');

    const network = await provisionNetwork(clients, region);
    const securityGroups = await provisionSecurityGroups(clients, network.vpc.id);
    const efs = await provisionEfs(clients, network.subnets.insight, securityGroups.efs);
    const bucket = await provisionBucket(clients, region);
    const queues = await provisionQueues(clients);

    const dbSecret = await clients.secrets.send(
      new CreateSecretCommand({
        Name: DB_SECRET_NAME,
        Description: 'AskEdgi database credentials.',
        SecretString: JSON.stringify({
          host: '127.0.0.1',
          port: 3306,
          username: 'edgi',
          password: randomBytes(18).toString('base64url'),
          dbname: 'ovaledgedb',
        }),
      }),
    );
    const dbSecretArn = must(dbSecret.ARN, 'DB secret ARN');

    const { iam, secretAccessKey } = await provisionIam(clients, { region, accountId, bucket, dbSecretArn });
    const edgiUserSecret = await clients.secrets.send(
      new CreateSecretCommand({
        Name: EDGI_USER_SECRET_NAME,
        Description: 'Keys the OvalEdge UI and Job read through task definition secrets.',
        SecretString: JSON.stringify({
          EDGI_AWS_SECRET_KEY: secretAccessKey,
          BRIDGE_AWS_USER_ACCESS_KEY: iam.accessKeyId,
          BRIDGE_AWS_USER_SECRET_KEY: secretAccessKey,
        }),
      }),
    );
    const edgiUserSecretArn = must(edgiUserSecret.ARN, 'edgi user secret ARN');
    // The execution role resolves `secrets.valueFrom` at task start, so it needs to read that secret.
    await clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: iam.executionRoleName,
        PolicyName: 'AskEdgiExecutionSecrets',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: edgiUserSecretArn }],
        }),
      }),
    );

    // Effective permissions and the way out (src/sandbox/effective.ts).
    await provisionEffective(clients, { region, accountId, fileSystemId: efs.fileSystemId, taskRolePolicyArn: iam.taskRolePolicyArn, privateRouteTableId: network.routeTables.privateId, publicSubnetId: network.subnets.public });

    const cluster = await clients.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const clusterArn = must(cluster.cluster?.clusterArn, 'cluster ARN');
    for (const logGroupName of Object.values(SANDBOX_NAMES.logGroups)) {
      await clients.logs.send(new CreateLogGroupCommand({ logGroupName }));
    }

    const availabilityZone = network.subnets.availabilityZones[0];
    const cloudMap = await provisionCloudMap(clients, network.vpc.id);
    const instances = await registerCloudMapInstances(clients, {
      region,
      availabilityZone,
      insightServiceId: cloudMap.insight.id,
      dataServiceId: cloudMap.data.id,
    });

    const tdContext: TaskDefinitionContext = {
      region,
      bucket,
      taskRoleArn: iam.taskRoleArn,
      executionRoleArn: iam.executionRoleArn,
      dbSecretName: DB_SECRET_NAME,
    };
    // Registered twice: a realistic history where TASK_DEFINITION must pin the latest revision (2).
    const dataArns = [
      await registerTaskDefinition(clients, dataTaskDefinition(tdContext)),
      await registerTaskDefinition(clients, dataTaskDefinition(tdContext)),
    ];
    const latestData = must(dataArns[dataArns.length - 1], 'Data task definition ARN');
    const insightTd = await registerTaskDefinition(
      clients,
      insightTaskDefinition({
        ...tdContext,
        fileSystemId: efs.fileSystemId,
        accessPoints: efs.accessPoints,
        namespaceId: cloudMap.namespaceId,
        edgiSg: securityGroups.edgi,
        subnets: network.subnets.insight,
        dataTaskDefinitionArn: latestData,
      }),
    );
    const ovaledgeContext = { ...tdContext, accessKeyId: iam.accessKeyId, edgiUserSecretArn };
    const uiTd = await registerTaskDefinition(clients, ovaledgeTaskDefinition('ui', ovaledgeContext));
    const jobTd = await registerTaskDefinition(clients, ovaledgeTaskDefinition('job', ovaledgeContext));

    const insightService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.insight,
      taskDefinition: insightTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.edgi,
      registryArn: cloudMap.insight.arn,
    });
    const uiService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.ui,
      taskDefinition: uiTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.ovaledge,
    });
    const jobService = await createEcsService(clients, {
      name: SANDBOX_NAMES.services.job,
      taskDefinition: jobTd,
      subnets: network.subnets.insight,
      securityGroup: securityGroups.ovaledge,
    });

    const state: SandboxState = {
      region,
      endpoint: opts.endpoint,
      accountId,
      cluster: { name: CLUSTER, arn: clusterArn },
      ...network,
      securityGroups,
      efs,
      bucket,
      iam,
      secrets: { db: { name: DB_SECRET_NAME, arn: dbSecretArn }, edgiUser: { name: EDGI_USER_SECRET_NAME, arn: edgiUserSecretArn } },
      queues,
      logGroups: { ...SANDBOX_NAMES.logGroups },
      cloudMap: {
        namespaceId: cloudMap.namespaceId,
        namespaceArn: cloudMap.namespaceArn,
        namespaceName: NAMESPACE,
        insightServiceId: cloudMap.insight.id,
        insightServiceArn: cloudMap.insight.arn,
        dataServiceId: cloudMap.data.id,
        dataServiceArn: cloudMap.data.arn,
        ...instances,
      },
      taskDefinitions: { data: dataArns, insight: insightTd, ui: uiTd, job: jobTd },
      services: { insight: insightService, ui: uiService, job: jobService },
    };

    await writeSandboxConfig(opts.outDir, sandboxConfig(state));
    await writeFile(join(opts.outDir, SANDBOX_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    return state;
  } finally {
    destroyClients(clients);
  }
}
