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
  if (/ER_ACCESS_DENIED_ERROR|ER_DBACCESS_DENIED_ERROR|ER_TABLEACCESS_DENIED_ERROR/.test(`${e.code ?? ''}`)) {
    return { kind: 'access-denied', detail: `${e.code}: the database user may not read this` };
  }
  if (/CredentialsProviderError|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(name)) {
    return { kind: 'credentials', detail };
  }
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test(`${code} ${e.message ?? ''}`) || name === 'TimeoutError') {
    return { kind: 'unreachable', detail };
  }
  return { kind: 'other', detail };
}

export function toInventoryError(err: unknown, action: string, resource: string): InventoryError {
  if (err instanceof InventoryError) return err;
  const { kind, detail } = classify(err);
  return new InventoryError(kind, action, resource, detail);
}
