// Correct deployments of other shapes (issue 10, point 4): each mutates the clean sandbox into a
// deployment that other hands might build and that works just as well, so every check must keep its
// clean status. They run in the fault matrix with nothing expected to change.
import { CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyVersionCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { parsePolicyDocument } from '../../inventory/live.js';
import { SANDBOX_NAMES } from '../provision.js';
import { deployOvaledgeRevision, EDGI_KEY_PARAMETER, edgiKeyFromSsm } from './ovaledge.js';
import { isolateWithEndpoints } from './effective.js';
import { authorizeIngress, networkAclFor, recreateService, redeployInsight, registerTaskDefinition, revokeIngress, withEnv, type Fault, type FaultContext } from './support.js';

/** The Insight application container (the one carrying TASK_DEFINITION), among any others. */
const isInsightApp = (c: ContainerDefinition) => (c.environment ?? []).some((e) => e.name === 'TASK_DEFINITION');

/**
 * Runs the Insight service with the Edgi security group and a second group (SECURITY_GROUPS lists
 * both, the config pins the Edgi group); returns the second group's id.
 */
async function withSecondGroup(ctx: FaultContext, name: string, description: string): Promise<string> {
  const extra = (await ctx.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: description, VpcId: ctx.state.vpc.id }))).GroupId!;
  const both = [ctx.state.securityGroups.edgi, extra];
  const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => ({
    ...input,
    containerDefinitions: (input.containerDefinitions ?? []).map((c) => (isInsightApp(c) ? withEnv(c, 'SECURITY_GROUPS', both.join(',')) : c)),
  }));
  await redeployInsight(ctx, arn);
  ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => ({
    ...input,
    networkConfiguration: { awsvpcConfiguration: { ...input.networkConfiguration!.awsvpcConfiguration!, securityGroups: both } },
  }));
  ctx.config.network = { ...(ctx.config.network ?? {}), edgiSecurityGroup: ctx.state.securityGroups.edgi };
  return extra;
}

