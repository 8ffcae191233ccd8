// --profile / --region: they only set what the SDK chain reads, and the one credentials line.
import { describe, expect, it } from 'vitest';
import { applyAwsTarget, credentialsLine, preflight, withRegion, AwsCredentialsError } from '../../src/commands/aws-target.js';
import { InventoryError } from '../../src/inventory/types.js';

describe('--profile and --region', () => {
  it('set AWS_PROFILE and AWS_REGION for the SDK, and --region wins over the config region', () => {
    const env: NodeJS.ProcessEnv = {};
    applyAwsTarget({ profile: 'acme-prod', region: 'eu-west-2' }, env);
    expect(env).toEqual({ AWS_PROFILE: 'acme-prod', AWS_REGION: 'eu-west-2' });
    expect(withRegion({ region: 'us-east-1' }, { region: 'eu-west-2' }).region).toBe('eu-west-2');
    expect(withRegion({ region: 'us-east-1' }, {}).region).toBe('us-east-1');
  });

  it('refuse a malformed region or profile name as a usage error', () => {
    expect(() => applyAwsTarget({ region: 'Frankfurt' }, {})).toThrow(/--region: expected an AWS region like us-east-1/);
    expect(() => applyAwsTarget({ profile: 'a b\nc' }, {})).toThrow(/--profile: not a profile name/);
  });
});

describe('the credentials line', () => {
  it('names the default chain when no profile is set, without an SSO hint', () => {
    expect(credentialsLine('InvalidClientTokenId: The security token included in the request is invalid.', 'us-east-1', {})).toBe(
      'AWS credentials for the default credential chain (no AWS_PROFILE) in us-east-1 cannot be used: InvalidClientTokenId: The security token included in the request is invalid.',
    );
  });

  it('adds aws sso login --profile X when the SDK reason is about an SSO session', () => {
    expect(credentialsLine('CredentialsProviderError: The SSO session associated with this profile has expired', 'eu-west-1', { AWS_PROFILE: 'acme' })).toMatch(/\. Run: aws sso login --profile acme$/);
  });

  it('pre-flight: rejected credentials throw the one-line error (exit 2); a denial or an outage is left to the checks', async () => {
    const rejected = new InventoryError('credentials', 'sts:GetCallerIdentity', 'the caller identity', 'ExpiredToken: The security token included in the request is expired');
    const err = await preflight({ identity: () => Promise.reject(rejected) }, 'us-east-1', { AWS_PROFILE: 'p' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCredentialsError);
    expect((err as AwsCredentialsError).exitCode).toBe(2);
    expect((err as Error).message).toBe('AWS credentials for profile "p" in us-east-1 cannot be used: ExpiredToken: The security token included in the request is expired.');
    const denied = new InventoryError('access-denied', 'sts:GetCallerIdentity', 'the caller identity', 'AccessDenied');
    await expect(preflight({ identity: () => Promise.reject(denied) }, 'us-east-1', {})).resolves.toBeUndefined();
  });
});
