import { InventoryError, type InventoryErrorKind } from './types.js';

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Classify an SDK failure. By name and by HTTP status: real AWS sends AccessDenied(Exception), but
 * moto's denials on JSON-protocol services arrive as XML, which the SDK fails to deserialize while
 * keeping the 403 status.
 */
export function classify(err: unknown): { kind: InventoryErrorKind; detail: string } {
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? e.code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name}${e.message ? `: ${e.message.split('\n')[0]}` : ''}`;
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized|Forbidden/i.test(name) || status === 403) {
    return { kind: 'access-denied', detail };
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
  if (/CredentialsProviderError|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(name)) {
    return { kind: 'credentials', detail };
  }
  // A 5xx whose body is not the service's JSON/XML (a proxy's HTML page): the SDK fails to parse it.
  if (status !== undefined && status >= 500) {
    const raw = /Deserialization error|Unexpected token|not valid JSON|Expected|SyntaxError/i.test(`${name} ${e.message ?? ''}`);
    return { kind: 'unreachable', detail: raw ? `HTTP ${status} from the service with a body that is not an AWS answer (an error page of a proxy or load balancer?)` : `HTTP ${status}: ${detail}` };
  }
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|socket hang up/.test(`${code} ${e.message ?? ''}`) || /TimeoutError|RequestTimeout/.test(name)) {
    return { kind: 'unreachable', detail };
  }
  return { kind: 'other', detail };
}

export function toInventoryError(err: unknown, action: string, resource: string): InventoryError {
  if (err instanceof InventoryError) return err;
  const { kind, detail } = classify(err);
  return new InventoryError(kind, action, resource, detail);
}
