// Faults of effective permissions and network paths: the name-level checks still pass, the effect is broken.
import { AddUserToGroupCommand, CreateGroupCommand, DeleteRolePolicyCommand, ListPolicyVersionsCommand, PutGroupPolicyCommand, SetDefaultPolicyVersionCommand } from '@aws-sdk/client-iam';
import type { Fault } from './support.js';

export const EFFECTIVE_FAULTS: Fault[] = [
  {
    name: 'task-policy-old-default-version',
    step: 5,
    description:
      'The AskEdgi ECS policy is still attached to the task role, but its default version is set back to v1, which lacks ecs:RunTask, ecs:StopTask, servicediscovery:GetOperation and the EFS client actions.',
    expect: { 'task-role-effective-permissions': 'fail' },
    async apply(ctx) {
      const arn = ctx.state.iam.taskRolePolicyArn;
      const versions = (await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
      const oldest = versions.map((v) => v.VersionId ?? '').sort()[0];
      if (!oldest) throw new Error(`Policy ${arn} has no versions.`);
      await ctx.clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: oldest }));
    },
  },
  {
    name: 'execution-role-cannot-read-secrets',
    step: 5,
    description: 'The execution role loses its inline policy for the Edgi user secret, so ECS cannot resolve the UI and Job secrets[].valueFrom at task start.',
    expect: { 'execution-role-effective-permissions': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: ctx.state.iam.executionRoleName, PolicyName: 'AskEdgiExecutionSecrets' }));
    },
  },
  {
    // moto does not implement PutUserPermissionsBoundary (boundaries on users are tested on the fixture).
    name: 'edgi-user-group-denies-sqs',
    step: 4,
    description: 'The Edgi IAM user is added to a group whose inline policy denies sqs:ReceiveMessage: AskEdgi_policy_Saas stays attached, but the Deny wins on both queues.',
    expect: { 'edgi-user-effective-permissions': 'fail' },
    async apply(ctx) {
      const { iam } = ctx.clients;
      const group = 'askedgi-guardrails';
      await iam.send(new CreateGroupCommand({ GroupName: group }));
      await iam.send(
        new PutGroupPolicyCommand({
          GroupName: group,
          PolicyName: 'NoQueueReads',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoReceive', Effect: 'Deny', Action: 'sqs:ReceiveMessage', Resource: '*' }] }),
        }),
      );
      await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: ctx.state.iam.userName }));
    },
  },
];
