// Runbook steps 4–5: the SQS queues, the edgi IAM user and its policy, the ECS task and execution roles.
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { type AwsClients } from '../../aws/clients.js';
import { SANDBOX_NAMES, QUEUE_PREFIX, ECS_TASKS_PRINCIPAL, EXECUTION_POLICY_ARN } from './names.js';
import { must, trustPolicy } from './support.js';

export async function provisionQueues(clients: AwsClients) {
  const queue = async (name: string): Promise<string> => {
    const out = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${QUEUE_PREFIX}-${name}` }));
    return must(out.QueueUrl, 'queue url');
  };
  return { prefix: QUEUE_PREFIX, aiFunctions: await queue('ai_functions_queue'), dataSync: await queue('data_sync_queue') };
}

export async function provisionIam(clients: AwsClients, p: { region: string; accountId: string; bucket: string; dbSecretArn: string }) {
  const { iam } = clients;
  const names = SANDBOX_NAMES.iam;
  const bucketArns = [`arn:aws:s3:::${p.bucket}`, `arn:aws:s3:::${p.bucket}/*`];
  const queueArn = `arn:aws:sqs:${p.region}:${p.accountId}:${QUEUE_PREFIX}-*`;

  const userPolicy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.userPolicy,
      Description: 'AskEdgi SaaS user: the Edgi bucket and queues.',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Bucket',
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetBucketLocation'],
            Resource: bucketArns,
          },
          {
            Sid: 'Queues',
            Effect: 'Allow',
            Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
            Resource: queueArn,
          },
        ],
      }),
    }),
  );
  const userPolicyArn = must(userPolicy.Policy?.Arn, 'user policy ARN');
  const user = await iam.send(new CreateUserCommand({ UserName: names.user }));
  const userArn = must(user.User?.Arn, 'user ARN');
  await iam.send(new AttachUserPolicyCommand({ UserName: names.user, PolicyArn: userPolicyArn }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: names.user }));
  const accessKeyId = must(key.AccessKey?.AccessKeyId, 'access key id');
  const secretAccessKey = must(key.AccessKey?.SecretAccessKey, 'secret access key');

  const taskPolicy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.taskRolePolicy,
      Description: 'AskEdgi ECS tasks: bucket, queues, DB secret, Cloud Map and the Data services they start.',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: bucketArns },
          { Sid: 'Queues', Effect: 'Allow', Action: ['sqs:*'], Resource: queueArn },
          { Sid: 'DbSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: p.dbSecretArn },
          {
            Sid: 'DataServices',
            Effect: 'Allow',
            Action: [
              'ecs:CreateService',
              'ecs:UpdateService',
              'ecs:DeleteService',
              'ecs:DescribeServices',
              'ecs:DescribeTasks',
              'ecs:ListTasks',
              'ecs:DescribeTaskDefinition',
            ],
            Resource: '*',
          },
          {
            Sid: 'ServiceDiscovery',
            Effect: 'Allow',
            Action: [
              'servicediscovery:CreateService',
              'servicediscovery:GetNamespace',
              'servicediscovery:ListServices',
              'servicediscovery:ListInstances',
              'servicediscovery:DiscoverInstances',
              'servicediscovery:RegisterInstance',
              'servicediscovery:DeregisterInstance',
            ],
            Resource: '*',
          },
          {
            Sid: 'PassRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: [`arn:aws:iam::${p.accountId}:role/${names.taskRole}`, `arn:aws:iam::${p.accountId}:role/${names.executionRole}`],
          },
        ],
      }),
    }),
  );
  const taskRolePolicyArn = must(taskPolicy.Policy?.Arn, 'task role policy ARN');
  const taskRole = await iam.send(
    new CreateRoleCommand({
      RoleName: names.taskRole,
      AssumeRolePolicyDocument: trustPolicy(ECS_TASKS_PRINCIPAL),
      Description: 'Shared by every AskEdgi task definition.',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.taskRole, PolicyArn: taskRolePolicyArn }));
  const executionRole = await iam.send(
    new CreateRoleCommand({
      RoleName: names.executionRole,
      AssumeRolePolicyDocument: trustPolicy(ECS_TASKS_PRINCIPAL),
      Description: 'ECS task execution role for AskEdgi.',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.executionRole, PolicyArn: EXECUTION_POLICY_ARN }));

  return {
    secretAccessKey,
    iam: {
      userName: names.user,
      userArn,
      accessKeyId,
      userPolicyArn,
      taskRoleName: names.taskRole,
      taskRoleArn: must(taskRole.Role?.Arn, 'task role ARN'),
      taskRolePolicyArn,
      executionRoleName: names.executionRole,
      executionRoleArn: must(executionRole.Role?.Arn, 'execution role ARN'),
    },
  };
}
