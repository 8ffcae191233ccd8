// Faults of runbook step 7 (Insight task definition and its cross-references).
import {
  CreateClusterCommand,
  type ContainerDefinition,
  type RegisterTaskDefinitionCommandInput,
  type Volume,
} from '@aws-sdk/client-ecs';
import { CreateSecurityGroupCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { CreateHttpNamespaceCommand, CreatePrivateDnsNamespaceCommand, GetOperationCommand } from '@aws-sdk/client-servicediscovery';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { SANDBOX_NAMES } from '../provision.js';
import { redeployInsight, registerRevision, registerTaskDefinition, withEnv, type Fault, type FaultContext } from './support.js';

/**
 * Registers a new Insight revision and redeploys the Insight service on it, as a careful engineer
 * would, so that only the changed value is wrong (not the rollout).
 */
async function deployInsight(ctx: FaultContext, change: (input: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput): Promise<void> {
  await redeployInsight(ctx, await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, change));
}

const containers = (input: RegisterTaskDefinitionCommandInput, change: (c: ContainerDefinition) => ContainerDefinition) => ({
  ...input,
  containerDefinitions: (input.containerDefinitions ?? []).map(change),
});

const insightEnv = (ctx: FaultContext, name: string, value: string) => deployInsight(ctx, (input) => containers(input, (c) => withEnv(c, name, value)));

/** Changes the EFS volume named `name` (edgi-logs, edgi-documents, edgi-store in the sandbox). */
function withVolume(input: RegisterTaskDefinitionCommandInput, name: string, change: (v: Volume) => Volume): RegisterTaskDefinitionCommandInput {
  if (!(input.volumes ?? []).some((v) => v.name === name)) throw new Error(`The Insight task definition has no volume ${name}.`);
  return { ...input, volumes: (input.volumes ?? []).map((v) => (v.name === name ? change(v) : v)) };
}

export const INSIGHT_FAULTS: Fault[] = [
  {
    name: 'data-newer-than-pinned',
    step: 7,
    description: 'A new Data task definition revision was registered, but TASK_DEFINITION on the Insight task definition still pins the previous one.',
    expect: { 'insight-pins-latest-data': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.data, (c) => c);
      ctx.state.taskDefinitions.data.push(arn);
    },
  },
  {
    name: 'insight-subnets-var-one-subnet',
    step: 7,
    description: 'SUBNETS on the Insight task definition lists only one of the two subnets the Insight service runs in.',
    expect: { 'insight-network-vars': 'fail' },
    async apply(ctx) {
      await insightEnv(ctx, 'SUBNETS', ctx.state.subnets.insight[0]);
    },
  },
  {
    name: 'insight-security-groups-var-wrong',
    step: 7,
    description: 'SECURITY_GROUPS on the Insight task definition names the OvalEdge security group instead of the Edgi Insight security group.',
    expect: { 'insight-network-vars': 'fail' },
    async apply(ctx) {
      await insightEnv(ctx, 'SECURITY_GROUPS', ctx.state.securityGroups.ovaledge);
    },
  },
  {
    name: 'insight-subnets-var-spaces',
    step: 7,
    description: 'SUBNETS on the Insight task definition is written runbook style, "subnet-a, subnet-b", with a space after the comma.',
    expect: { 'insight-network-vars': 'warn' },
    async apply(ctx) {
      await insightEnv(ctx, 'SUBNETS', ctx.state.subnets.insight.join(', '));
    },
  },
  {
    name: 'insight-security-groups-var-other-vpc',
    step: 7,
    description: 'SECURITY_GROUPS on the Insight task definition lists, beside the Edgi security group, a group of another VPC: ECS refuses to launch Data tasks with it.',
    expect: { 'insight-network-vars': 'fail' },
    async apply(ctx) {
      const vpc = await ctx.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.98.0.0/16' }));
      const sg = await ctx.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'edgi-elsewhere', Description: 'a group of another VPC', VpcId: vpc.Vpc!.VpcId! }));
      await insightEnv(ctx, 'SECURITY_GROUPS', `${ctx.state.securityGroups.edgi},${sg.GroupId!}`);
    },
  },
  {
    name: 'insight-db-secret-other',
    step: 7,
    description: 'AWS_SCTNAME on the Insight task definition names a copy of the database secret (askedgi/db-copy, same keys) instead of the secret the Data task definition names.',
    expect: { 'insight-db-secret': 'fail', 'task-role-effective-permissions': 'fail' },
    async apply(ctx) {
      const value = await ctx.clients.secrets.send(new GetSecretValueCommand({ SecretId: ctx.state.secrets.db.arn }));
      await ctx.clients.secrets.send(new CreateSecretCommand({ Name: 'askedgi/db-copy', SecretString: value.SecretString }));
      await insightEnv(ctx, 'AWS_SCTNAME', 'askedgi/db-copy');
    },
  },
  {
    name: 'insight-cluster-name-missing',
    step: 7,
    description: 'CLUSTER_NAME on the Insight task definition names a cluster "other" that does not exist.',
    expect: { 'insight-cluster-exists': 'fail' },
    async apply(ctx) {
      await insightEnv(ctx, 'CLUSTER_NAME', 'other');
    },
  },
  {
    name: 'insight-cluster-name-other-cluster',
    step: 7,
    description: 'CLUSTER_NAME on the Insight task definition names another ACTIVE cluster, not the one the deployment runs in.',
    expect: { 'insight-cluster-exists': 'fail' },
    async apply(ctx) {
      await ctx.clients.ecs.send(new CreateClusterCommand({ clusterName: 'askedgi-other' }));
      await insightEnv(ctx, 'CLUSTER_NAME', 'askedgi-other');
    },
  },
  {
    name: 'insight-namespace-id-other',
    step: 7,
    description: 'DNS_NAME_SPACE_ID on the Insight task definition is the id of another Cloud Map namespace than the one EDGI_WORKSPACE_NAME_SPACE names.',
    expect: { 'insight-namespace': 'fail' },
    async apply(ctx) {
      // moto allows one private DNS namespace per VPC, so the other namespace is an HTTP one.
      const created = await ctx.clients.cloudMap.send(new CreateHttpNamespaceCommand({ Name: 'askedgi-other', CreatorRequestId: `askedgi-other-${Date.now()}` }));
      const op = await ctx.clients.cloudMap.send(new GetOperationCommand({ OperationId: created.OperationId }));
      const id = op.Operation?.Targets?.NAMESPACE;
      if (!id) throw new Error('Creating the second Cloud Map namespace returned no namespace id.');
      await insightEnv(ctx, 'DNS_NAME_SPACE_ID', id);
    },
  },
  {
    name: 'insight-namespace-other-vpc',
    step: 7,
    description:
      'DNS_NAME_SPACE_ID names a private DNS namespace with the same name as the Insight namespace, but in another VPC: the names agree, the namespace the Insight service discovery uses is a different one.',
    expect: { 'insight-namespace': 'fail' },
    async apply(ctx) {
      // One VPC holds one private namespace of a name; a second VPC may hold another of the same name.
      const vpc = await ctx.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.99.0.0/16' }));
      const created = await ctx.clients.cloudMap.send(
        new CreatePrivateDnsNamespaceCommand({ Name: SANDBOX_NAMES.namespace, Vpc: vpc.Vpc!.VpcId!, CreatorRequestId: `askedgi-other-vpc-${Date.now()}` }),
      );
      const op = await ctx.clients.cloudMap.send(new GetOperationCommand({ OperationId: created.OperationId }));
      const id = op.Operation?.Targets?.NAMESPACE;
      if (!id) throw new Error('Creating the second private DNS namespace returned no namespace id.');
      await insightEnv(ctx, 'DNS_NAME_SPACE_ID', id);
    },
  },
  {
    name: 'sqs-data-sync-queue-deleted',
    step: 7,
    description: 'The data sync SQS queue (<SQS prefix>-data_sync_queue, DATA_SYNC_QUEUE_NAME) was deleted.',
    expect: { 'insight-sqs-queues': 'fail' },
    async apply(ctx) {
      await ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: ctx.state.queues.dataSync }));
    },
  },
  {
    name: 'insight-efs-transit-encryption-off',
    step: 7,
    description: 'The Insight logs EFS volume has transit encryption DISABLED, which AWS does not allow with an access point.',
    expect: { 'insight-efs-volumes': 'fail' },
    async apply(ctx) {
      await deployInsight(ctx, (input) =>
        withVolume(input, 'edgi-logs', (v) => ({ ...v, efsVolumeConfiguration: { ...v.efsVolumeConfiguration!, transitEncryption: 'DISABLED' } })),
      );
    },
  },
  {
    name: 'insight-efs-access-points-swapped',
    step: 7,
    description: 'The Insight logs and documents EFS volumes use each other\'s access points, so logs land in the documents path and back.',
    expect: { 'insight-efs-volumes': 'fail' },
    async apply(ctx) {
      const { logs, documents } = ctx.state.efs.accessPoints;
      const withAccessPoint = (id: string) => (v: Volume): Volume => ({
        ...v,
        efsVolumeConfiguration: { ...v.efsVolumeConfiguration!, authorizationConfig: { ...v.efsVolumeConfiguration?.authorizationConfig, accessPointId: id } },
      });
      await deployInsight(ctx, (input) => withVolume(withVolume(input, 'edgi-logs', withAccessPoint(documents)), 'edgi-documents', withAccessPoint(logs)));
    },
  },
  {
    name: 'insight-efs-mount-wrong-path',
    step: 7,
    description: 'The Insight store EFS volume is mounted at /app/data while STORE_FOLDER says /app/store.',
    expect: { 'insight-efs-volumes': 'fail' },
    async apply(ctx) {
      await deployInsight(ctx, (input) =>
        containers(input, (c) => ({
          ...c,
          mountPoints: (c.mountPoints ?? []).map((m) => (m.sourceVolume === 'edgi-store' ? { ...m, containerPath: '/app/data' } : m)),
        })),
      );
    },
  },
  {
    name: 'env-runbook-literal',
    step: 7,
    description: 'The Data task definition sets ENV=production, the runbook\'s step-6 literal, while Insight sets ENV=prod (step 7); Insight re-pinned and redeployed.',
    expect: { 'env-value-agreement': 'warn' },
    async apply(ctx) {
      const data = await registerRevision(ctx, SANDBOX_NAMES.families.data, (c) => withEnv(c, 'ENV', 'production'));
      ctx.state.taskDefinitions.data.push(data);
      await insightEnv(ctx, 'TASK_DEFINITION', data);
      // The config follows the runbook literal for Data, so only the disagreement between the two remains.
      const expect = ctx.config.expect ?? {};
      ctx.config.expect = { ...expect, data: { ...expect.data, env: { ...expect.data?.env, ENV: 'production' } } };
    },
  },
];