export const VARIANTS: Fault[] = [
  {
    name: 'shape-insight-firelens-sidecar',
    step: 7,
    description:
      'A correct shape: the Insight task definition runs a Fluent Bit log router sidecar (listed first), the application container logs through FireLens to the same CloudWatch log group, and the task role may write to it.',
    expect: {},
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => {
        const app = (input.containerDefinitions ?? []).find(isInsightApp);
        if (!app) throw new Error('The Insight task definition has no container with TASK_DEFINITION.');
        const router: ContainerDefinition = {
          name: 'log_router',
          image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
          essential: true,
          firelensConfiguration: { type: 'fluentbit' },
          logConfiguration: app.logConfiguration,
        };
        const group = app.logConfiguration?.options?.['awslogs-group'];
        const viaFirelens: ContainerDefinition = {
          ...app,
          logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', region: ctx.region, log_group_name: group ?? '', log_stream_prefix: 'insight-' } },
        };
        return { ...input, containerDefinitions: [router, ...(input.containerDefinitions ?? []).map((c) => (c === app ? viaFirelens : c))] };
      });
      await redeployInsight(ctx, arn);
      // With FireLens the log router writes to CloudWatch with the task role, which needs the log actions
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html).
      const group = `arn:aws:logs:${ctx.region}:${ctx.state.accountId}:log-group:${SANDBOX_NAMES.logGroups.insight}`;
      await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: ctx.state.iam.taskRoleName,
          PolicyName: 'firelens-cloudwatch',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [group, `${group}:*`] }] }),
        }),
      );
    },
  },
  {
    name: 'shape-insight-container-renamed',
    step: 7,
    description: 'A correct shape: the Insight container is named insight-app (the runbook calls the name customizable); the config keeps the runbook default.',
    expect: {},
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => ({
        ...input,
        containerDefinitions: (input.containerDefinitions ?? []).map((c) => (isInsightApp(c) ? { ...c, name: 'insight-app' } : c)),
      }));
      await redeployInsight(ctx, arn);
    },
  },
  {
    name: 'shape-two-security-groups-pinned',
    step: 1,
    description:
      'A correct shape: the Insight service runs with the Edgi security group and a second (monitoring) group; SECURITY_GROUPS lists both and the config pins the Edgi group (network.edgiSecurityGroup).',
    expect: {},
    async apply(ctx) {
      await withSecondGroup(ctx, 'edgi-monitoring', 'monitoring agent');
    },
  },
  {
    name: 'shape-peers-admit-second-group',
    step: 1,
    description:
      'A correct shape: the Insight service runs with the Edgi security group and a shared "database clients" group (config pins the Edgi group), and the RDS, Elasticsearch and EFS groups admit the Insight tasks through that second group instead of the Edgi group (an ENI carries every group of its service).',
    expect: {},
    async apply(ctx) {
      const clients = await withSecondGroup(ctx, 'edgi-db-clients', 'database and file system clients');
      const { edgi, rds, elasticsearch, efs } = ctx.state.securityGroups;
      for (const [group, port] of [[rds, 3306], [elasticsearch, 9200], [efs, 2049]] as const) {
        await authorizeIngress(ctx, group, { IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: clients }] });
        await revokeIngress(ctx, group, 'tcp', port, { group: edgi });
      }
    },
  },
  {
    name: 'shape-policies-via-group-and-inline',
    step: 4,
    description:
      'A correct shape: AskEdgi_policy_Saas reaches the Edgi IAM user through an IAM group (askedgi-users) instead of being attached to it, and the task role carries the AskEdgi ECS policy inline under the same name instead of the managed one.',
    expect: {},
    async apply(ctx) {
      const { iam } = ctx.clients;
      const { userName, userPolicyArn, taskRoleName, taskRolePolicyArn } = ctx.state.iam;
      await iam.send(new CreateGroupCommand({ GroupName: 'askedgi-users' }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'askedgi-users', PolicyArn: userPolicyArn }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'askedgi-users', UserName: userName }));
      await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: userPolicyArn }));
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: taskRolePolicyArn }))).Policy!;
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: taskRolePolicyArn, VersionId: policy.DefaultVersionId! }));
      // IAM returns the document URL-encoded; moto returns it as JSON.
      const doc = version.PolicyVersion!.Document!;
      await iam.send(new PutRolePolicyCommand({ RoleName: taskRoleName, PolicyName: policy.PolicyName!, PolicyDocument: doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc) }));
      await iam.send(new DetachRolePolicyCommand({ RoleName: taskRoleName, PolicyArn: taskRolePolicyArn }));
    },
  },
  {
    name: 'shape-secret-partial-arn',
    step: 5,
    description:
      'A correct shape, as CDK builds it (Secret.fromSecretNameV2): UI and Job name the Edgi user secret in secrets[].valueFrom by its partial ARN (no 6-character suffix), and the execution role may read it through the Resource <secret ARN without suffix>-?????? (Secrets Manager resolves the partial ARN; IAM authorizes the full one).',
    expect: {},
    async apply(ctx) {
      const full = ctx.state.secrets.edgiUser.arn;
      // Secrets Manager appends "-" and 6 random characters to the name in the ARN.
      const partial = full.replace(/-[A-Za-z0-9]{6}$/, '');
      if (partial === full) throw new Error(`Secret ARN ${full} has no 6-character suffix.`);
      await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: ctx.state.iam.executionRoleName,
          PolicyName: 'AskEdgiExecutionSecrets',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `${partial}-??????` }] }),
        }),
      );
      const byPartialArn = (c: ContainerDefinition): ContainerDefinition => ({
        ...c,
        secrets: (c.secrets ?? []).map((x) => (x.valueFrom?.startsWith(`${full}:`) ? { name: x.name, valueFrom: `${partial}${x.valueFrom.slice(full.length)}` } : x)),
      });
      await deployOvaledgeRevision(ctx, 'ui', byPartialArn);
      await deployOvaledgeRevision(ctx, 'job', byPartialArn);
    },
  },
  {
    name: 'shape-isolated-vpc-endpoints',
    step: 1,
    description:
      'A correct shape: the Insight subnets have no default route and reach every AWS API through VPC endpoints: interface endpoints with private DNS in a security group that admits HTTPS from the Edgi security group, and the S3 gateway endpoint on their route table.',
    expect: {},
    async apply(ctx) {
      await isolateWithEndpoints(ctx, true);
    },
  },
  {
    name: 'shape-nacl-denies-private-range',
    step: 1,
    description:
      'A correct shape: the Insight subnets have a network ACL of their own that first denies a corporate range (192.168.0.0/16, rule 50, both ways) and then allows everything; the AWS APIs the tasks reach through the NAT gateway are at public addresses, which the deny does not touch.',
    expect: {},
    async apply(ctx) {
      const both = (RuleNumber: number, RuleAction: 'allow' | 'deny', CidrBlock: string) => [true, false].map((Egress) => ({ RuleNumber, Egress, RuleAction, Protocol: '-1', CidrBlock }));
      await networkAclFor(ctx, ctx.state.subnets.insight, [...both(50, 'deny', '192.168.0.0/16'), ...both(100, 'allow', '0.0.0.0/0')]);
    },
  },
  {
    name: 'shape-task-policy-condition-scoped',
    step: 5,
    description:
      'A correct shape, written the way AWS recommends: the AskEdgi ECS policy (a new default version) allows iam:PassRole only with iam:PassedToService ecs-tasks.amazonaws.com, and ecs:RunTask, ecs:StopTask and ecs:DescribeTasks only with ecs:cluster the AskEdgi cluster.',
    expect: {},
    async apply(ctx) {
      const { iam } = ctx.clients;
      const arn = ctx.state.iam.taskRolePolicyArn;
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      const current = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId! }));
      const doc = parsePolicyDocument(current.PolicyVersion?.Document);
      const statements = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Record<string, unknown>[];
      const cluster = { ArnEquals: { 'ecs:cluster': ctx.state.cluster.arn } };
      const scoped = [
        // DescribeTasks leaves the unscoped statement for a scoped one of its own.
        ...statements.map((st) => (st.Sid === 'DataServices' ? { ...st, Action: (st.Action as string[]).filter((a) => a !== 'ecs:DescribeTasks') } : st)),
      ].map((st) => {
        if (st.Sid === 'PassRoles') return { ...st, Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } };
        if (st.Sid === 'RunDataTasks' || st.Sid === 'StopDataTasks') return { ...st, Condition: cluster };
        return st;
      });
      if (!['PassRoles', 'RunDataTasks', 'StopDataTasks', 'DataServices'].every((sid) => scoped.some((st) => st.Sid === sid))) throw new Error(`Policy ${arn} lacks a statement this variant scopes.`);
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, SetAsDefault: true, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: scoped }) }));
    },
  },
  {
    name: 'shape-ovaledge-ssm-parameter',
    step: 9,
    description: `A correct shape: UI and Job take EDGI_AWS_SECRET_KEY from the SSM SecureString parameter ${EDGI_KEY_PARAMETER} (which exists) instead of the Edgi user secret, and the execution role may read it.`,
    expect: {},
    async apply(ctx) {
      await edgiKeyFromSsm(ctx, true);
    },
  },
];
