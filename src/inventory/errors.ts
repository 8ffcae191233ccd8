import { InventoryError, type InventoryErrorKind } from './types.js';

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export interface Classified {
  kind: InventoryErrorKind;
  detail: string;
  /** The IAM action the answer names, when it names another than the one called (kms:Decrypt, ec2:DescribeNetworkInterfaceAttribute). */
  action?: string;
}

/**
 * Rejected credentials. They are HTTP 403 like a denial, so they are recognised by code before the
 * generic 403 rule: STS/IAM/JSON services `InvalidClientTokenId`, `UnrecognizedClientException`,
 * `SignatureDoesNotMatch`, `ExpiredToken(Exception)`; S3 `InvalidAccessKeyId`, `InvalidToken`,
 * `TokenRefreshRequired`; EC2 `AuthFailure`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html,
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
 */
const CREDENTIAL_ERRORS = /^(InvalidClientTokenId|UnrecognizedClient(Exception)?|SignatureDoesNotMatch|ExpiredToken(Exception)?|InvalidAccessKeyId|InvalidToken|TokenRefreshRequired|AuthFailure|MissingAuthenticationToken|IncompleteSignature(Exception)?|RequestExpired|CredentialsProviderError)$/;

/** "User: arn:… is not authorized to perform: ec2:DescribeNetworkInterfaceAttribute on resource: …" */
const DENIED_ACTION = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/;

/**
 * ECS `ClientException` is documented as "a client action … using an action or resource on behalf of
 * a user that doesn't have permissions …, or specifying an identifier that isn't valid"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html); its message tells
 * which. "Unable to describe task definition." is the answer for an unknown family or revision.
 */
export function ecsClientExceptionKind(message: string): 'not-found' | 'access-denied' | 'invalid' {
  if (/not authorized|not permitted|access ?denied|permission/i.test(message)) return 'access-denied';
  if (/Unable to describe task definition|not found|does not exist|could not be found|unable to find/i.test(message)) return 'not-found';
  return 'invalid';
}

/**
 * Classify an SDK failure. By name and by HTTP status: real AWS sends AccessDenied(Exception), but
 * moto's denials on JSON-protocol services arrive as XML, which the SDK fails to deserialize while
 * keeping the 403 status.
 */
export function classify(err: unknown): Classified {
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? e.code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = e.message ?? '';
  const detail = `${name}${message ? `: ${message.split('\n')[0]}` : ''}`;
  const named = DENIED_ACTION.exec(message)?.[1];
  if (CREDENTIAL_ERRORS.test(name) || CREDENTIAL_ERRORS.test(e.Code ?? '')) return { kind: 'credentials', detail };
  // Secrets Manager could not decrypt the value with its KMS key: the caller lacks kms:Decrypt on it.
  if (name === 'DecryptionFailure') return { kind: 'access-denied', detail, action: 'kms:Decrypt' };
  if (name === 'ClientException' && ecsClientExceptionKind(message) === 'access-denied') return { kind: 'access-denied', detail, ...(named ? { action: named } : {}) };
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized|Forbidden/i.test(name) || status === 403) {
    return { kind: 'access-denied', detail, ...(named ? { action: named } : {}) };
  }
  if (/Throttl|RequestLimitExceeded|SlowDown|TooManyRequests/i.test(name) || status === 429) {
    return { kind: 'throttled', detail: `${detail} (still throttled after retries)` };
  }
  // A wrong database user name or password (MySQL 1045) is an authentication failure, not a missing grant.
  if (/^ER_ACCESS_DENIED_ERROR$|^ER_ACCESS_DENIED_NO_PASSWORD_ERROR$/.test(`${e.code ?? ''}`)) {
    return { kind: 'credentials', detail: `authentication failed: the database rejected the user name or password (${e.code})` };
  }
  if (/ER_DBACCESS_DENIED_ERROR|ER_TABLEACCESS_DENIED_ERROR/.test(`${e.code ?? ''}`)) {
    return { kind: 'access-denied', detail: `${e.code}: the database user may not read this` };
  }
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', detail };
  // A 5xx whose body is not the service's JSON/XML (a proxy's HTML page): the SDK fails to parse it.
  if (status !== undefined && status >= 500) {
    const raw = /Deserialization error|Unexpected token|not valid JSON|Expected|SyntaxError/i.test(`${name} ${message}`);
    return { kind: 'unreachable', detail: raw ? `HTTP ${status} from the service with a body that is not an AWS answer (an error page of a proxy or load balancer?)` : `HTTP ${status}: ${detail}` };
  }
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|socket hang up/.test(`${code} ${message}`) || /RequestTimeout/.test(name)) {
    return { kind: 'unreachable', detail };
  }
  if (name === 'ClientException') return { kind: 'invalid', detail };
  return { kind: 'other', detail };
}

/** How long an attempt may take, for the timeout message. */
export interface TimeoutContext {
  requestMs: number;
  connectMs: number;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export function toInventoryError(err: unknown, action: string, resource: string, timeouts?: TimeoutContext): InventoryError {
  if (err instanceof InventoryError) return err;
  const c = classify(err);
  if (c.kind === 'timeout') {
    const attempts = (err as SdkLikeError).$metadata?.attempts;
    const connecting = /establish a connection/.test((err as SdkLikeError).message ?? '');
    const limit = timeouts ? seconds(connecting ? timeouts.connectMs : timeouts.requestMs) : 'the configured timeout';
    const how = connecting ? 'no connection' : 'no answer';
    return new InventoryError('timeout', action, resource, `${limit} (${how}${attempts ? `; ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''})`);
  }
  return new InventoryError(c.kind, c.action ?? action, resource, c.detail);
}
