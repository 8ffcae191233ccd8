// Eager clients for the sandbox and remediation writes. The inventory uses the lazy ones
// (lazy-clients.ts) so that `run` loads only the SDK modules it calls.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { clientConfig, type ClientOptions } from './client-config.js';

export { effectiveEndpoint, type ClientOptions } from './client-config.js';

export interface AwsClients {
  sts: STSClient;
  ec2: EC2Client;
  ecs: ECSClient;
  efs: EFSClient;
  iam: IAMClient;
  s3: S3Client;
  secrets: SecretsManagerClient;
  cloudMap: ServiceDiscoveryClient;
  logs: CloudWatchLogsClient;
  sqs: SQSClient;
  ssm: SSMClient;
}

/** One client per service, all constructed now, with the same timeouts and settings as the inventory's. */
export function makeClients(opts: ClientOptions): AwsClients {
  return {
    sts: new STSClient(clientConfig(opts, 'sts')),
    ec2: new EC2Client(clientConfig(opts, 'ec2')),
    ecs: new ECSClient(clientConfig(opts, 'ecs')),
    efs: new EFSClient(clientConfig(opts, 'efs')),
    iam: new IAMClient(clientConfig(opts, 'iam')),
    s3: new S3Client(clientConfig(opts, 's3')),
    secrets: new SecretsManagerClient(clientConfig(opts, 'secrets')),
    cloudMap: new ServiceDiscoveryClient(clientConfig(opts, 'cloudMap')),
    logs: new CloudWatchLogsClient(clientConfig(opts, 'logs')),
    sqs: new SQSClient(clientConfig(opts, 'sqs')),
    ssm: new SSMClient(clientConfig(opts, 'ssm')),
  };
}

export function destroyClients(clients: AwsClients): void {
  for (const c of Object.values(clients)) c.destroy();
}
