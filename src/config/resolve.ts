// What a loaded configuration points at, each resolved by exactly one function: `env:NAME`
// references, the AWS endpoint, and the database connection. Commands, remediation, diagnose, the
// bench and the tests call these instead of repeating the rules.
import type { Config } from './schema.js';

/** The value of an `env:NAME` reference (a bare NAME is read the same way); empty counts as unset. */
export function envRef(ref: string, env: NodeJS.ProcessEnv): string | undefined {
  return env[envName(ref)] || undefined;
}

/** The variable an `env:NAME` reference names. */
export const envName = (ref: string): string => ref.replace(/^env:/, '');

/**
 * The AWS endpoint in effect: `--endpoint`, else the config's `endpoint`, else AWS_ENDPOINT_URL
 * (the SDK's own variable), else undefined (real AWS).
 */
export function resolveEndpoint(explicit: string | undefined, cfg: Pick<Config, 'endpoint'> | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return explicit || cfg?.endpoint || env.AWS_ENDPOINT_URL || undefined;
}

/** The target a command works on: region, cluster and endpoint, as reports, plans and backups name it. */
export interface Target {
  region: string;
  cluster: string;
  endpoint?: string;
}

export function resolveTarget(cfg: Config, explicitEndpoint: string | undefined, env: NodeJS.ProcessEnv): Target {
  const endpoint = resolveEndpoint(explicitEndpoint, cfg, env);
  return { region: cfg.region!, cluster: cfg.cluster, ...(endpoint ? { endpoint } : {}) };
}

/**
 * The config with the workspace the step-10 probes look at set to `user` (diagnose --user): a new
 * object, the loaded one is left as it is.
 */
export function withWorkspaceUser(cfg: Config, user: string): Config {
  return { ...cfg, workspace: { ...cfg.workspace, user } };
}
