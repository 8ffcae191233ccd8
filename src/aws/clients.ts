import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

export interface ClientOptions {
  region: string;
  /** A custom endpoint (an emulator). Absent for real AWS; the SDK's own AWS_ENDPOINT_URL also applies then. */
  endpoint?: string;
  /** Total attempts per call including retries (adaptive retry mode). */
  maxAttempts?: number;
}

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
}

/** The endpoint in effect: an explicit one, else the SDK's AWS_ENDPOINT_URL. */
export function effectiveEndpoint(explicit?: string): string | undefined {
  return explicit ?? (process.env.AWS_ENDPOINT_URL || undefined);
}

/**
 * One client per service, shared by every getter. Credentials come from the SDK default chain
 * (AWS_PROFILE, SSO, env, instance roles), never from config or argv. Only when a custom endpoint
 * is in use: S3 path-style addressing (no bucket subdomains on localhost) and no Cloud Map host
 * prefix (else DiscoverInstances goes to data-<host>).
 */
export function makeClients(opts: ClientOptions): AwsClients {
  const endpoint = effectiveEndpoint(opts.endpoint);
  const base = {
    region: opts.region,
    maxAttempts: opts.maxAttempts ?? 5,
    retryMode: 'adaptive' as const,
    ...(endpoint ? { endpoint } : {}),
  };
  return {
    sts: new STSClient(base),
    ec2: new EC2Client(base),
    ecs: new ECSClient(base),
    efs: new EFSClient(base),
    iam: new IAMClient(base),
    s3: new S3Client({ ...base, ...(endpoint ? { forcePathStyle: true } : {}) }),
    secrets: new SecretsManagerClient(base),
    cloudMap: new ServiceDiscoveryClient({ ...base, ...(endpoint ? { disableHostPrefix: true } : {}) }),
    logs: new CloudWatchLogsClient(base),
    sqs: new SQSClient(base),
  };
}

export function destroyClients(clients: AwsClients): void {
  for (const c of Object.values(clients)) c.destroy();
}
