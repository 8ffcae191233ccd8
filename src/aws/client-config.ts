// Client settings shared by the lazy clients of the inventory and the eager ones of the sandbox and
// remediation. No SDK client module is imported here, so importing this file loads no AWS client.

export interface AwsTimeouts {
  /** Milliseconds to establish the TCP/TLS connection. */
  connectMs: number;
  /** Milliseconds a request may wait for its answer (and a socket may stay silent), per attempt. */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: AwsTimeouts = { connectMs: 3_000, requestMs: 10_000 };

export interface ClientOptions {
  region: string;
  /** A custom endpoint (an emulator). Absent for real AWS; the SDK's own AWS_ENDPOINT_URL also applies then. */
  endpoint?: string;
  /** Total attempts per call including retries (adaptive retry mode). */
  maxAttempts?: number;
  /** Connect and request timeouts per attempt; default DEFAULT_TIMEOUTS. */
  timeouts?: Partial<AwsTimeouts>;
  /**
   * Credentials other than the SDK default chain's: the provider of an assumed role (`fleet run`,
   * through the SDK's fromTemporaryCredentials). Absent: the default chain.
   */
  credentials?: AwsCredentials;
}

/** What an SDK client accepts as `credentials` (a provider or fixed keys), named through the STS client's own config type. */
export type AwsCredentials = NonNullable<import('@aws-sdk/client-sts').STSClientConfig['credentials']>;

/** The endpoint in effect: an explicit one, else the SDK's AWS_ENDPOINT_URL. */
export function effectiveEndpoint(explicit?: string): string | undefined {
  return explicit ?? (process.env.AWS_ENDPOINT_URL || undefined);
}

export function effectiveTimeouts(opts: Pick<ClientOptions, 'timeouts'>): AwsTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The configuration every SDK client gets. Credentials come from the SDK default chain (AWS_PROFILE,
 * SSO, env, instance roles), never from config or argv; or, for a fleet target, from the provider of
 * the role the fleet assumed (`credentials`). Every request is bounded: a connect timeout,
 * a request timeout that throws (`throwOnRequestTimeout`; without it the SDK only logs a warning)
 * and a socket idle timeout, so an endpoint that accepts and never answers cannot hang a run
 * (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html).
 * Only with a custom endpoint: S3 path-style addressing (no bucket subdomains on localhost) and no
 * Cloud Map host prefix (else DiscoverInstances goes to data-<host>).
 */
export function clientConfig(opts: ClientOptions, service: string) {
  const endpoint = effectiveEndpoint(opts.endpoint);
  const t = effectiveTimeouts(opts);
  return {
    region: opts.region,
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
    requestHandler: { connectionTimeout: t.connectMs, requestTimeout: t.requestMs, socketTimeout: t.requestMs, throwOnRequestTimeout: true },
    ...(endpoint ? { endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(endpoint && service === 's3' ? { forcePathStyle: true } : {}),
    ...(endpoint && service === 'cloudMap' ? { disableHostPrefix: true } : {}),
  };
}

/** IAM action prefix per client, so counts read as the permissions they need ("ec2:DescribeVpcs"). */
export const IAM_PREFIX = {
  sts: 'sts',
  ec2: 'ec2',
  ecs: 'ecs',
  efs: 'elasticfilesystem',
  iam: 'iam',
  s3: 's3',
  secrets: 'secretsmanager',
  cloudMap: 'servicediscovery',
  logs: 'logs',
  sqs: 'sqs',
  ssm: 'ssm',
} as const;

export type ServiceKey = keyof typeof IAM_PREFIX;
