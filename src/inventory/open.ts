// The one way a command opens the live inventory of its target: the endpoint and the database
// connection resolved by src/config/resolve.ts and src/inventory/db-connect.ts, nowhere else.
import type { AwsCredentials } from '../aws/client-config.js';
import { resolveTarget, type Target } from '../config/resolve.js';
import type { Config } from '../config/schema.js';
import { databaseAccess } from './db-connect.js';
import { LiveInventory } from './live.js';

export interface OpenOptions {
  /** --endpoint; else the config's endpoint, else AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Why the database is left out (--no-db); undefined to use the config's database. */
  databaseLeftOut?: string;
  maxAttempts?: number;
  /** The credentials of an assumed role (`fleet run`); absent: the SDK default chain. */
  credentials?: AwsCredentials;
}

export function openInventory(cfg: Config, opts: OpenOptions = {}, env: NodeJS.ProcessEnv = process.env): { inventory: LiveInventory; target: Target } {
  const target = resolveTarget(cfg, opts.endpoint, env);
  const inventory = new LiveInventory({
    region: target.region,
    endpoint: target.endpoint,
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    timeouts: cfg.aws.timeouts,
    database: databaseAccess(cfg, env, opts.databaseLeftOut),
  });
  return { inventory, target };
}
