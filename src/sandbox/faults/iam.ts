// Faults of runbook step 4–5 (IAM user, access key, task role).
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { SANDBOX_NAMES } from '../provision.js';
import { recreateService, registerRevision, registerTaskDefinition, withEnv, type Fault } from './support.js';

const trustPolicy = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/** A realistic secret access key (the AWS documentation's example): not a runbook placeholder. */
const DUMMY_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export const IAM_FAULTS: Fault[] = [
  {
    name: 'user-policy-detached',
    step: 4,
    description: 'The AskEdgi_policy_Saas policy is detached from the Edgi IAM user (edgi_user).',
    expect: { 'iam-user-policy': 'warn', 'edgi-user-effective-permissions': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(new DetachUserPolicyCommand({ UserName: ctx.state.iam.userName, PolicyArn: ctx.state.iam.userPolicyArn }));
    },
  },
  {
    name: 'access-key-inactive',
    step: 4,
    description: 'The Edgi IAM user\'s access key in EDGI_AWS_ACCESS_ID was deactivated (Inactive).',
    expect: { 'edgi-access-key-owner': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(
        new UpdateAccessKeyCommand({ UserName: ctx.state.iam.userName, AccessKeyId: ctx.state.iam.accessKeyId, Status: 'Inactive' }),
      );
    },
  },
  {
    name: 'job-access-key-of-other-user',
    step: 4,
    description: 'The OvalEdge Job task definition sets EDGI_AWS_ACCESS_ID to an access key of another IAM user, not the Edgi user.',
    // The UI keeps the Edgi user's key, so the UI and Job values disagree as well.
    expect: { 'edgi-access-key-owner': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      const { iam } = ctx.clients;
      const other = 'edgi_user_legacy';
      await iam.send(new CreateUserCommand({ UserName: other }));
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: other }));
      const keyId = key.AccessKey?.AccessKeyId;
      if (!keyId) throw new Error(`Creating an access key for ${other} returned no key id.`);
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.job, (c) => withEnv(c, 'EDGI_AWS_ACCESS_ID', keyId));
      ctx.state.services.job = await recreateService(ctx, SANDBOX_NAMES.services.job, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.job = arn;
    },
  },
  {
    name: 'job-secret-key-plaintext',
    step: 4,
    description: 'The OvalEdge Job task definition holds EDGI_AWS_SECRET_KEY as a plaintext environment value instead of a Secrets Manager reference.',
    // The UI still takes it from secrets, so the UI and Job hold it from different sources.
    expect: { 'plaintext-secrets': 'warn', 'ovaledge-ui-job-agree': 'warn' },
    async apply(ctx) {
      const name = 'EDGI_AWS_SECRET_KEY';
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.job, (c) => ({
        ...c,
        secrets: (c.secrets ?? []).filter((s) => s.name !== name),
        environment: [...(c.environment ?? []), { name, value: DUMMY_SECRET_KEY }],
      }));
      ctx.state.services.job = await recreateService(ctx, SANDBOX_NAMES.services.job, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.job = arn;
    },
  },
  {
    name: 'task-role-trusts-ec2',
    step: 5,
    description: 'The trust relationship of the AskEdgi ECS task role trusts ec2.amazonaws.com instead of ecs-tasks.amazonaws.com.',
    expect: { 'task-role-trust': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: ctx.state.iam.taskRoleName, PolicyDocument: trustPolicy('ec2.amazonaws.com') }),
      );
    },
  },
  {
    name: 'task-role-policy-detached',
    step: 5,
    description: 'The AskEdgi ECS policy is detached from the AskEdgi ECS task role.',
    expect: { 'task-role-policy': 'warn', 'task-role-effective-permissions': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: ctx.state.iam.taskRoleName, PolicyArn: ctx.state.iam.taskRolePolicyArn }));
    },
  },
  {
    name: 'insight-task-role-other',
    step: 5,
    description: 'The Edgi Insight task definition uses its own task role (trusted by ECS, with the AskEdgi ECS policy) instead of the shared AskEdgi ECS task role.',
    expect: { 'task-role-shared': 'fail' },
    async apply(ctx) {
      const { iam } = ctx.clients;
      const roleName = 'AskEdgiInsightTaskRole';
      const role = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicy('ecs-tasks.amazonaws.com') }));
      const roleArn = role.Role?.Arn;
      if (!roleArn) throw new Error(`Creating role ${roleName} returned no ARN.`);
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: ctx.state.iam.taskRolePolicyArn }));
      // Same containers, so TASK_DEFINITION, volumes and the rest stay right; the service runs the new revision.
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.insight, (input) => ({ ...input, taskRoleArn: roleArn }));
      ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.insight = arn;
    },
  },
];
