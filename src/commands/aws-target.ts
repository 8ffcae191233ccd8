// --profile and --region, and the one pre-flight call before any check.
// The SDK default chain stays the only source of credentials: --profile only sets AWS_PROFILE for it
// (no credential or config file is read here), and --region overrides the config's region.
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { InventoryError } from '../inventory/types.js';

export interface AwsTargetOptions {
  profile?: string;
  region?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PROFILE = /^[A-Za-z0-9_.@+=,/-]{1,128}$/;

/**
 * Before the config is loaded: AWS_PROFILE for the SDK's chain, and AWS_REGION so a config without
 * `region` loads. Called once per process, by the CLI command that was asked for.
 */
export function applyAwsTarget(opts: AwsTargetOptions, env: NodeJS.ProcessEnv = process.env): void {
  if (opts.profile !== undefined) {
    if (!PROFILE.test(opts.profile)) throw new UsageError(`--profile: not a profile name: ${JSON.stringify(opts.profile.slice(0, 80))}`);
    env.AWS_PROFILE = opts.profile;
  }
  if (opts.region !== undefined) {
    if (!REGION.test(opts.region)) throw new UsageError(`--region: expected an AWS region like us-east-1, got ${JSON.stringify(opts.region.slice(0, 40))}`);
    env.AWS_REGION = opts.region;
  }
}

/** After the config is loaded: --region wins over the config's `region`. */
export function withRegion<C extends Pick<Config, 'region'>>(cfg: C, opts: AwsTargetOptions): C {
  if (opts.region !== undefined) cfg.region = opts.region;
  return cfg;
}

/** Credentials that cannot be resolved or are rejected: one line, exit 2 (nothing was checked). */
export class AwsCredentialsError extends UsageError {
  override name = 'AwsCredentialsError';
}

/** The SDK's reason, out of the inventory's credentials message ("… (sts:GetCallerIdentity: <reason>): fix …"). */
function sdkReason(err: InventoryError): string {
  const m = /\(sts:GetCallerIdentity: (.*)\): fix the credentials/s.exec(err.message);
  return (m?.[1] ?? err.message).replace(/\s+/g, ' ').trim();
}

/** The one credentials line: profile, region, the SDK's reason and, for SSO, how to log in. */
export function credentialsLine(reason: string, region: string, env: NodeJS.ProcessEnv = process.env): string {
  const profile = env.AWS_PROFILE || undefined;
  const who = profile ? `profile "${profile}"` : 'the default credential chain (no AWS_PROFILE)';
  // The SDK names SSO in its reason when an SSO profile has no valid session (token missing or expired).
  const sso = /\bSSO\b|sso_/i.test(reason) ? ` Run: aws sso login${profile ? ` --profile ${profile}` : ''}` : '';
  // The chain's last word for a profile that is not in the config files is this generic sentence: say what it usually means.
  const missing = profile && !sso && /Could not load credentials from any providers/i.test(reason) ? ` (is profile "${profile}" defined in the AWS config files, with credentials or SSO settings?)` : '';
  return `AWS credentials for ${who} in ${region} cannot be used: ${reason.replace(/\.$/, '')}${missing}.${sso}`;
}

/**
 * The pre-flight: sts:GetCallerIdentity through the inventory (memoized, so the caller-identity
 * check reuses the answer). Credentials that cannot be resolved or are rejected throw
 * AwsCredentialsError; any other failure (a denial, an unreachable endpoint) is left to the checks.
 */
export async function preflight(inventory: { identity(): Promise<unknown> }, region: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await inventory.identity();
  } catch (err) {
    if (err instanceof InventoryError && err.kind === 'credentials') throw new AwsCredentialsError(credentialsLine(sdkReason(err), region, env), { cause: err });
  }
}
