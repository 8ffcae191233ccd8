import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { DEFAULT_REQUIREMENTS, ecrRepositories, queueArn, requirementsFor, resourcesFor, valueFromTarget, type DeploymentFacts } from '../../../src/effective/requirements.js';

const base = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const facts: DeploymentFacts = {
  ...base,
  cluster: 'acme',
  dataTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/edgi-data-service:2',
  bucket: 'edgi-bucket',
  fileSystemIds: ['fs-1'],
  logGroups: ['/ecs/edgi'],
  images: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/edgi/data:1.2', 'ovaledge/ui:latest'],
  valueFroms: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:edgi-keys-AbCdEf:EDGI_AWS_SECRET_KEY::', '/edgi/openai', 'arn:aws:ssm:eu-west-1:123456789012:parameter/x'],
};

describe('requirements', () => {
  it('resolves each resource kind to the deployment\'s ARNs', () => {
    expect(resourcesFor('data-task-definition', facts)).toEqual(['arn:aws:ecs:eu-west-1:123456789012:task-definition/edgi-data-service:2']);
    expect(resourcesFor('cluster-tasks', facts)).toEqual(['arn:aws:ecs:eu-west-1:123456789012:task/acme/*']);
    expect(resourcesFor('bucket', facts)).toEqual(['arn:aws:s3:::edgi-bucket']);
    expect(resourcesFor('bucket-objects', facts)).toEqual(['arn:aws:s3:::edgi-bucket/*']);
    expect(resourcesFor('file-system', facts)).toEqual(['arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1']);
    expect(resourcesFor('log-groups', facts)).toEqual(['arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/edgi:log-stream:*']);
    expect(resourcesFor('ecr-repositories', facts)).toEqual(['arn:aws:ecr:eu-west-1:123456789012:repository/edgi/data']);
    expect(resourcesFor('secret-references', facts)).toEqual(['arn:aws:secretsmanager:eu-west-1:123456789012:secret:edgi-keys-AbCdEf']);
    expect(resourcesFor('parameter-references', facts)).toEqual(['arn:aws:ssm:eu-west-1:123456789012:parameter/edgi/openai', 'arn:aws:ssm:eu-west-1:123456789012:parameter/x']);
    expect(resourcesFor('any', facts)).toEqual(['*']);
    expect(resourcesFor('queues', facts)).toBeUndefined();
    expect(resourcesFor('db-secret', facts)).toBeUndefined();
  });

  it('builds ARNs in the deployment\'s partition', () => {
    expect(resourcesFor('bucket', { ...facts, partition: 'aws-cn' })).toEqual(['arn:aws-cn:s3:::edgi-bucket']);
    expect(queueArn('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/edgi-ai_functions_queue', { partition: 'aws-cn', region: 'cn-north-1', account: '1' })).toBe(
      'arn:aws-cn:sqs:cn-north-1:123456789012:edgi-ai_functions_queue',
    );
    expect(ecrRepositories(['docker.io/library/nginx', '111122223333.dkr.ecr.us-east-1.amazonaws.com/r@sha256:ab'], 'aws')).toEqual(['arn:aws:ecr:us-east-1:111122223333:repository/r']);
    expect(valueFromTarget('plain-name', base)).toEqual({ kind: 'parameter', arn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/plain-name' });
  });

  it('lists what the task role, the execution role and the Edgi user must do', () => {
    expect(DEFAULT_REQUIREMENTS.taskRole.flatMap((r) => r.actions)).toEqual([
      'ecs:RunTask', 'ecs:StopTask', 'ecs:DescribeTasks', 'iam:PassRole', 'servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance',
      'route53:ChangeResourceRecordSets', 'route53:CreateHealthCheck', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'ec2:DescribeInstances',
      'servicediscovery:DiscoverInstances', 'servicediscovery:GetOperation', 'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl',
      's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 'secretsmanager:GetSecretValue', 'elasticfilesystem:ClientMount',
      'elasticfilesystem:ClientWrite', 'logs:CreateLogStream', 'logs:PutLogEvents',
    ]);
    expect(DEFAULT_REQUIREMENTS.edgiUser.map((r) => r.resource)).toEqual(['bucket', 'bucket-objects', 'queues']);
  });

  it('a permissions list in the config replaces the default list of that principal only', () => {
    const cfg = configSchema.parse({
      cluster: 'c',
      securityGroups: { elasticsearch: 'sg-1', rds: 'sg-2', efs: 'sg-3' },
      efs: { fileSystemId: 'fs-1' },
      permissions: { edgiUser: [{ actions: ['s3:GetObject'], resource: 'bucket-objects' }] },
    });
    expect(requirementsFor('edgiUser', cfg.permissions)).toEqual([{ actions: ['s3:GetObject'], resource: 'bucket-objects', why: 'required by the deployment (config)' }]);
    expect(requirementsFor('taskRole', cfg.permissions)).toBe(DEFAULT_REQUIREMENTS.taskRole);
    expect(cfg.permissions.simulate).toBe(true);
    expect(() => configSchema.parse({ ...cfg, permissions: { taskRole: [{ actions: ['GetObject'], resource: 'bucket' }] } })).toThrow(/expected an IAM action/);
  });
});
