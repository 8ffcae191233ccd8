// The credentials of a fleet target: the SDK's own fromTemporaryCredentials provider (sts:AssumeRole
// with the operator's credentials from the default chain), shared by every client of the target's
// inventory and refreshed only when it nears expiry — one AssumeRole per target, not one per client.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { clientConfig, type AwsCredentials } from '../aws/client-config.js';
import { classify } from '../inventory/errors.js';
import type { ResolvedTarget } from './load.js';

type Identity = Awaited<ReturnType<Extract<AwsCredentials, (...args: never[]) => unknown>>>;

/** Refresh this long before the session expires (the SDK's own clients use 5 minutes too). */
const REFRESH_MS = 5 * 60_000;

export interface AssumeOptions {
  /** The emulator or a custom STS endpoint; else the SDK's (regional) STS endpoint. */
  endpoint?: string;
}

/** A memoized AssumeRole provider for one target. */
export function targetCredentials(t: Pick<ResolvedTarget, 'roleArn' | 'externalId' | 'sessionName' | 'region'>, opts: AssumeOptions = {}): () => Promise<Identity> {
  const provider = fromTemporaryCredentials({
    params: { RoleArn: t.roleArn, RoleSessionName: t.sessionName, ...(t.externalId !== undefined ? { ExternalId: t.externalId } : {}) },
    // Same timeouts and retries as every other client; the target's region, so the regional STS endpoint answers.
    clientConfig: clientConfig({ region: t.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) }, 'sts'),
  });
  let current: Promise<Identity> | undefined;
  let expiresAt = Infinity;
  return () => {
    // One AssumeRole in flight or done is shared by every caller; a failed one is tried again by the next call.
    if (!current || Date.now() > expiresAt - REFRESH_MS) {
      expiresAt = Infinity;
      const p = provider().then(
        (c) => ((expiresAt = c.expiration?.getTime() ?? Infinity), c),
        (err: unknown) => {
          if (current === p) current = undefined;
          throw err;
        },
      );
      current = p;
    }
    return current;
  };
}

/** The reason AssumeRole failed, as STS said it: "sts:AssumeRole on <role>: AccessDenied: <message>". */
export function assumeFailure(roleArn: string, err: unknown): string {
  return `sts:AssumeRole on ${roleArn}: ${classify(err).detail}`;
}
