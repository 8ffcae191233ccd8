// Faults of runbook steps 6 and 7 (the shape of the Data and Insight task definitions, and the
// database secret). A new Data revision is re-pinned in TASK_DEFINITION of a new Insight revision
// and the Insight service is redeployed, as a careful engineer would, so only the shape check flips.
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { DeleteSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SANDBOX_NAMES } from '../provision.js';
import { redeployInsight, registerRevision, registerTaskDefinition, withEnv, type Fault, type FaultContext } from './support.js';

/** A new Data revision: pinned in TASK_DEFINITION of a new Insight revision, and the Insight service redeployed. */
async function propagateData(ctx: FaultContext, dataArn: string): Promise<void> {
  ctx.state.taskDefinitions.data.push(dataArn);
  const insightArn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => withEnv(c, 'TASK_DEFINITION', dataArn));
  await redeployInsight(ctx, insightArn);
}

export const DATA_FAULTS: Fault[] = [
  {
    name: 'data-task-size-invalid',
    step: 6,
    description: 'The Data task definition is 1 vCPU / 1 GB instead of 0.5 vCPU / 2 GB, and 1 vCPU with 1 GB is no valid Fargate size.',
    expect: { 'data-task-size': 'fail' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.data, (input) => ({ ...input, cpu: '1024', memory: '1024' }));
      await propagateData(ctx, arn);
    },
  },
  {
    name: 'insight-task-memory-4gb',
    step: 7,
    description: 'The Insight task definition has 4 GB of memory instead of the 2 GB of the runbook.',
    expect: { 'insight-task-size': 'fail' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => ({ ...input, memory: '4096' }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'data-container-renamed',
    step: 6,
    description: 'The Data container is named edgi-data instead of edgi-data-service.',
    expect: { 'data-task-container': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.data, (c) => ({ ...c, name: 'edgi-data' }));
      await propagateData(ctx, arn);
    },
  },
  {
    name: 'insight-port-9000',
    step: 7,
    description: 'The Insight container maps port 9000 instead of 8000.',
    expect: { 'insight-task-container': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => ({
        ...c,
        portMappings: [{ containerPort: 9000, hostPort: 9000, protocol: 'tcp' }],
      }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'data-credential-type-static',
    step: 6,
    description: 'The Data task definition sets CREDENTIAL_TYPE=static instead of container.',
    expect: { 'data-task-env': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.data, (c) => withEnv(c, 'CREDENTIAL_TYPE', 'static'));
      await propagateData(ctx, arn);
    },
  },
  {
    name: 'insight-no-data-sync-queue',
    step: 7,
    description: 'The Insight task definition lacks DATA_SYNC_QUEUE_NAME (data_sync_queue).',
    // Without the variable the Insight service cannot find its data-sync queue either.
    expect: { 'insight-task-env': 'fail', 'insight-sqs-queues': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => ({
        ...c,
        environment: (c.environment ?? []).filter((e) => e.name !== 'DATA_SYNC_QUEUE_NAME'),
      }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'data-log-group-deleted',
    step: 6,
    description: 'The CloudWatch log group of the Data container (/ecs/edgi-data-service) was deleted.',
    // data-log-errors depends on data-task-logging, so the root cause is reported once.
    expect: { 'data-task-logging': 'fail' },
    async apply(ctx) {
      await ctx.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: ctx.state.logGroups.data }));
    },
  },
  {
    name: 'insight-logging-removed',
    step: 7,
    description: 'The Insight container has no log configuration: CloudWatch Logs are not enabled.',
    // insight-log-errors depends on insight-task-logging, so the root cause is reported once.
    expect: { 'insight-task-logging': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => ({ ...c, logConfiguration: undefined }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'data-ephemeral-storage-default',
    step: 6,
    description: 'The Data task definition allocates no ephemeral storage (the 20 GiB default) instead of up to 200 GB.',
    expect: { 'data-task-storage': 'fail' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.data, (input) => ({ ...input, ephemeralStorage: undefined }));
      await propagateData(ctx, arn);
    },
  },
  {
    name: 'insight-ephemeral-storage-250',
    step: 7,
    description: 'The Insight task definition asks for 250 GiB of ephemeral storage, more than the 200 GB the runbook allocates.',
    expect: { 'insight-task-storage': 'fail' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => ({ ...input, ephemeralStorage: { sizeInGiB: 250 } }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'db-secret-deleted',
    step: 6,
    description: 'The database secret named by AWS_SCTNAME was deleted without recovery.',
    expect: { 'data-db-secret': 'fail', 'insight-db-secret': 'fail', 'task-role-effective-permissions': 'warn' },
    async apply(ctx) {
      await ctx.clients.secrets.send(new DeleteSecretCommand({ SecretId: ctx.state.secrets.db.arn, ForceDeleteWithoutRecovery: true }));
    },
  },
  {
    name: 'db-secret-scheduled-for-deletion',
    step: 6,
    description: 'The database secret named by AWS_SCTNAME was deleted with a 7-day recovery window: it still exists (DescribeSecret shows DeletedDate) but GetSecretValue refuses it.',
    expect: { 'data-db-secret': 'fail', 'insight-db-secret': 'fail' },
    async apply(ctx) {
      await ctx.clients.secrets.send(new DeleteSecretCommand({ SecretId: ctx.state.secrets.db.arn, RecoveryWindowInDays: 7 }));
    },
  },
  {
    name: 'db-secret-no-password',
    step: 6,
    description: 'The database secret named by AWS_SCTNAME holds host, port and username but no password.',
    expect: { 'data-db-secret': 'fail' },
    async apply(ctx) {
      await ctx.clients.secrets.send(
        new PutSecretValueCommand({
          SecretId: ctx.state.secrets.db.arn,
          SecretString: JSON.stringify({ host: '127.0.0.1', port: 3306, username: 'edgi', dbname: 'ovaledgedb' }),
        }),
      );
    },
  },
  {
    name: 'data-revision-ec2-bridge',
    step: 6,
    description: 'A new Data revision was registered for EC2 only with bridge networking and pinned in TASK_DEFINITION: the Insight service launches Data tasks on Fargate with SUBNETS and SECURITY_GROUPS, which ECS rejects for it.',
    expect: { 'data-revision-launchable': 'fail' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.data, (input) => ({ ...input, requiresCompatibilities: ['EC2'], networkMode: 'bridge' }));
      await propagateData(ctx, arn);
    },
  },
  {
    name: 'data-family-deregistered',
    step: 6,
    description: 'Every revision of the Data task definition family was deregistered, so it has no ACTIVE revision.',
    expect: {
      'data-task-definition': 'fail',
      // Its dependents are skipped (withDependents). region-agreement reads the Data family itself
      // and reports it missing (the live inventory treats moto's INACTIVE answer to a bare family as
      // AWS would: no ACTIVE revision).
      'region-agreement': 'error',
    },
    async apply(ctx) {
      for (const arn of ctx.state.taskDefinitions.data) {
        await ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      }
    },
  },
  {
    name: 'insight-family-deregistered',
    step: 7,
    description: 'Every revision of the Insight task definition family was deregistered; the running service keeps its INACTIVE revision.',
    expect: {
      'insight-task-definition': 'fail',
      // region-agreement reads all four families and reports the missing one as error.
      'region-agreement': 'error',
    },
    async apply(ctx) {
      const out = await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: SANDBOX_NAMES.families.insight }));
      const latest = out.taskDefinition?.revision;
      if (!latest) throw new Error(`Task definition family ${SANDBOX_NAMES.families.insight} not found in the sandbox.`);
      for (let revision = 1; revision <= latest; revision += 1) {
        await ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${SANDBOX_NAMES.families.insight}:${revision}` }));
      }
    },
  },
];
